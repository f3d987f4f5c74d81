/**
 * Y domains for a set of panels: each panel's own extent and note, and the domain each
 * panel uses (the union when y is shared), plus the symlog constant of all the data.
 */
import type { LineSeries } from '../charts/types.ts';
import { symlogConstant, unionDomain, yExtent } from '../charts/scales.ts';
import type { YScaleKind } from '../state/types.ts';

/** The scale inputs of one panel. */
export interface PanelScale {
  domain: [number, number];
  /** Values the scale cannot show (non-positive on log). */
  hidden: number;
  /** Note for the panel when values are hidden, else "". */
  note: string;
}

/** Every array a series draws: the line and its band edges. */
export function seriesArrays(series: readonly LineSeries[]): ArrayLike<number>[] {
  const out: ArrayLike<number>[] = [];
  for (const s of series) {
    out.push(s.values);
    if (s.lo) out.push(s.lo);
    if (s.hi) out.push(s.hi);
  }
  return out;
}

/** Per-panel domains (shared → the union of all) with a note where the log scale hides values. */
export function panelScales(panels: readonly LineSeries[][], kind: YScaleKind, shared: boolean): PanelScale[] {
  const extents = panels.map((series) => yExtent(seriesArrays(series), kind));
  const filled = extents.filter((_, i) => panels[i].length > 0).map((e) => e.domain);
  const union = filled.length ? unionDomain(filled) : yExtent([], kind).domain;
  return extents.map((e) => ({
    domain: shared ? union : e.domain,
    hidden: e.hidden,
    note: e.hidden > 0 ? `${e.hidden} non-positive value${e.hidden === 1 ? '' : 's'} hidden (log scale; symlog shows them)` : '',
  }));
}

/** The symlog constant of every panel's data (1 when the scale is not symlog). */
export function panelsConstant(panels: readonly LineSeries[][], kind: YScaleKind): number {
  return kind === 'symlog' ? symlogConstant(panels.flatMap(seriesArrays)) : 1;
}
