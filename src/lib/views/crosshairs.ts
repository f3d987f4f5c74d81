/** Crosshair positions for every panel of a figure at the hovered layer, in figure pixels. */
import type { PanelBox } from '../charts/layout.ts';
import { layerX } from '../charts/layout.ts';
import { innerSize } from '../charts/panelGeometry.ts';
import type { YScale } from '../charts/scales.ts';
import { isPlottable } from '../charts/scales.ts';
import { PANEL_MARGIN, type LineSeries } from '../charts/types.ts';
import type { YScaleKind } from '../state/types.ts';

/** A panel to draw a crosshair in: its box, lines, y scale and layer count. */
export interface CrosshairPanel {
  key: string;
  box: PanelBox;
  series: readonly LineSeries[];
  y: YScale;
  kind: YScaleKind;
  layerCount: number;
}

/** A rule and one dot per line with a plottable value at `layer`, for every panel that has the layer. */
export function crosshairsAt(panels: readonly CrosshairPanel[], layer: number) {
  const out = [];
  for (const p of panels) {
    if (layer >= p.layerCount) continue;
    const { innerW, innerH } = innerSize(p.box);
    const top = p.box.y + PANEL_MARGIN.top;
    const dots = [];
    for (const s of p.series) {
      const v = s.values[layer];
      if (isPlottable(v, p.kind)) dots.push({ key: s.key, y: top + p.y(v), color: s.color });
    }
    out.push({ key: p.key, x: p.box.x + PANEL_MARGIN.left + layerX(layer, p.layerCount, innerW), top, height: innerH, dots });
  }
  return out;
}
