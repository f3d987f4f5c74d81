/**
 * Fewer, equivalent tokens for G = Δᵀ X = Σ_t δ_t x_tᵀ: tokens whose δ_t or x_t is zero
 * add nothing, and tokens with identical inputs x_t (a repeated token at layer 0) add up
 * to one token with δ summed. G is unchanged up to the rounding of those sums, which is
 * exact when the δ's nearly cancel, so the low-rank route gets smaller and its Gram
 * matrix X Xᵀ stops being singular for the commonest reason.
 */

/** Factors after compaction: `tokens` rows each, row-major. */
export interface CompactFactors {
  delta: Float64Array;
  x: Float64Array;
  tokens: number;
}

/**
 * Drops tokens with an all-zero δ or x row and merges tokens with bit-identical x rows
 * (summing their δ rows), keeping first-appearance order. Inputs are not modified;
 * when nothing changes they are returned as they are (do not write to the result).
 * Example: δ = [[1], [2], [0]], x = [[5, 5], [5, 5], [1, 2]] → δ = [[3]], x = [[5, 5]], T = 1.
 */
export function compactTokens(delta: Float64Array, x: Float64Array, tokens: number, dOut: number, dIn: number): CompactFactors {
  // A fixed irrational weighting makes equal rows hash equal and different rows rarely so.
  const weights = new Float64Array(dIn);
  for (let i = 0; i < dIn; i++) weights[i] = 1 + ((i * 0.6180339887498949) % 1);
  const hashes = new Float64Array(tokens);
  for (let t = 0; t < tokens; t++) {
    let h = 0;
    for (let i = 0; i < dIn; i++) h += x[t * dIn + i] * weights[i];
    hashes[t] = h;
  }
  const keep: number[] = [];
  const outDelta = new Float64Array(tokens * dOut);
  const outX = new Float64Array(tokens * dIn);
  const byHash = new Map<number, number[]>();
  for (let t = 0; t < tokens; t++) {
    if (isZeroRow(delta, t * dOut, dOut) || isZeroRow(x, t * dIn, dIn)) continue;
    const candidates = byHash.get(hashes[t]) ?? [];
    const same = candidates.find((k) => equalRows(outX, k * dIn, x, t * dIn, dIn));
    if (same !== undefined) {
      for (let o = 0; o < dOut; o++) outDelta[same * dOut + o] += delta[t * dOut + o];
      continue;
    }
    const k = keep.length;
    keep.push(t);
    outDelta.set(delta.subarray(t * dOut, (t + 1) * dOut), k * dOut);
    outX.set(x.subarray(t * dIn, (t + 1) * dIn), k * dIn);
    candidates.push(k);
    byHash.set(hashes[t], candidates);
  }
  const n = keep.length;
  if (n === tokens) return { delta, x, tokens }; // nothing to drop or merge: spare the copies
  return { delta: outDelta.slice(0, n * dOut), x: outX.slice(0, n * dIn), tokens: n };
}

function isZeroRow(a: Float64Array, start: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (a[start + i] !== 0) return false;
  return true;
}

function equalRows(a: Float64Array, aStart: number, b: Float64Array, bStart: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (a[aStart + i] !== b[bStart + i]) return false;
  return true;
}
