/**
 * Figures drawn for export: the figure's data laid out at a paper width (one column
 * ≈ 3.3 in, two columns ≈ 7 in) or the screen's, rendered by the same chart components
 * into a detached SVG, then serialized (and rasterized at 300 dpi for PNG).
 */
import { flushSync, mount, unmount } from 'svelte';
import ExportFigure from './ExportFigure.svelte';
import { layoutFigure, type FigureSpec } from './figureSpec.ts';
import { serializeSvg } from './serializeSvg.ts';

/** Points per inch: paper figures are laid out in pt, so font sizes are in pt. */
export const PT_PER_INCH = 72;

/** What size to export: a paper width in inches with a font size in pt, or the screen's width in px. */
export type ExportTarget = { kind: 'paper'; inches: number; fontPt: number } | { kind: 'screen'; widthPx: number };

/** The SVG text of a figure for a target, and its size in layout units and in CSS px at 96 dpi. */
export function renderFigureSvg(spec: FigureSpec, target: ExportTarget): { svg: string; width: number; height: number; cssWidth: number; cssHeight: number } {
  const paper = target.kind === 'paper';
  const width = paper ? target.inches * PT_PER_INCH : target.widthPx;
  const layout = layoutFigure(spec, { width, fontSize: paper ? target.fontPt : 11 });
  const unit = (v: number) => (paper ? `${+(v / PT_PER_INCH).toFixed(4)}in` : `${v}`);
  // Attached (off screen) so serializeSvg can read computed styles.
  const host = document.createElement('div');
  host.style.cssText = 'position:fixed;left:-100000px;top:0;';
  document.body.append(host);
  const component = mount(ExportFigure, { target: host, props: { layout, widthAttr: unit(layout.width), heightAttr: unit(layout.height) } });
  flushSync();
  try {
    const svg = host.querySelector('svg') as SVGSVGElement;
    const scale = paper ? 96 / PT_PER_INCH : 1;
    return { svg: serializeSvg(svg), width: layout.width, height: layout.height, cssWidth: layout.width * scale, cssHeight: layout.height * scale };
  } finally {
    void unmount(component);
    host.remove();
  }
}
