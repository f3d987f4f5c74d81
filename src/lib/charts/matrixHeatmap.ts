/**
 * Colour scales of the matrix heatmaps (cosine maps, spectrum grids): diverging and
 * centred on 0 for cosines and their differences (blue negative, white 0, red positive,
 * d3's RdBu reversed), sequential (viridis, log or linear) for spectra.
 */
import { scaleDiverging, scaleSequential, scaleSequentialLog } from 'd3-scale';
import { interpolateRdBu, interpolateViridis } from 'd3-scale-chromatic';
import { MISSING_COLOR } from './colorScale.ts';

/** A value → CSS colour function and its legend: domain ends and the colour at a fraction t ∈ [0, 1] of the bar. */
export interface MatrixColor {
  color: (v: number) => string;
  domain: [number, number];
  at: (t: number) => string;
  /** Log legend (ticks at powers of ten). */
  log: boolean;
}

const reversedRdBu = (t: number) => interpolateRdBu(1 - t);

/** Diverging colours over [−extent, extent], 0 white; values outside are clamped, NaN grey. extent ≤ 0 → ±1. */
export function divergingColor(extent: number): MatrixColor {
  const e = extent > 0 && Number.isFinite(extent) ? extent : 1;
  const scale = scaleDiverging(reversedRdBu).domain([-e, 0, e]).clamp(true);
  return { color: (v) => (Number.isFinite(v) ? scale(v) : MISSING_COLOR), domain: [-e, e], at: reversedRdBu, log: false };
}

/**
 * Sequential viridis over the finite (log: positive) values of `values`; log when asked
 * and the range is positive. Values the scale cannot show are grey.
 */
export function sequentialColor(values: Iterable<number>, log: boolean): MatrixColor {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v) || (log && v <= 0)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (lo > hi) [lo, hi] = log ? [0.1, 1] : [0, 1];
  if (lo === hi) [lo, hi] = log ? [lo / 10, hi * 10] : [lo - 1, hi + 1];
  const scale = (log ? scaleSequentialLog(interpolateViridis) : scaleSequential(interpolateViridis)).domain([lo, hi]).clamp(true);
  return {
    color: (v) => (Number.isFinite(v) && (!log || v > 0) ? scale(v) : MISSING_COLOR),
    domain: [lo, hi],
    at: interpolateViridis,
    log,
  };
}

/** Where a matrix heatmap puts things: label margin, cell size, grid size and the whole height. */
export interface MatrixGeometry {
  left: number;
  cellW: number;
  cellH: number;
  gridW: number;
  gridH: number;
  height: number;
}

/**
 * The layout of a rows × columns heatmap `width` wide: square cells (at most 28 px) for
 * cosine maps, else the full width with rows 4–18 px tall; room for the axis labels and
 * the colour bar below.
 */
export function matrixGeometry(rows: number, columns: number, width: number, square: boolean, fontSize: number): MatrixGeometry {
  const left = fontSize * 5;
  const innerW = Math.max(20, width - left - fontSize);
  const fit = innerW / Math.max(1, columns);
  const cellH = square ? Math.min(fit, 28) : Math.max(4, Math.min(18, 320 / Math.max(1, rows)));
  const cellW = square ? cellH : fit;
  const gridW = cellW * columns;
  const gridH = cellH * rows;
  return { left, cellW, cellH, gridW, gridH, height: fontSize * 0.5 + gridH + fontSize * 8 };
}

/** Cells in all the panels of a figure above which each matrix is drawn as one image (matrixImage). */
export const RASTER_CELLS = 6000;

/** [r, g, b] of a CSS colour as d3's scales write them (`#rrggbb` or `rgb(r, g, b)`); grey for anything else. */
function rgbOf(css: string): [number, number, number] {
  if (css.startsWith('#') && css.length === 7) return [parseInt(css.slice(1, 3), 16), parseInt(css.slice(3, 5), 16), parseInt(css.slice(5, 7), 16)];
  const m = /^rgb\((\d+),\s*(\d+),\s*(\d+)\)$/.exec(css);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [230, 230, 230];
}

/**
 * A rows × columns matrix drawn as a PNG data URL, one pixel a cell (the SVG scales it up
 * without smoothing): one <image> instead of a <rect> per cell, for figures of many
 * panels (48 runs × 42 × 42 layers are 84 672 cells). null where there is no canvas
 * (jsdom): the caller draws rects.
 */
export function matrixImage(values: ArrayLike<number>, rows: number, columns: number, color: (v: number) => string): string | null {
  if (typeof document === 'undefined' || rows === 0 || columns === 0) return null;
  const canvas = document.createElement('canvas');
  canvas.width = columns;
  canvas.height = rows;
  let ctx: CanvasRenderingContext2D | null = null;
  try {
    ctx = canvas.getContext('2d');
  } catch {
    return null; // jsdom without the canvas package throws "not implemented"
  }
  if (ctx === null) return null;
  const image = ctx.createImageData(columns, rows);
  const cache = new Map<string, [number, number, number]>();
  for (let k = 0; k < rows * columns; k++) {
    const css = color(values[k]);
    let rgb = cache.get(css);
    if (rgb === undefined) cache.set(css, (rgb = rgbOf(css)));
    image.data.set([rgb[0], rgb[1], rgb[2], 255], 4 * k);
  }
  ctx.putImageData(image, 0, 0);
  return canvas.toDataURL('image/png');
}
