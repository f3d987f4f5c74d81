/**
 * A line panel's inner plot size and y scale from its box, shared by the panel and by
 * the figure's crosshair layer so both put a value at the same pixel.
 */
import type { YScaleKind } from '../state/types.ts';
import type { PanelBox } from './layout.ts';
import { makeYScale, type YScale } from './scales.ts';
import { PANEL_MARGIN } from './types.ts';

/** Inner width and height of a panel's plot area (at least 10 px each). */
export function innerSize(box: PanelBox): { innerW: number; innerH: number } {
  const m = PANEL_MARGIN;
  return { innerW: Math.max(10, box.width - m.left - m.right), innerH: Math.max(10, box.height - m.top - m.bottom) };
}

/** The y scale of a panel: `domain` onto its plot height, bottom first. */
export function panelYScale(box: PanelBox, kind: YScaleKind, domain: [number, number], constant = 1): YScale {
  return makeYScale(kind, domain, [innerSize(box).innerH, 0], constant);
}
