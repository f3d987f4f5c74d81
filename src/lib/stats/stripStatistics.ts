/**
 * The overlay strip's lines with what the resampled comparisons say about them: on the
 * difference strip, the 95% interval of B − A at each layer as a band; on either strip,
 * a mark on each layer whose difference has a Benjamini–Hochberg q below 0.05.
 */
import type { Run, StatName } from '../../core/format/run.ts';
import type { LineSeries } from '../charts/types.ts';
import { fittingSplits } from './comparisonRequests.ts';
import type { ComparisonStore } from './comparisons.svelte.ts';

/** The q-value under which a layer's difference is marked. */
export const Q_MARK = 0.05;

/** Strip lines with bands and marks where computed; how many runs are still being resampled, and how many are done. */
export interface StripStatistics {
  panels: LineSeries[][];
  pending: number;
  done: number;
}

/**
 * Adds intervals (`lo`, `hi`: difference strip only) and `marks` (layers of q < 0.05) to
 * each strip line `panels[i]` (module `modules[i]`) from the comparison of its run with
 * the reference `ref`. Lines whose comparison is not done are returned as they are.
 */
export function stripStatistics(
  panels: readonly LineSeries[][],
  modules: readonly string[],
  ref: Run,
  runs: readonly Run[],
  settings: { stat: StatName; splits: [number, number] | null; strip: 'difference' | 'ratio' },
  store: ComparisonStore,
): StripStatistics {
  const byId = new Map(runs.map((r) => [r.id, r]));
  const pending = new Set<string>();
  const done = new Set<string>();
  const splits = fittingSplits(settings.splits, ref.layerCount);
  const out = panels.map((series, i) =>
    series.map((s) => {
      const run = byId.get(s.run);
      if (!run) return s;
      const state = store.get({ a: ref, b: run, stat: settings.stat, splits });
      if (state?.status !== 'done') {
        if (state?.status === 'pending') pending.add(run.id);
        return s;
      }
      done.add(run.id);
      const m = state.result.modules.find((x) => x.module === modules[i]);
      if (!m) return s;
      const marks = m.layers.flatMap((l, j) => (l.q < Q_MARK ? [j] : []));
      if (settings.strip !== 'difference') return { ...s, marks };
      return { ...s, marks, lo: Float64Array.from(m.layers, (l) => l.lo), hi: Float64Array.from(m.layers, (l) => l.hi) };
    }),
  );
  return { panels: out, pending: pending.size, done: done.size };
}
