/**
 * Cholesky factor of a symmetric positive definite matrix, for the low-rank singular
 * value route (X Xᵀ = L Lᵀ).
 */

/**
 * Lower-triangular L (n×n row-major, upper part 0) with L Lᵀ = K, reading only the
 * lower triangle of K; null when a pivot is not positive (singular or indefinite K,
 * NaN, ±Infinity, K = 0). A tiny positive pivot is accepted: Cholesky is backward
 * stable whenever it completes (Σ_k L[i][k]² = K[i][i] bounds every entry), and
 * refusing near-singular K would push well-posed problems onto the rank-revealing
 * route, which drops directions below √(n·ε) of the largest.
 * Example: K = [[4, 2], [2, 5]] → L = [[2, 0], [1, 2]].
 */
export function cholesky(k: Float64Array, n: number): Float64Array | null {
  const l = new Float64Array(n * n);
  if (n === 0) return null;
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let diag = k[rj + j];
    for (let c = 0; c < j; c++) diag -= l[rj + c] * l[rj + c];
    if (!(diag > 0) || diag === Infinity) return null;
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
