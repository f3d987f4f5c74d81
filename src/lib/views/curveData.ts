/**
 * The curves a view draws, taken from the core once per (runs, statistic) change:
 * one Curve per module per visible run. Modules without the statistic are left out.
 */
import type { ModuleKey, StatName } from '../../core/format/run.ts';
import { computeCurve, type Curve } from '../../core/stats/computeCurve.ts';
import { listStats, UnknownSelectionError } from '../../core/stats/statValues.ts';
import type { RunEntry } from '../state/types.ts';

/** One module's curve of one run. */
export interface ModuleCurve {
  module: ModuleKey;
  curve: Curve;
}

/** A visible run and its curves for the selected statistic, modules in the run's order. */
export interface RunCurves {
  entry: RunEntry;
  modules: ModuleCurve[];
}

/** Curves of `stat` for every entry, in the given order; a module lacking the statistic is skipped. */
export function runCurves(entries: readonly RunEntry[], stat: StatName): RunCurves[] {
  return entries.map((entry) => {
    const modules: ModuleCurve[] = [];
    for (const module of entry.run.modules) {
      try {
        modules.push({ module, curve: computeCurve(entry.run, module, stat) });
      } catch (e) {
        if (!(e instanceof UnknownSelectionError)) throw e;
      }
    }
    return { entry, modules };
  });
}

/** The union of `listStats` over the runs, in first-seen order (the core's display order per run). */
export function statChoices(entries: readonly RunEntry[]): StatName[] {
  const seen = new Set<StatName>();
  for (const e of entries) for (const s of listStats(e.run)) seen.add(s);
  return [...seen];
}

/** Every module of the runs, in first-seen order. */
export function moduleUnion(entries: readonly RunEntry[]): ModuleKey[] {
  const seen = new Set<ModuleKey>();
  for (const e of entries) for (const m of e.run.modules) seen.add(m);
  return [...seen];
}
