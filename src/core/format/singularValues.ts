/**
 * Statistics derived from a matrix's full list of singular values (`S_list`, written by
 * the follow-up study, arXiv 2504.10766): nuclear norm, largest and smallest singular
 * value, and the effective rank.
 */
import { effectiveRank } from '../linalg/effectiveRank.ts';

/** The per-matrix statistics `S_list` yields. */
export interface SingularValueStats {
  S_sum: number;
  S_max: number;
  S_min: number;
  effective_rank: number;
}

/** The statistics a list of singular values yields, in the order readers register them. */
export const FROM_S_LIST = ['S_sum', 'S_max', 'S_min', 'effective_rank'] as const satisfies readonly (keyof SingularValueStats)[];

/** Effective rank lives with the linear algebra; re-exported for readers of `S_list`. */
export { effectiveRank };

/**
 * S_sum, S_max, S_min and effective rank from a list of singular values given in any
 * order. Entries that are not numbers (a null from the file's NaN) count as NaN, so a
 * list holding one gives NaN for all four; ±Infinity propagates into S_sum / S_max /
 * S_min as arithmetic says, effective rank NaN. Empty list → all NaN.
 */
export function summarizeSingularValues(list: ArrayLike<unknown>): SingularValueStats {
  const n = list.length;
  if (n === 0) return { S_sum: NaN, S_max: NaN, S_min: NaN, effective_rank: NaN };
  const sigma = new Float64Array(n);
  let sum = 0;
  let max = -Infinity;
  let min = Infinity;
  let nan = false;
  for (let i = 0; i < n; i++) {
    const raw = list[i];
    const s = typeof raw === 'number' ? raw : NaN;
    sigma[i] = s;
    if (Number.isNaN(s)) nan = true;
    sum += s;
    if (s > max) max = s;
    if (s < min) min = s;
  }
  if (nan) return { S_sum: NaN, S_max: NaN, S_min: NaN, effective_rank: NaN };
  return { S_sum: sum, S_max: max, S_min: min, effective_rank: effectiveRank(sigma) };
}
