/**
 * Percentiles by linear interpolation, numpy's default (`np.percentile(x, q)`, method
 * 'linear', Hyndman & Fan type 7): at fraction p of n sorted values, position
 * h = (n - 1)·p, result x[⌊h⌋] + (h - ⌊h⌋)·(x[⌊h⌋+1] - x[⌊h⌋]).
 */

/**
 * The p-quantile (0 ≤ p ≤ 1) of values already sorted ascending, containing no NaN.
 * Empty → NaN (numpy raises or warns and gives NaN). ±Infinity: the limit of the
 * interpolation, so [1, Infinity] at p = 0.05 → Infinity and [Infinity, Infinity] →
 * Infinity, [−∞, +∞] at p = 0.5 → NaN; numpy instead gives NaN in some of these cases (its lerp multiplies an
 * infinite difference by 0). For finite input the result is bit-identical to
 * `np.percentile` (same index arithmetic and the same lerp from the nearer endpoint).
 * Example: sorted [1, 2, 3, 4], p = 0.25 → h = 0.75 → 1 + 0.75·(2 - 1) = 1.75.
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0 || Number.isNaN(p)) return NaN;
  const h = (n - 1) * Math.min(1, Math.max(0, p));
  const lo = Math.floor(h);
  const g = h - lo;
  const a = sorted[lo];
  if (g === 0 || lo + 1 >= n) return a;
  const b = sorted[lo + 1];
  if (a === b) return a;
  // Distinct endpoints with an infinity: the interpolation tends to that infinity
  // (−∞ to +∞ has no limit: NaN).
  if (!Number.isFinite(a)) return Number.isFinite(b) ? a : NaN;
  if (!Number.isFinite(b)) return b;
  // numpy's _lerp, bit for bit: from the nearer endpoint, so t = 1 gives b exactly.
  const d = b - a;
  return g >= 0.5 ? b - d * (1 - g) : a + d * g;
}

/**
 * Sum in numpy's order (`np.sum` / `np.mean` of a contiguous 1-D float64 array): pairwise
 * summation with eight accumulators in blocks of up to 128, so results are bit-identical
 * to numpy's, not just close. Empty → 0; NaN or +∞ with −∞ → NaN.
 * Example: [2**53, 0, 1, 1, 0, 0, 0, 0] → 2**53 + 2, as numpy: (2**53 + 0) + (1 + 1); a
 * left-to-right sum loses each 1 to rounding and gives 2**53.
 */
export function pairwiseSum(values: ArrayLike<number>, start = 0, end = values.length): number {
  const n = end - start;
  if (n < 8) {
    let res = 0;
    for (let i = start; i < end; i++) res += values[i];
    return res;
  }
  if (n <= 128) {
    const r = [0, 1, 2, 3, 4, 5, 6, 7].map((j) => values[start + j]);
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] += values[start + i + j];
    let res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; i++) res += values[start + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(values, start, start + n2) + pairwiseSum(values, start + n2, end);
}

/** Arithmetic mean; empty → NaN (as `np.mean` of an empty array). Any NaN → NaN; +∞ and −∞ together → NaN. */
export function meanOf(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return NaN;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  return sum / n;
}

/**
 * Population standard deviation (divide by n, numpy's default `ddof=0`), two-pass about
 * the mean. Empty → NaN; any non-finite value → NaN (numpy: inf - inf). Example: [1, 2, 3, 4] → √1.25 ≈ 1.1180.
 */
export function stdOf(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return NaN;
  const m = meanOf(values);
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i] - m;
    ss += d * d;
  }
  return Math.sqrt(ss / n);
}
