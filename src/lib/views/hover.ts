/** What the hover tooltip lists: every line's value at the hovered position of a panel, largest first. */
import type { LineSeries } from '../charts/types.ts';
import { layerAt } from '../charts/xAxis.ts';
import { formatValue } from '../format.ts';
import type { XAxisKind } from '../state/types.ts';

/** A tooltip row: label, color, dash and formatted value of one line at the hovered position. */
export interface TooltipRow {
  key: string;
  label: string;
  color: string;
  dash?: string;
  value: string;
}

/** Rows a tooltip lists at most; the rest are counted ("and 32 more"). */
export const TOOLTIP_ROWS = 16;

/**
 * One row per series, sorted by value (largest first, lines without a value last), each
 * at its own layer for the position (on the depth axis lines of different depth have
 * different layers; the layer is then named in the label); the first `limit` only.
 * Example: lines [1, 2] and [3, 1] at layer 0 → the second first ("3"), then "1".
 */
export function tooltipRows(series: readonly LineSeries[], pos: number, kind: XAxisKind = 'layer', limit = TOOLTIP_ROWS): TooltipRow[] {
  const order = series.map((s, i) => {
    const layer = layerAt(kind, pos, s.values.length);
    return { i, layer, v: layer === null ? NaN : Number(s.values[layer]) };
  });
  order.sort((a, b) => (Number.isNaN(a.v) ? 1 : 0) - (Number.isNaN(b.v) ? 1 : 0) || b.v - a.v);
  // Labels and numbers are formatted for the rows shown only: a hover over 48 lines formats 16.
  return order.slice(0, limit).map(({ i, layer, v }) => {
    const s = series[i];
    const label = kind === 'depth' && layer !== null ? `${s.label} (layer ${layer})` : s.label;
    return { key: s.key, label, color: s.color, dash: s.dash, value: formatValue(v) };
  });
}

/** The tooltip's heading for a position: "layer 12", or "depth 0.50". */
export function positionText(kind: XAxisKind, pos: number): string {
  return kind === 'depth' ? `depth ${pos.toFixed(2)}` : `layer ${pos}`;
}

