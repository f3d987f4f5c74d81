/** Fixed geometry of a heatmap panel, shared by the heatmap and the view placing its tooltip and panels. */

/** Left margin for row labels, px. */
export const HEATMAP_LEFT = 110;
/** Space above the cells for the title and note, px. */
export const HEATMAP_TOP = 34;
/** Row height, px. */
export const HEATMAP_ROW = 18;
/** Space under the cells for the layer axis and the color legend, px. */
export const HEATMAP_BOTTOM = 80;

/** Total height of a heatmap of `rows` rows. Example: 4 rows → 34 + 72 + 80 = 186. */
export function heatmapHeight(rows: number): number {
  return HEATMAP_TOP + rows * HEATMAP_ROW + HEATMAP_BOTTOM;
}

/** Width of one layer's cell in a heatmap `width` px wide whose row labels take `labelWidth` px. */
export function heatmapCellWidth(width: number, layerCount: number, labelWidth = HEATMAP_LEFT): number {
  return Math.max(10, width - labelWidth - 10) / Math.max(1, layerCount);
}
