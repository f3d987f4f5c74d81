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
import type { RunStyle } from '../state/encoding.ts';
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

/** How the overlay draws each run: its style (colour, dash) and its label, by run id. */
export interface RunLooks {
  styles: ReadonlyMap<string, RunStyle>;
  labels: ReadonlyMap<string, string>;
}

function look(rc: RunCurves, looks: RunLooks | undefined): { color: string; dash: string; label: string } {
  const id = rc.entry.run.id;
  const style = looks?.styles.get(id);
  return { color: style?.color ?? rc.entry.color, dash: style?.dash ?? '', label: looks?.labels.get(id) || rc.entry.label };
}

/** The overlay's lines for one module: one per run that has it, drawn as `looks` says (else in run colors). */
export function modulePanelSeries(all: readonly RunCurves[], module: ModuleKey, bands: BandKind, looks?: RunLooks): LineSeries[] {
  const out: LineSeries[] = [];
  for (const rc of all) {
    const mc = rc.modules.find((m) => m.module === module);
    if (!mc) continue;
    out.push({ key: rc.entry.run.id, run: rc.entry.run.id, module, ...look(rc, looks), values: mc.curve.mean, ...bandOf(mc.curve, bands) });
  }
  return out;
}

/**
 * The strip under an overlay panel: every non-reference run's curve against the
 * reference run's (`refId`; the first run when null or absent), for runs as deep as the
 * reference. Empty when the reference lacks the module.
 */
export function stripSeries(
  all: readonly RunCurves[],
  module: ModuleKey,
  refId: string | null,
  kind: StripKind,
  looks?: RunLooks,
): { reference: RunCurves | undefined; series: LineSeries[] } {
  const reference = all.find((rc) => rc.entry.run.id === refId) ?? all[0];
  const refCurve = reference?.modules.find((m) => m.module === module)?.curve;
  if (!reference || !refCurve) return { reference, series: [] };
  const series: LineSeries[] = [];
  for (const rc of all) {
    if (rc === reference) continue;
    const mc = rc.modules.find((m) => m.module === module);
    // Layer by layer only between runs of one depth (a 32- and a 42-layer model do not pair layers).
    if (!mc || mc.curve.mean.length !== refCurve.mean.length) continue;
    series.push({ key: rc.entry.run.id, run: rc.entry.run.id, module, ...look(rc, looks), values: computeCurveStrip(refCurve.mean, mc.curve.mean, kind) });
  }
  return { reference, series };
}

/** Largest layer count among the runs (the x extent of shared panels). */
export function maxLayers(all: readonly RunCurves[]): number {
  return all.reduce((m, rc) => Math.max(m, rc.entry.run.layerCount), 0);
}
