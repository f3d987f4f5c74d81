/**
 * Statistics derived from a matrix's full list of singular values (`S_list`, written by
 * the follow-up study, arXiv 2504.10766): nuclear norm, largest and smallest singular
 * value, and the effective rank.
 */

/** The per-matrix statistics `S_list` yields. */
export interface SingularValueStats {
  S_sum: number;
  S_max: number;
  S_min: number;
  effective_rank: number;
}

/**
 * Effective rank exp(-Σ p_i ln p_i) with p_i = σ_i / Σσ, taking 0·ln 0 = 0.
 * Empty list → NaN. Any NaN, negative or infinite σ → NaN (no distribution).
 * All σ zero (Σσ = 0, a zero gradient) → 0: the zero matrix has rank 0, and 0 keeps
 * the sample in curves instead of dropping it as a NaN row.
 * Example: [1, 1] → 2; [3, 1] → exp(-(0.75 ln 0.75 + 0.25 ln 0.25)) ≈ 1.7548.
 */
export function effectiveRank(sigma: ArrayLike<number>): number {
  const n = sigma.length;
  if (n === 0) return NaN;
  let max = 0;
  for (let i = 0; i < n; i++) {
    const s = sigma[i];
    if (!(s >= 0) || s === Infinity) return NaN;
    if (s > max) max = s;
  }
  if (max === 0) return 0;
  // Scaled by the largest value so that a sum of huge values cannot overflow.
  let total = 0;
  for (let i = 0; i < n; i++) total += sigma[i] / max;
  let entropy = 0;
  for (let i = 0; i < n; i++) {
    const p = sigma[i] / max / total;
    if (p > 0) entropy -= p * Math.log(p);
  }
  return Math.exp(entropy);
}

/**
 * S_sum, S_max, S_min and effective rank from a list of singular values given in any
 * order. Entries that are not numbers (a null from the file's NaN) count as NaN, so a
 * list holding one gives NaN for all four; ±Infinity propagates into S_sum / S_max /
 * S_min as arithmetic says, effective rank NaN. Empty list → all NaN.
 */
export function summarizeSingularValues(list: readonly unknown[]): SingularValueStats {
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
