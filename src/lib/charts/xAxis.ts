/**
 * The x axis of line figures: layer index, or relative depth layer / (L − 1) so that
 * runs of different depth (32 and 42 layers) overlay; optionally zoomed to a range. A
 * position on the axis is in the axis's units (a layer, or a depth in [0, 1]); each line
 * maps it to its own nearest layer.
 */
import { scaleLinear, type ScaleLinear } from 'd3-scale';
import type { XAxisKind } from '../state/types.ts';

/** What an x axis shows. */
export interface XAxisSpec {
  kind: XAxisKind;
  /** Largest layer count among the lines (the layer axis's extent). */
  layerCount: number;
  /** Zoomed range in axis units, or null for everything. */
  zoom: [number, number] | null;
}

/** Full extent of an axis, in axis units: layers [−0.5, L − 0.5] (each layer a band), depth [0, 1]. */
export function axisExtent(spec: XAxisSpec): [number, number] {
  return spec.kind === 'depth' ? [0, 1] : [-0.5, Math.max(1, spec.layerCount) - 0.5];
}

/** The pixel scale of an axis `innerWidth` px wide: the zoom range (layer zoom padded by half a layer) or the extent. */
export function xScale(spec: XAxisSpec, innerWidth: number): ScaleLinear<number, number> {
  let domain = axisExtent(spec);
  if (spec.zoom) domain = spec.kind === 'depth' ? spec.zoom : [spec.zoom[0] - 0.5, spec.zoom[1] + 0.5];
  // Depth ends sit on the frame's edges; a small margin keeps end points and dots inside.
  const pad = spec.kind === 'depth' ? (domain[1] - domain[0]) * 0.02 : 0;
  return scaleLinear()
    .domain([domain[0] - pad, domain[1] + pad])
    .range([0, innerWidth]);
}

/** Axis position of layer `layer` of a line with `layerCount` layers. Example: depth, layer 16 of 33 → 0.5. */
export function layerPosition(kind: XAxisKind, layer: number, layerCount: number): number {
  return kind === 'depth' ? layer / Math.max(1, layerCount - 1) : layer;
}

/**
 * The layer of a line with `layerCount` layers nearest to axis position `pos`, or null
 * when the line has no such layer. Example: depth 0.5, 33 layers → 16; layer 40 of a 32-layer line → null.
 */
export function layerAt(kind: XAxisKind, pos: number, layerCount: number): number | null {
  const layer = kind === 'depth' ? Math.round(pos * (layerCount - 1)) : Math.round(pos);
  return layer >= 0 && layer < layerCount ? layer : null;
}

/** Axis position under pixel `px`, clamped to the visible range and, on the layer axis, snapped to a layer. */
export function positionAt(spec: XAxisSpec, px: number, innerWidth: number): number {
  const x = xScale(spec, innerWidth);
  const [lo, hi] = spec.zoom ?? (spec.kind === 'depth' ? [0, 1] : [0, Math.max(0, spec.layerCount - 1)]);
  const pos = Math.min(hi, Math.max(lo, x.invert(px)));
  return spec.kind === 'depth' ? pos : Math.round(pos);
}

/** One keyboard step along the axis: a layer, or one layer of the deepest line in depth. */
export function axisStep(spec: XAxisSpec): number {
  return spec.kind === 'depth' ? 1 / Math.max(1, spec.layerCount - 1) : 1;
}

/** Tick values: integer layers about every 45 px, or depth fractions. Example: 42 layers, 400 px → 0, 5, …, 40. */
export function xTicks(spec: XAxisSpec, innerWidth: number): number[] {
  const x = xScale(spec, innerWidth);
  const count = Math.max(2, Math.floor(innerWidth / 45));
  if (spec.kind === 'depth') {
    const [lo, hi] = spec.zoom ?? [0, 1];
    return scaleLinear().domain([lo, hi]).ticks(Math.min(count, 10));
  }
  const [lo, hi] = x.domain();
  return scaleLinear()
    .domain([Math.ceil(lo), Math.floor(hi)])
    .ticks(Math.min(Math.floor(hi) - Math.ceil(lo) + 1, count))
    .filter((t) => Number.isInteger(t));
}

/** X of axis position `pos` in a panel `width` px wide with `marginLeft` / `marginRight` around the plot. */
export function panelX(spec: XAxisSpec, pos: number, width: number, marginLeft: number, marginRight: number): number {
  const innerW = Math.max(10, width - marginLeft - marginRight);
  return marginLeft + xScale(spec, innerW)(pos);
}

/** The axis's title. */
export function xLabel(kind: XAxisKind): string {
  return kind === 'depth' ? 'relative depth, layer / (L − 1)' : 'layer';
}
