/**
 * The per-matrix statistics of a Layer_Gradient line (DESIGN.md §2) plus the effective
 * rank, computed from one gradient matrix.
 */
import { effectiveRank } from './effectiveRank';
import type { DenseMatrix } from './gram';
import { singularValues, singularValuesOfProduct } from './singularValues';

/** One matrix's statistics, field names as the study writes them. */
export interface MatrixStats {
  M_mean: number;
  M_max: number;
  M_min: number;
  frobenius_norm: number;
  S_sum: number;
  S_max: number;
  S_min: number;
  effective_rank: number;
}

/**
 * All per-matrix statistics of DESIGN.md §2 plus effective rank of the row-major
 * gradient `g` [rows, cols]; factors (Δ [T, rows], X [T, cols] with g = Δᵀ X) make
 * the singular values cheap when T < min(rows, cols). M_* and frobenius_norm always
 * come from `g`. S_min is the smallest of the min(rows, cols) singular values, so it is
 * 0 for rank-deficient matrices (numpy prints noise of 1e-13…1e-10 there).
 * NaN/±Infinity anywhere in `g` (or in the factors) makes the affected fields NaN, as
 * PyTorch would write them; an empty matrix gives NaN for M_*, S_max, S_min and
 * effective_rank (no spectrum) and 0 for frobenius_norm and S_sum. Inputs are not modified.
 */
export function matrixStats(
  g: DenseMatrix,
  rows: number,
  cols: number,
  factors?: { delta: DenseMatrix; x: DenseMatrix; tokens: number },
): MatrixStats {
  return matrixStatsAndSpectrum(g, rows, cols, factors).stats;
}

/**
 * matrixStats and the singular values they come from (descending, min(rows, cols) of
 * them, 0 below the route's resolution): the follow-up's `S_list`.
 */
export function matrixStatsAndSpectrum(
  g: DenseMatrix,
  rows: number,
  cols: number,
  factors?: { delta: DenseMatrix; x: DenseMatrix; tokens: number },
): { stats: MatrixStats; sigma: Float64Array } {
  const sigma = factors
    ? singularValuesOfProduct(factors.delta, factors.x, factors.tokens, rows, cols)
    : singularValues(g, rows, cols);
  if (g.length !== rows * cols) throw new RangeError(`g: expected ${rows * cols} entries, got ${g.length}`);
  let sum = 0;
  let sumSquares = 0;
  let max = -Infinity;
  let min = Infinity;
  let nan = false;
  for (let i = 0; i < g.length; i++) {
    const v = g[i];
    if (Number.isNaN(v)) nan = true;
    sum += v;
    sumSquares += v * v;
    if (v > max) max = v;
    if (v < min) min = v;
  }
  const n = g.length;
  const k = sigma.length;
  let sSum = 0;
  for (let i = 0; i < k; i++) sSum += sigma[i];
  const stats = {
    M_mean: n === 0 ? NaN : sum / n,
    M_max: n === 0 || nan ? NaN : max,
    M_min: n === 0 || nan ? NaN : min,
    frobenius_norm: Math.sqrt(sumSquares),
    S_sum: sSum,
    S_max: k === 0 ? NaN : sigma[0],
    S_min: k === 0 ? NaN : sigma[k - 1],
    effective_rank: effectiveRank(sigma),
  };
  return { stats, sigma };
}
