/**
 * A figure as data, for exports drawn anew at paper size: its title, legend and panels
 * (lines with an optional strip, or heatmaps), and how the panels sit in a grid. The
 * views build it on demand; {@link layoutFigure} places everything for a width and font size.
 */
import type { HeatmapRow, LegendItem, LineSeries, Margin } from '../charts/types.ts';
import { wrapText } from '../charts/wrapText.ts';
import type { XAxisSpec } from '../charts/xAxis.ts';
import type { YScaleKind } from '../state/types.ts';

/** A line panel; `strip` is the overlay's difference / ratio strip under it. */
export interface LinePanelSpec {
  kind: 'lines';
  title: string;
  series: LineSeries[];
  axis: XAxisSpec;
  yKind: YScaleKind;
  domain: [number, number];
  constant: number;
  yLabel: string;
  note?: string;
  strip?: { series: LineSeries[]; domain: [number, number]; yLabel: string; baseline: number; title: string };
}

/** A heatmap panel. */
export interface HeatmapPanelSpec {
  kind: 'heatmap';
  title: string;
  rows: HeatmapRow[];
  layerCount: number;
  yKind: YScaleKind;
  domain: [number, number];
  constant: number;
  stat: string;
  note?: string;
  /** Draw the panel's own colour legend (false: the figure's `colorLegend` serves all). */
  legend?: boolean;
}

export type PanelSpec = LinePanelSpec | HeatmapPanelSpec;

/** A whole figure. */
export interface FigureSpec {
  /** Heading lines: what the panels share, and what is plotted. */
  title: string;
  subtitle: string;
  legend: LegendItem[];
  panels: PanelSpec[];
  /** Fixed columns (the study's grid), else fitted to the width. */
  columns?: number | null;
  columnHeads?: string[];
  rowHeads?: string[];
  /** One colour legend for every heatmap (a shared scale), drawn under the heading. */
  colorLegend?: { kind: YScaleKind; domain: [number, number]; constant: number; stat: string };
}

/** Export size: width in user units (pt for paper, px for screen) and the font size in the same units. */
export interface ExportSize {
  width: number;
  fontSize: number;
}

/** A placed panel: its spec, box, wrapped title, and plot / strip heights. */
export interface PlacedPanel {
  spec: PanelSpec;
  x: number;
  y: number;
  width: number;
  titleLines: string[];
  mainHeight: number;
  stripHeight: number;
}

/** Everything placed: heading lines, legend rows, panels, heads, total height. */
export interface FigureLayout {
  width: number;
  height: number;
  fontSize: number;
  titleLines: string[];
  subtitleLines: string[];
  legend: (LegendItem & { x: number; y: number })[];
  /** The figure's one colour legend, placed, or null. */
  colorLegend: (NonNullable<FigureSpec['colorLegend']> & { x: number; y: number; width: number }) | null;
  panels: PlacedPanel[];
  margin: Margin;
  columnHeads: { x: number; y: number; width: number; lines: string[] }[];
  rowHeads: { x: number; y: number; lines: string[] }[];
}

/** Panel margins for a font size: room for tick labels left, axis title below. */
export function exportMargin(fontSize: number): Margin {
  return { top: fontSize * 0.6, right: fontSize * 0.8, bottom: fontSize * 3.2, left: fontSize * 5 };
}

/** Height of a heatmap's cells and (unless the figure has one for all) its legend for `rows` rows. */
export function heatmapExportHeight(rows: number, fontSize: number, legend = true): number {
  return rows * fontSize * 1.6 + fontSize * (legend ? 7 : 4);
}

/**
 * Places a figure in `size.width`: heading and legend wrapped to the width, panels in
 * columns at least 15 em wide (or the spec's fixed columns), titles wrapped to their
 * panel, plots 0.62 of the panel width tall (strips 0.35), rows as tall as their tallest panel.
 */
export function layoutFigure(spec: FigureSpec, size: ExportSize): FigureLayout {
  const f = size.fontSize;
  const W = size.width;
  const margin = exportMargin(f);
  const titleLines = wrapText(spec.title, W, f * 1.3);
  const subtitleLines = wrapText(spec.subtitle, W, f);
  let y = titleLines.length * f * 1.6 + subtitleLines.length * f * 1.3 + f * 0.4;

  const legend: FigureLayout['legend'] = [];
  let lx = 0;
  for (const item of spec.legend) {
    const w = f * 2.6 + Math.min(W - f * 3, wrapText(item.label, W, f).reduce((a, l) => Math.max(a, l.length), 0) * f * 0.6) + f;
    if (lx > 0 && lx + w > W) ((lx = 0), (y += f * 1.4));
    legend.push({ ...item, x: lx, y: y + f });
    lx += w;
  }
  if (spec.legend.length) y += f * 1.8;
  let colorLegend: FigureLayout['colorLegend'] = null;
  if (spec.colorLegend) {
    colorLegend = { ...spec.colorLegend, x: 0, y, width: Math.min(W * 0.6, f * 24) };
    y += f * 3.4;
  }

  const n = spec.panels.length;
  const rowHead = spec.rowHeads?.length ? f * 7 : 0;
  const gap = f;
  const cols = Math.max(1, spec.columns ?? Math.min(n, Math.floor((W - rowHead + gap) / (f * 15 + gap))));
  const panelW = (W - rowHead - gap * (cols - 1)) / cols;
  const columnHeads: FigureLayout['columnHeads'] = [];
  if (spec.columnHeads?.length) {
    let h = 0;
    spec.columnHeads.slice(0, cols).forEach((text, c) => {
      const lines = wrapText(text, panelW - margin.left, f * 1.15);
      h = Math.max(h, lines.length);
      columnHeads.push({ x: rowHead + c * (panelW + gap) + margin.left, y, width: panelW, lines });
    });
    y += h * f * 1.4 + f * 0.3;
  }
  const panels: PlacedPanel[] = [];
  const rowHeads: FigureLayout['rowHeads'] = [];
  for (let start = 0; start < n; start += cols) {
    const row = spec.panels.slice(start, start + cols).map((p, c) => {
      const titleLines = wrapText(p.title, panelW - margin.left, f * 1.15);
      const mainHeight =
        p.kind === 'heatmap' ? heatmapExportHeight(p.rows.length, f, p.legend !== false) + margin.top : panelW * 0.62 + margin.top + margin.bottom;
      const stripHeight = p.kind === 'lines' && p.strip ? panelW * 0.35 + margin.top + margin.bottom + f * 1.3 : 0;
      return { spec: p, x: rowHead + c * (panelW + gap), y, width: panelW, titleLines, mainHeight, stripHeight };
    });
    const lineCount = Math.max(...row.map((p) => p.titleLines.length));
    const titleH = lineCount * f * 1.3;
    // Titles padded to the row's longest, so the plots of a row line up.
    for (const p of row) {
      const titleLines = [...p.titleLines, ...Array<string>(lineCount - p.titleLines.length).fill('')];
      panels.push({ ...p, titleLines, mainHeight: p.mainHeight + titleH });
    }
    const rowH = Math.max(...row.map((p) => p.mainHeight + titleH + p.stripHeight));
    if (rowHead) rowHeads.push({ x: 0, y: y + titleH + panelW * 0.31, lines: wrapText(spec.rowHeads?.[start / cols] ?? '', rowHead - f * 0.5, f * 1.15) });
    y += rowH + gap;
  }
  return { width: W, height: Math.ceil(y), fontSize: f, titleLines, subtitleLines, legend, colorLegend, panels, margin, columnHeads, rowHeads };
}
