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

/** Curves already computed, per run (a run is replaced, never mutated, so its curves never go stale). */
const cache = new WeakMap<object, Map<string, Curve | null>>();

/** The curve of one module and statistic of a run, computed once per run; null when the run lacks the statistic. */
export function cachedCurve(run: RunEntry['run'], module: ModuleKey, stat: StatName): Curve | null {
  let byKey = cache.get(run);
  if (!byKey) cache.set(run, (byKey = new Map()));
  const key = `${module}\u0000${stat}`;
  if (!byKey.has(key)) {
    try {
      byKey.set(key, computeCurve(run, module, stat));
    } catch (e) {
      if (!(e instanceof UnknownSelectionError)) throw e;
      byKey.set(key, null);
    }
  }
  return byKey.get(key) ?? null;
}

/**
 * Curves of `stat` for every entry, in the given order, for the modules `keep` lets
 * through (all by default); a module lacking the statistic is skipped. Curves are
 * cached per run, so showing a run again or switching back to a statistic is free.
 */
export function runCurves(entries: readonly RunEntry[], stat: StatName, keep: (modules: readonly ModuleKey[]) => ModuleKey[] = (m) => m.slice()): RunCurves[] {
  return entries.map((entry) => {
    const modules: ModuleCurve[] = [];
    for (const module of keep(entry.run.modules)) {
      const curve = cachedCurve(entry.run, module, stat);
      if (curve) modules.push({ module, curve });
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
