/**
 * Where a line panel's plot sits and how values map to pixels: the margins (grown by
 * the title lines and the note above the plot), the plot's inner size, the x scale of
 * the axis and the y scale of the value kind. The static drawing (LinePanel) and the
 * pointer layer over it (PanelPointer) take the same geometry from here, so the
 * crosshair lands on the lines.
 */
import type { ScaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import type { YScaleKind } from '../state/types.ts';
import { isPlottable, makeYScale, type YScale } from './scales.ts';
import { PANEL_MARGIN, type Margin } from './types.ts';
import { layerPosition, xScale, type XAxisSpec } from './xAxis.ts';

/** What a panel's geometry depends on. */
export interface PanelBox {
  axis: XAxisSpec;
  kind: YScaleKind;
  domain: [number, number];
  /** Symlog constant (1 elsewhere). */
  constant?: number;
  width: number;
  height: number;
  margin?: Margin;
  fontSize?: number;
  /** Title lines drawn above the plot (exports). */
  titleLines?: number;
  /** Whether a note line sits above the plot. */
  note?: boolean;
}

/** A panel's placed plot. */
export interface PanelGeometry {
  /** Margins around the plot, the top one including titles and note. */
  m: Margin;
  innerW: number;
  innerH: number;
  /** Height of the titles and note above the plot. */
  titleHeight: number;
  x: ScaleLinear<number, number>;
  y: YScale;
}

/**
 * The geometry of a panel. Example: width 400, height 240, the default margins, no
 * titles → a 334 × 202 plot at (56, 8).
 */
export function panelGeometry(box: PanelBox): PanelGeometry {
  const margin = box.margin ?? PANEL_MARGIN;
  const fontSize = box.fontSize ?? 10;
  const titleHeight = (box.titleLines ?? 0) * fontSize * 1.3 + (box.note ? fontSize * 1.3 : 0);
  const m = { ...margin, top: margin.top + titleHeight };
  const innerW = Math.max(10, box.width - m.left - m.right);
  const innerH = Math.max(10, box.height - m.top - m.bottom);
  return {
    m,
    innerW,
    innerH,
    titleHeight,
    x: xScale(box.axis, innerW),
    y: makeYScale(box.kind, box.domain, [innerH, 0], box.constant ?? 1),
  };
}

/** Pixel x of layer `layer` of a line with `layerCount` layers. */
export function layerX(g: PanelGeometry, axis: XAxisSpec, layer: number, layerCount: number): number {
  return g.x(layerPosition(axis.kind, layer, layerCount));
}

/** The SVG path of a series in a panel (gaps where a value cannot be drawn on the scale). */
export function seriesPath(g: PanelGeometry, axis: XAxisSpec, kind: YScaleKind, values: ArrayLike<number>): string {
  const n = values.length;
  return (
    line<number>()
      .defined((v) => isPlottable(v, kind))
      .x((_, i) => layerX(g, axis, i, n))
      .y((v) => g.y(v))(Array.from(values)) ?? ''
  );
}
