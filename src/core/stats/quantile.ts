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
