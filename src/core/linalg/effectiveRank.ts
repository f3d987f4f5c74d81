/**
 * Effective rank of a matrix from its singular values (follow-up study, arXiv
 * 2504.10766): exp of the Shannon entropy of the normalised spectrum.
 */

/**
 * exp(−Σ pᵢ ln pᵢ) with pᵢ = σᵢ / Σσ. Ranges from 1 (one nonzero singular value) to
 * the number of values (all equal). Zero singular values contribute nothing
 * (0·ln 0 = 0). Empty input or all zeros → 0 (a zero matrix has rank 0). Any NaN,
 * ±Infinity or negative value → NaN (not a spectrum).
 * Example: effectiveRank([1, 1, 0]) → 2; effectiveRank([5]) → 1.
 */
export function effectiveRank(sigma: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < sigma.length; i++) {
    const s = sigma[i];
    if (!Number.isFinite(s) || s < 0) return NaN;
    total += s;
  }
  if (total === 0) return 0;
  let entropy = 0;
  for (let i = 0; i < sigma.length; i++) {
    const p = sigma[i] / total;
    if (p > 0) entropy -= p * Math.log(p);
  }
  return Math.exp(entropy);
}
