/**
 * Cholesky factor of a symmetric positive definite matrix, for the low-rank singular
 * value route (X Xᵀ = L Lᵀ).
 */

/**
 * Lower-triangular L (n×n row-major, upper part 0) with L Lᵀ = K, reading only the
 * lower triangle of K; null when K is not numerically positive definite, i.e. a pivot
 * falls to n·ε·max(diag K) or below (singular or near-singular K, NaN, or K = 0).
 * The threshold sends near-singular K to an exact route instead of trusting a pivot
 * made of rounding noise. Example: K = [[4, 2], [2, 5]] → L = [[2, 0], [1, 2]].
 */
export function cholesky(k: Float64Array, n: number): Float64Array | null {
  const l = new Float64Array(n * n);
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, k[i * n + i]);
  const tol = n * Number.EPSILON * maxDiag;
  if (!(maxDiag > 0)) return null;
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let diag = k[rj + j];
    for (let c = 0; c < j; c++) diag -= l[rj + c] * l[rj + c];
    if (!(diag > tol)) return null;
    const ljj = Math.sqrt(diag);
    l[rj + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let s = k[ri + j];
      for (let c = 0; c < j; c++) s -= l[ri + c] * l[rj + c];
      l[ri + j] = s / ljj;
    }
  }
  return l;
}
