/**
 * Effective rank of a matrix from its singular values (follow-up study, arXiv
 * 2504.10766): exp of the Shannon entropy of the normalised spectrum.
 */

/**
 * exp(−Σ pᵢ ln pᵢ) with pᵢ = σᵢ / Σσ. Ranges from 1 (one nonzero singular value) to
 * the number of values (all equal). Zero singular values contribute nothing
 * (0·ln 0 = 0). Empty input → NaN (no spectrum, e.g. an empty `S_list`); all zeros
 * → 0 (a zero matrix has rank 0, and 0 keeps the sample in curves instead of dropping
 * it as a NaN row). Any NaN, ±Infinity or negative value → NaN (not a spectrum).
 * Example: effectiveRank([1, 1, 0]) → 2; effectiveRank([3, 1]) ≈ 1.7548.
 */
export function effectiveRank(sigma: ArrayLike<number>): number {
  const n = sigma.length;
  if (n === 0) return NaN;
  let max = 0;
  for (let i = 0; i < n; i++) {
    const s = sigma[i];
    if (!Number.isFinite(s) || s < 0) return NaN;
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
