/** What the hover tooltip lists and where it goes: every line's value at the hovered layer of a panel. */
import { layerX, type PanelBox } from '../charts/layout.ts';
import { PANEL_MARGIN, type LineSeries } from '../charts/types.ts';
import { formatValue } from '../format.ts';

/** The hovered panel (index in the figure) and layer. */
export interface Hover {
  panel: number;
  layer: number;
}

/** A tooltip row: label, color and formatted value of one line at the hovered layer. */
export interface TooltipRow {
  key: string;
  label: string;
  color: string;
  value: string;
}

/** One row per series, with "–" where a line has no value at `layer`. Example: a line [1, 2] at layer 1 → value "2". */
export function tooltipRows(series: readonly LineSeries[], layer: number, prefix = ''): TooltipRow[] {
  return series.map((s) => ({
    key: s.key,
    label: prefix ? `${prefix} · ${s.label}` : s.label,
    color: s.color,
    value: formatValue(layer < s.values.length ? s.values[layer] : NaN),
  }));
}

/** Tooltip anchor in figure pixels: the hovered layer's x in the panel, at the plot's top. */
export function tooltipAnchor(box: PanelBox, layer: number, layerCount: number): { x: number; y: number } {
  const innerW = Math.max(10, box.width - PANEL_MARGIN.left - PANEL_MARGIN.right);
  return { x: box.x + PANEL_MARGIN.left + layerX(layer, layerCount, innerW), y: box.y + PANEL_MARGIN.top };
}
