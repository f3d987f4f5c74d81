/**
 * Singular values of per-sample gradient matrices, exact up to the float64 rounding
 * of the route taken (DESIGN.md §3). Routes, cheapest first:
 * - G = Δᵀ X with T < min(dOut, dIn) tokens: rank ≤ T, so the nonzero singular values
 *   are the square roots of the eigenvalues of the T×T matrix Lᵀ(Δ Δᵀ)L with
 *   X Xᵀ = L Lᵀ (or the same with Δ and X swapped). When both Gram matrices are
 *   singular (tokens linearly dependent) Cholesky breaks down and the singular values
 *   of the T×T core R_Δ R_Xᵀ of two Householder QRs are taken by one-sided Jacobi
 *   (singularValuesOfProductQR), accurate to ~1e-13 but ~5× slower than Cholesky (and
 *   slower than the dense route) at d = 256, T = 128 — see `npm run bench`.
 * - Otherwise: eigenvalues of the smaller Gram matrix G Gᵀ or Gᵀ G.
 * Before either, tokens that add nothing are dropped and repeated tokens merged
 * (compactTokens), which often turns the QR route into the faster Cholesky one.
 *
 * Routes from the factors see X only through X Xᵀ, which rounds away input directions
 * below √ε·‖X‖; when tokens' contributions cancel almost completely (never seen with
 * real gradients, easy to construct) their error grows towards √ε·‖Δ‖·‖X‖.
 *
 * Gram routes square the condition number: their absolute error on σ² is about
 * n·ε·σ_max², so singular values below √(n·ε)·σ_max (≈ 2e-7·σ_max for n = 256) are
 * not resolved. They are reported as 0 rather than as noise, which also makes S_min
 * exactly 0 for rank-deficient matrices where numpy prints noise of 1e-13…1e-10.
 */
import { cholesky } from './cholesky';
import { compactTokens } from './compactTokens';
import { allFinite, type DenseMatrix, gramOfRows, normalizedCopy } from './gram';
import { gramEigenvalues, gramOfRowsFast, symmetricEigenvaluesFast } from './gramEigenvalues';
import { singularValuesOfProductQR } from './singularValuesOfProductQR';

/**
 * Singular values (descending, length min(rows, cols)) of a dense row-major matrix.
 * Any NaN or ±Infinity entry makes every value NaN; an empty shape gives an empty
 * array; values below the Gram route's resolution are 0 (see the module comment).
 * `g` is not modified. Example: singularValues([3, 0, 4, 5], 2, 2) → [√45, √5].
 */
export function singularValues(g: DenseMatrix, rows: number, cols: number): Float64Array {
  checkLength('g', g, rows, cols);
  const k = Math.min(rows, cols);
  if (k === 0) return new Float64Array(0);
  if (!allFinite(g)) return new Float64Array(k).fill(NaN);
  const { values, scale } = normalizedCopy(g);
  if (scale === 0) return new Float64Array(k);
  return scaled(sqrtOfEigenvalues(gramEigenvalues(values, rows, cols), k), scale);
}

/**
 * Singular values of G = Δᵀ X (descending, length min(dOut, dIn)) without forming a
 * d×d eigenproblem when T is small. `delta` is the upstream gradient [T, dOut], `x`
 * the layer input [T, dIn], both row-major. T = 0 gives zeros; any NaN or ±Infinity
 * in either factor gives all NaN. Inputs are not modified.
 */
export function singularValuesOfProduct(
  deltaIn: DenseMatrix,
  xIn: DenseMatrix,
  tokens: number,
  dOut: number,
  dIn: number,
): Float64Array {
  checkLength('delta', deltaIn, tokens, dOut);
  checkLength('x', xIn, tokens, dIn);
  const k = Math.min(dOut, dIn);
  if (k === 0) return new Float64Array(0);
  if (!allFinite(deltaIn) || !allFinite(xIn)) return new Float64Array(k).fill(NaN);
  if (tokens === 0) return new Float64Array(k);
  // Power-of-two scaling (exact) keeps the squared entries of the Gram matrices in range.
  const { values: delta, scale: deltaScale } = normalizedCopy(deltaIn);
  const { values: x, scale: xScale } = normalizedCopy(xIn);
  if (deltaScale === 0 || xScale === 0) return new Float64Array(k);
  const c = compactTokens(delta, x, tokens, dOut, dIn);
  if (c.tokens === 0) return new Float64Array(k);
  return scaled(unscaledProductValues(c.delta, c.x, c.tokens, dOut, dIn, k), deltaScale * xScale);
}

/** singularValuesOfProduct on finite, normalised factors with T ≥ 1. */
function unscaledProductValues(delta: Float64Array, x: Float64Array, tokens: number, dOut: number, dIn: number, k: number): Float64Array {
  if (tokens >= k) return singularValues(productTransposeLeft(delta, x, tokens, dOut, dIn), dOut, dIn);

  const kx = gramOfRowsFast(x, tokens, dIn); // [T, T], X Xᵀ
  const kd = gramOfRowsFast(delta, tokens, dOut); // [T, T], Δ Δᵀ
  // σ(Δᵀ X)² = λ(Lᵀ Kd L) for Kx = L Lᵀ; the roles of Δ and X are interchangeable.
  for (const [factor, other] of [
    [kx, kd],
    [kd, kx],
  ]) {
    const l = cholesky(factor, tokens);
    if (l) return sqrtOfEigenvalues(symmetricEigenvaluesFast(congruence(l, other, tokens), tokens), k);
  }
  // Both singular: tokens linearly dependent without being equal (those were merged).
  // Rare with real inputs, so the precise route is affordable here.
  return singularValuesOfProductQR(delta, x, tokens, dOut, dIn);
}

/** G = Δᵀ X, [dOut, dIn], accumulated in float64 as a sum of T outer products. */
function productTransposeLeft(delta: Float64Array, x: Float64Array, tokens: number, dOut: number, dIn: number): Float64Array {
  const g = new Float64Array(dOut * dIn);
  for (let t = 0; t < tokens; t++) {
    const xt = t * dIn;
    for (let o = 0; o < dOut; o++) {
      const d = delta[t * dOut + o];
      if (d === 0) continue;
      const go = o * dIn;
      for (let i = 0; i < dIn; i++) g[go + i] += d * x[xt + i];
    }
  }
  return g;
}

/**
 * Lower triangle of M = Lᵀ K L for lower-triangular L and symmetric K given by its
 * lower triangle, all n×n. Written as dot products of rows (Lᵀ and (K L)ᵀ stored
 * row-major) and skipping the zeros of L: n³/2 multiply-adds instead of 2n³, and dot
 * products run about 3× faster here than the equivalent row updates.
 */
function congruence(l: Float64Array, kLower: Float64Array, n: number): Float64Array {
  const k = Float64Array.from(kLower);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) k[j * n + i] = k[i * n + j];
  const lt = new Float64Array(n * n); // Lᵀ, upper triangular: lt[j][c] = L[c][j], nonzero for c ≥ j
  for (let c = 0; c < n; c++) for (let j = 0; j <= c; j++) lt[j * n + c] = l[c * n + j];
  // wt[j][c] = (K L)[c][j] = Σ_{m ≥ j} K[c][m] L[m][j]; only c ≥ j is used below.
  // Two rows c share each load of lt[j] (lt[j][m] = 0 for m < j, so starting at j is exact).
  const wt = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let c = j;
    for (; c + 1 < n; c += 2) {
      const rc = c * n;
      const rd = rc + n;
      let s0 = 0;
      let s1 = 0;
      for (let m = j; m < n; m++) {
        const v = lt[rj + m];
        s0 += v * k[rc + m];
        s1 += v * k[rd + m];
      }
      wt[rj + c] = s0;
      wt[rj + c + 1] = s1;
    }
    if (c < n) {
      const rc = c * n;
      let acc = 0;
      for (let m = j; m < n; m++) acc += lt[rj + m] * k[rc + m];
      wt[rj + c] = acc;
    }
  }
  // M[i][j] = Σ_{c ≥ i} L[c][i] (K L)[c][j] for j ≤ i, two j at a time.
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let j = 0;
    for (; j + 1 <= i; j += 2) {
      const r0 = j * n;
      const r1 = r0 + n;
      let s0 = 0;
      let s1 = 0;
      for (let c = i; c < n; c++) {
        const v = lt[ri + c];
        s0 += v * wt[r0 + c];
        s1 += v * wt[r1 + c];
      }
      out[ri + j] = s0;
      out[ri + j + 1] = s1;
    }
    if (j <= i) {
      const rj = j * n;
      let acc = 0;
      for (let c = i; c < n; c++) acc += lt[ri + c] * wt[rj + c];
      out[ri + j] = acc;
    }
  }
  return out;
}

/**
 * √λ for eigenvalues λ (descending) of an n×n Gram-type matrix, padded with zeros to
 * `length`. Values at or below n·ε·λ_max (rounding noise, including negative ones)
 * become 0. NaN eigenvalues (non-finite input) give all NaN.
 */
function sqrtOfEigenvalues(lambda: Float64Array, length: number): Float64Array {
  const out = new Float64Array(length);
  const n = lambda.length;
  if (n === 0) return out;
  if (Number.isNaN(lambda[0])) return out.fill(NaN);
  const tol = n * Number.EPSILON * lambda[0];
  for (let i = 0; i < n && i < length; i++) out[i] = lambda[i] > tol ? Math.sqrt(lambda[i]) : 0;
  return out;
}

/** `sigma` multiplied in place by `scale`, returned for chaining. */
function scaled(sigma: Float64Array, scale: number): Float64Array {
  for (let i = 0; i < sigma.length; i++) sigma[i] *= scale;
  return sigma;
}

function checkLength(name: string, a: DenseMatrix, rows: number, cols: number): void {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0 || a.length !== rows * cols) {
    throw new RangeError(`${name}: expected ${rows}×${cols} = ${rows * cols} entries, got ${a.length}`);
  }
}
