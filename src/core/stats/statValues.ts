/**
 * The [samples × layers] values of one statistic for one module of a run, stored or
 * derived (DESIGN.md §3), and the list of statistics a run can show.
 */
import { COSINE_SIM_ADJACENT } from '../format/followup.ts';
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
  COSINE_SIM_ADJACENT,
  'cosine_sim_qkvo',
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
 * and `S_sum`), `S_sum_regularized` (needs `S_sum` and a loss for some sample) and
 * `cosine_sim_adjacent` (needs the follow-up's `cosine_sim`), in
 * {@link STAT_ORDER}, then any other stored statistic in file order. Empty run → [].
 * Example: stats `['M_mean', 'S_sum', 'S_max']` with losses → `['S_sum', 'S_max', 'S_ratio', 'S_sum_regularized', 'M_mean']`.
 */
export function listStats(run: Run): StatName[] {
  const available = new Set<StatName>(run.stats);
  if (run.cosineSim !== undefined && run.cosineSim.size > 0) available.add(COSINE_SIM_ADJACENT);
  if (available.has('S_sum')) {
    if (run.loss.some((x) => !Number.isNaN(x))) available.add('S_sum_regularized');
    if (available.has('S_max')) available.add('S_ratio');
  }
  const known = STAT_ORDER.filter((s) => available.has(s));
  const rest = run.stats.filter((s) => !STAT_ORDER.includes(s));
  return [...known, ...rest];
}

/**
 * Whether `module` of `run` has values of `stat`: stored for it, or derivable from what
 * is (S_ratio: S_max and S_sum; S_sum_regularized: S_sum; cosine_sim_adjacent: the
 * module's cosine_sim). Views and tables show a statistic for these modules only.
 */
export function hasStat(run: Run, module: ModuleKey, stat: StatName): boolean {
  const byStat = run.values.get(module);
  if (byStat?.has(stat)) return true;
  if (stat === 'S_ratio') return byStat !== undefined && byStat.has('S_max') && byStat.has('S_sum');
  if (stat === 'S_sum_regularized') return byStat !== undefined && byStat.has('S_sum') && run.loss.some((x) => !Number.isNaN(x));
  if (stat === COSINE_SIM_ADJACENT) return run.cosineSim?.has(module) ?? false;
  return false;
}

/** The modules of `run` that have `stat` ({@link hasStat}), in the run's order. Example: S_sum of a follow-up run → q, k, v, o (not its Q×O, K×V pairs). */
export function statModules(run: Run, stat: StatName): ModuleKey[] {
  return run.modules.filter((m) => hasStat(run, m, stat));
}

/**
 * Layers 0 … span − 1 are where `stat` is defined: every layer, except for
 * `cosine_sim_adjacent`, the cosine of layer i with layer i + 1, which the last layer
 * does not have (it is NaN there and lies outside the curve: the NaN-row rule, MAD and
 * relative difference look at layers 0 … L − 2, as the follow-up's figure does).
 */
export function statLayerSpan(run: Run, stat: StatName): number {
  return stat === COSINE_SIM_ADJACENT ? Math.max(0, run.layerCount - 1) : run.layerCount;
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
  if (stat === COSINE_SIM_ADJACENT && !run.stats.includes(COSINE_SIM_ADJACENT)) return adjacentCosine(run, module);
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

/**
 * The follow-up's adjacent-layer cosine of `module`: per sample, `cosine_sim[proj].matrix[i][i+1]`
 * at layer i (its vis/try_vis_cosine_two.py), NaN at the last layer (see statLayerSpan).
 * Example: matrices [[1, .5, .2], [.5, 1, .3], [.2, .3, 1]] → [.5, .3, NaN].
 */
function adjacentCosine(run: Run, module: ModuleKey): Float64Array {
  const matrices = run.cosineSim?.get(module);
  if (matrices === undefined) {
    if (!run.values.has(module)) stored(run, module, COSINE_SIM_ADJACENT); // throws: unknown module
    if (run.cosineSim === undefined || run.cosineSim.size === 0) {
      throw new UnknownSelectionError(`unknown statistic "${COSINE_SIM_ADJACENT}" in ${run.name} (it has no cosine_sim block); statistics: ${listStats(run).join(', ') || '(none)'}`);
    }
    return new Float64Array(run.sampleCount * run.layerCount).fill(NaN);
  }
  const L = run.layerCount;
  const out = new Float64Array(run.sampleCount * L);
  for (let s = 0; s < run.sampleCount; s++) {
    for (let i = 0; i < L; i++) out[s * L + i] = i + 1 < L ? matrices[(s * L + i) * L + i + 1] : NaN;
  }
  return out;
}
