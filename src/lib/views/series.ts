/**
 * Turns curves into the ready arrays the line charts draw: series for the curves view
 * (one panel per run, a line per module) and for the overlay (one panel per module, a
 * line per run), plus the overlay's difference/ratio strip.
 */
import type { ModuleKey } from '../../core/format/run.ts';
import type { Curve } from '../../core/stats/computeCurve.ts';
import { computeCurveStrip, type StripKind } from '../../core/stats/curveStrip.ts';
import type { LineSeries } from '../charts/types.ts';
import { moduleColor, moduleLabel } from '../moduleColors.ts';
import type { BandKind } from '../state/types.ts';
import type { RunCurves } from './curveData.ts';

/** Band edges of a curve for the band setting, or none. */
export function bandOf(curve: Curve, bands: BandKind): { lo?: Float64Array; hi?: Float64Array } {
  if (bands === 'iqr') return { lo: curve.p25, hi: curve.p75 };
  if (bands === 'p5-p95') return { lo: curve.p5, hi: curve.p95 };
  return {};
}

/** The curves view's lines for one run: one per module, in module colors. */
export function runPanelSeries(rc: RunCurves, bands: BandKind): LineSeries[] {
  return rc.modules.map(({ module, curve }) => ({
    key: module,
    run: rc.entry.run.id,
    module,
    label: moduleLabel(module),
    color: moduleColor(module),
    values: curve.mean,
    ...bandOf(curve, bands),
  }));
}

/** The overlay's lines for one module: one per run that has it, in run colors. */
export function modulePanelSeries(all: readonly RunCurves[], module: ModuleKey, bands: BandKind): LineSeries[] {
  const out: LineSeries[] = [];
  for (const rc of all) {
    const mc = rc.modules.find((m) => m.module === module);
    if (!mc) continue;
    out.push({
      key: rc.entry.run.id,
      run: rc.entry.run.id,
      module,
      label: rc.entry.label,
      color: rc.entry.color,
      values: mc.curve.mean,
      ...bandOf(mc.curve, bands),
    });
  }
  return out;
}

/**
 * The strip under an overlay panel: every non-reference run's curve against the
 * reference run's (`refId`; the first run when null or absent). Empty when the reference
 * lacks the module.
 */
export function stripSeries(
  all: readonly RunCurves[],
  module: ModuleKey,
  refId: string | null,
  kind: StripKind,
): { reference: RunCurves | undefined; series: LineSeries[] } {
  const reference = all.find((rc) => rc.entry.run.id === refId) ?? all[0];
  const refCurve = reference?.modules.find((m) => m.module === module)?.curve;
  if (!reference || !refCurve) return { reference, series: [] };
  const series: LineSeries[] = [];
  for (const rc of all) {
    if (rc === reference) continue;
    const mc = rc.modules.find((m) => m.module === module);
    if (!mc) continue;
    series.push({
      key: rc.entry.run.id,
      run: rc.entry.run.id,
      module,
      label: rc.entry.label,
      color: rc.entry.color,
      values: computeCurveStrip(refCurve.mean, mc.curve.mean, kind),
    });
  }
  return { reference, series };
}

/** Largest layer count among the runs (the x extent of shared panels). */
export function maxLayers(all: readonly RunCurves[]): number {
  return all.reduce((m, rc) => Math.max(m, rc.entry.run.layerCount), 0);
}
