/** Where legend entries go: rows of swatch + label, wrapped to a width (text width estimated, no DOM measuring). */
import type { LegendItem } from './types.ts';

/** Placed legend entry. */
export interface PlacedLegendItem extends LegendItem {
  x: number;
  y: number;
}

export const LEGEND_ROW = 16;

/** Positions of `items` in rows no wider than `width`, at ~6.5 px per character. Example: two short items, width 500 → one row. */
export function placeLegend(items: readonly LegendItem[], width: number): PlacedLegendItem[] {
  let x = 0;
  let y = 0;
  return items.map((item) => {
    const w = 22 + item.label.length * 6.5 + 14;
    if (x > 0 && x + w > width) {
      x = 0;
      y += LEGEND_ROW;
    }
    const p = { ...item, x, y };
    x += w;
    return p;
  });
}

/** Height the legend takes: rows × row height (0 when empty). */
export function legendHeight(items: readonly LegendItem[], width: number): number {
  const placed = placeLegend(items, width);
  return placed.length ? placed[placed.length - 1].y + LEGEND_ROW : 0;
}
