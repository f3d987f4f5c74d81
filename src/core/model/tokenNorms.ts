/**
 * Per-position contributions to a weight gradient. For a linear map y = x Wᵀ the
 * gradient of one sample is a sum of one rank-1 term per position, G = Σₜ δₜ xₜᵀ (δₜ the
 * loss gradient at the output, xₜ the input at position t), and the Frobenius norm of a
 * rank-1 term is the product of its factors' norms: ‖δₜ xₜᵀ‖_F = ‖δₜ‖₂ ‖xₜ‖₂ = cₜ. So the
 * factors the statistics already hold (G = Δᵀ X) give every position's share of every
 * matrix's gradient for O(T·(out + in)) work.
 */

/** Significant digits kept in a written cₜ: the factors are float32 (about 7 digits), so more would be noise in the file. */
export const TOKEN_NORM_DIGITS = 7;

/**
 * cₜ = ‖δₜ‖₂ · ‖xₜ‖₂ for each of the `tokens` rows of Δ [tokens, out] and X [tokens, in]
 * (row-major), accumulated in float64. Example: Δ = [[3, 4]], X = [[1, 0, 0]] → [5].
 * NaN in a row gives NaN for that position; an empty input gives an empty array.
 */
export function tokenNorms(delta: ArrayLike<number>, x: ArrayLike<number>, tokens: number): Float64Array {
  const out = new Float64Array(tokens);
  if (tokens === 0) return out;
  const dOut = delta.length / tokens;
  const dIn = x.length / tokens;
  for (let t = 0; t < tokens; t++) {
    let sd = 0;
    for (let k = t * dOut, end = k + dOut; k < end; k++) sd += delta[k] * delta[k];
    let sx = 0;
    for (let k = t * dIn, end = k + dIn; k < end; k++) sx += x[k] * x[k];
    out[t] = Math.sqrt(sd) * Math.sqrt(sx);
  }
  return out;
}

/**
 * One matrix's cₜ over the whole sequence of `length` positions, as written in a record:
 * the factors cover positions [first, first + rows) (all of them for every layer inside
 * the model; the response's predicting positions for `lm_head`, whose logits are taken
 * there only), and every other position contributes nothing, so it is 0. Values are
 * rounded to TOKEN_NORM_DIGITS significant digits. Throws when the rows do not fit.
 */
export function positionNorms(delta: ArrayLike<number>, x: ArrayLike<number>, rows: number, first: number, length: number): number[] {
  if (first < 0 || first + rows > length) throw new RangeError(`factors of ${rows} rows from position ${first} do not fit ${length} positions`);
  const c = tokenNorms(delta, x, rows);
  const out = new Array<number>(length).fill(0);
  for (let t = 0; t < rows; t++) out[first + t] = roundDigits(c[t]);
  return out;
}

function roundDigits(v: number): number {
  return Number.isFinite(v) && v !== 0 ? Number(v.toPrecision(TOKEN_NORM_DIGITS)) : v;
}
