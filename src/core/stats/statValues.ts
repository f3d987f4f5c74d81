/**
 * The [samples × layers] values of one statistic for one module of a run, stored or
 * derived (DESIGN.md §3), and the list of statistics a run can show.
 */
import type { ModuleKey, Run, StatName } from '../format/run.ts';

/**
 * Display order of the statistics gradlens knows; stored statistics not listed here
 * follow in the run's own order. S_sum (nuclear norm) first: it is what the study plots.
 */
export const STAT_ORDER: readonly StatName[] = [
  'S_sum',
  'S_max',
  'S_min',
  'S_ratio',
  'S_sum_regularized',
  'frobenius_norm',
  'effective_rank',
  'M_mean',
  'M_max',
  'M_min',
];

/** Thrown when a run has no such module or statistic; the message names what exists. */
export class UnknownSelectionError extends Error {
  override name = 'UnknownSelectionError';
}

/**
 * Every statistic selectable for `run`: the stored ones plus `S_ratio` (needs `S_max`
 * and `S_sum`) and `S_sum_regularized` (needs `S_sum` and a loss for some sample), in
 * {@link STAT_ORDER}, then any other stored statistic in file order. Empty run → [].
 * Example: stats `['M_mean', 'S_sum', 'S_max']` with losses → `['S_sum', 'S_max', 'S_ratio', 'S_sum_regularized', 'M_mean']`.
 */
export function listStats(run: Run): StatName[] {
  const available = new Set<StatName>(run.stats);
  if (available.has('S_sum')) {
    if (run.loss.some((x) => !Number.isNaN(x))) available.add('S_sum_regularized');
    if (available.has('S_max')) available.add('S_ratio');
  }
  const known = STAT_ORDER.filter((s) => available.has(s));
  const rest = run.stats.filter((s) => !STAT_ORDER.includes(s));
  return [...known, ...rest];
}

function stored(run: Run, module: ModuleKey, stat: StatName): Float64Array {
  const byStat = run.values.get(module);
  if (!byStat) {
    throw new UnknownSelectionError(
      `unknown module "${module}" in ${run.name}; modules: ${run.modules.join(', ') || '(none)'}`,
    );
  }
  const values = byStat.get(stat);
  if (values) return values;
  if (run.stats.includes(stat)) {
    // Stored for other modules only: this module simply has no value for it.
    return new Float64Array(run.sampleCount * run.layerCount).fill(NaN);
  }
  throw new UnknownSelectionError(
    `unknown statistic "${stat}" in ${run.name}; statistics: ${listStats(run).join(', ') || '(none)'}`,
  );
}

/**
 * The values of `stat` for `module`, sample-major (index `sample * layerCount + layer`),
 * length `sampleCount * layerCount`. Stored statistics are returned as held by the run
 * (do not mutate); derived ones are computed into a new array, with the reference code's
 * zero rule (it catches ZeroDivisionError and writes 0):
 * - `S_ratio = S_max / S_sum`, 0 where `S_sum` is 0 (even if `S_max` is NaN), NaN where either is NaN;
 * - `S_sum_regularized = S_sum / loss`, 0 where `loss` is 0, NaN where loss is missing.
 * Example: S_max [1, 2], S_sum [4, 0] → S_ratio [0.25, 0].
 * (On a zero, exp_utils.py appends 0 to all four q/k/v/o lists at once, shifting that
 * sample's other rows; the rule is applied here per value, as it intends.)
 * Throws {@link UnknownSelectionError} for a module or statistic the run does not have.
 */
export function statValues(run: Run, module: ModuleKey, stat: StatName): Float64Array {
  if (stat === 'S_ratio' && !run.stats.includes('S_ratio')) {
    const sMax = stored(run, module, 'S_max');
    const sSum = stored(run, module, 'S_sum');
    const out = new Float64Array(sSum.length);
    for (let i = 0; i < out.length; i++) out[i] = sSum[i] === 0 ? 0 : sMax[i] / sSum[i];
    return out;
  }
  if (stat === 'S_sum_regularized' && !run.stats.includes('S_sum_regularized')) {
    const sSum = stored(run, module, 'S_sum');
    const L = run.layerCount;
    const out = new Float64Array(sSum.length);
    for (let s = 0; s < run.sampleCount; s++) {
      const loss = run.loss[s];
      for (let l = 0; l < L; l++) {
        const i = s * L + l;
        out[i] = loss === 0 ? 0 : sSum[i] / loss;
      }
    }
    return out;
  }
  return stored(run, module, stat);
}
