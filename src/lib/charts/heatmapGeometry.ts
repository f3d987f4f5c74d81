/** Heatmap geometry shared by the heatmap and the views sizing its SVG: wrapped row labels, row height, total height. */
import { wrapText } from './wrapText.ts';

/** Row labels wrapped to the label margin. */
export function heatmapLabels(labels: readonly string[], labelWidth: number, fontSize: number): string[][] {
  return labels.map((l) => wrapText(l, labelWidth - fontSize * 0.8, fontSize));
}

/** Row height: tall enough for the longest wrapped label. Example: one-line labels at 10 px → 16. */
export function heatmapRowHeight(lines: readonly string[][], fontSize: number): number {
  const lineCount = Math.max(1, ...lines.map((l) => l.length));
  return Math.max(fontSize * 1.6, lineCount * fontSize * 1.15 + fontSize * 0.4);
}

/** Space above the cells for title lines and a note. */
export function heatmapHead(titleLines: number, note: boolean, fontSize: number): number {
  return titleLines * fontSize * 1.3 + (note ? fontSize * 1.4 : 0) + fontSize * 0.4;
}

/** Total height: head, rows, the layer axis and (unless the figure shows one for all) the color legend. */
export function heatmapHeight(head: number, rows: number, rowHeight: number, fontSize: number, legend = true): number {
  return head + rows * rowHeight + fontSize * (legend ? 7 : 4);
}

/** A label margin that fits the longest label on one line, at most 40% of the width. */
export function heatmapLabelWidth(labels: readonly string[], width: number, fontSize: number, measure: (t: string, f: number) => number): number {
  const longest = Math.max(fontSize * 3, ...labels.map((l) => measure(l, fontSize)));
  return Math.min(longest + fontSize * 1.2, Math.max(fontSize * 6, width * 0.4));
}
