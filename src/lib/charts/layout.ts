/**
 * Panel layout of a small-multiples figure: how many columns fit the width, and where
 * each panel sits. Pure arithmetic so the views and tests agree on positions.
 */
import { scaleLinear } from 'd3-scale';

/** Position and size of one panel, in pixels from the figure's top-left corner. */
export interface PanelBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Boxes for `count` panels laid out row by row in `width` pixels, each at least
 * `minWidth` wide, starting `top` pixels down. Example: count 3, width 1000, minWidth 320
 * → three panels of 333 px in one row.
 */
export function gridLayout(count: number, width: number, minWidth: number, height: number, top = 0): PanelBox[] {
  const cols = Math.max(1, Math.min(count, Math.floor(width / minWidth)));
  const w = Math.floor(width / cols);
  return Array.from({ length: count }, (_, i) => ({
    x: (i % cols) * w,
    y: top + Math.floor(i / cols) * height,
    width: w,
    height,
  }));
}

/** Total height of a grid of boxes (bottom edge of the lowest). */
export function gridHeight(boxes: readonly PanelBox[], top = 0): number {
  return boxes.reduce((h, b) => Math.max(h, b.y + b.height), top);
}

/** X pixel of a layer's center inside a plot `innerWidth` wide: layer i owns [i, i+1) of L bands. */
export function layerX(layer: number, layerCount: number, innerWidth: number): number {
  return ((layer + 0.5) / Math.max(1, layerCount)) * innerWidth;
}

/**
 * `text` cut to fit `widthPx` at about `pxPerChar` per character, with an ellipsis.
 * Example: `fitText("synthetic · arith · None CoT", 100)` → `"synthetic · a…"`.
 */
export function fitText(text: string, widthPx: number, pxPerChar = 7): string {
  const max = Math.max(1, Math.floor(widthPx / pxPerChar));
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/**
 * Integer layer indices to label on an x axis `innerWidth` px wide, about one per 45 px,
 * as d3's linear ticks choose them. Example: 42 layers in 400 px → [0, 5, 10, …, 40].
 */
export function layerTicks(layerCount: number, innerWidth: number): number[] {
  return scaleLinear()
    .domain([0, Math.max(0, layerCount - 1)])
    .ticks(Math.min(layerCount, Math.max(2, Math.floor(innerWidth / 45))))
    .filter((t) => Number.isInteger(t));
}
