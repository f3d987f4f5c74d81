/**
 * R factor of a Householder QR, for the exact fallback of the low-rank singular value
 * route: σ(Δᵀ X) = σ(R_Δ R_Xᵀ) when Δᵀ = Q_Δ R_Δ and Xᵀ = Q_X R_X.
 */
/**
 * For A [count, length] whose rows are the columns of M = Aᵀ (length × count,
 * count ≤ length), the upper-triangular R (count×count row-major) of M = Q R.
 * Working on rows of A keeps every reflection contiguous in memory. `a` is not
 * modified. Example: rows [3, 4] and [0, 5] (M = [[3, 0], [4, 5]]) → R = [[-5, -4], [0, -3]].
 */
export function householderR(a: Float64Array, count: number, length: number): Float64Array {
  const w = Float64Array.from(a.subarray(0, count * length));
  const r = new Float64Array(count * count);
  for (let k = 0; k < count; k++) {
    const ck = k * length;
    let norm2 = 0;
    for (let t = k; t < length; t++) norm2 += w[ck + t] * w[ck + t];
    const norm = Math.sqrt(norm2);
    if (norm === 0) {
      // Column already zero from the diagonal down: R[k][k] = 0 and no reflection.
      for (let j = k + 1; j < count; j++) r[k * count + j] = w[j * length + k];
      continue;
    }
    const x0 = w[ck + k];
    const alpha = x0 >= 0 ? -norm : norm;
    r[k * count + k] = alpha;
    // v = x − α e₀ stored in place; vᵀv = 2·norm·(norm + |x0|).
    w[ck + k] = x0 - alpha;
    const vtv = 2 * norm * (norm + Math.abs(x0));
    for (let j = k + 1; j < count; j++) {
      const cj = j * length;
      let dot = 0;
      for (let t = k; t < length; t++) dot += w[ck + t] * w[cj + t];
      const f = (2 * dot) / vtv;
      for (let t = k; t < length; t++) w[cj + t] -= f * w[ck + t];
      r[k * count + j] = w[cj + k];
    }
  }
  return r;
}
