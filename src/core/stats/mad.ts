/**
 * MAD, the mean absolute difference between adjacent layers of a curve (DESIGN.md §3),
 * for the whole curve and for its early / middle / late parts.
 */

/** Split points [a, b]: parts are layers [0, a), [a, b), [b, L). */
export type Splits = readonly [number, number];

/** The study's splits, by layer count (code_vis/exp_utils.py, cal_MAD_3_devides). */
const REFERENCE_SPLITS: ReadonlyMap<number, Splits> = new Map<number, Splits>([
  [26, [7, 20]],
  [28, [7, 21]],
  [32, [10, 20]],
  [42, [12, 30]],
]);

/**
 * The split points for a curve of `layerCount` layers. The study's counts use its own
 * splits (26 → [7, 20], 28 → [7, 21], 32 → [10, 20], 42 → [12, 30]). Any other count
 * L ≥ 3 uses quarters: a = round(L/4), b = round(3L/4) (which reproduces 26 and 28),
 * clamped so that each part holds at least m layers, m = 2 when L ≥ 6 (so every part
 * has an adjacent difference and a finite MAD; small live models have 4–8 layers) and
 * m = 1 below that.
 * L < 3 cannot hold three parts: [min(1, L), L] (early = layer 0, middle = layer 1 when
 * L = 2, late empty), whose part MADs are all NaN.
 * Examples: 12 → [3, 9]; 6 → [2, 4]; 3 → [1, 2]; 2 → [1, 2]; 0 → [0, 0].
 */
export function defaultSplits(layerCount: number): [number, number] {
  const L = layerCount;
  const ref = REFERENCE_SPLITS.get(L);
  if (ref) return [ref[0], ref[1]];
  if (L < 3) return [Math.min(1, Math.max(0, L)), Math.max(0, L)];
  const m = L >= 6 ? 2 : 1;
  const a = Math.min(Math.max(Math.round(L / 4), m), L - 2 * m);
  const b = Math.min(Math.max(Math.round((3 * L) / 4), a + m), L - m);
  return [a, b];
}

/**
 * Checks user-given split points for a curve of `layerCount` layers: integers with
 * 0 < a < b < L. Throws a RangeError with a one-line reason otherwise; returns the splits.
 */
export function validateSplits(splits: readonly number[], layerCount: number): [number, number] {
  const [a, b] = splits;
  if (splits.length !== 2 || !Number.isInteger(a) || !Number.isInteger(b) || !(0 < a && a < b && b < layerCount)) {
    throw new RangeError(
      `bad splits ${splits.join(',')}: need two integers A,B with 0 < A < B < ${layerCount} (the layer count)`,
    );
  }
  return [a, b];
}

/**
 * mean_{i < n-1} |c[i+1] - c[i]| over `curve[start, end)`. Fewer than two layers → NaN:
 * numpy's mean of an empty array (the reference code's plain Python division raises
 * ZeroDivisionError there instead). NaN anywhere → NaN; Infinity → Infinity, or NaN when
 * two adjacent layers are the same infinity (∞ - ∞).
 * Summed left to right, as the study's plain Python `sum` does up to Python 3.11 (bit-identical
 * there; 3.12's compensated `sum` may differ in the last bit).
 * Example: [1, 3, 2, 6] → (2 + 1 + 4) / 3 = 7/3.
 */
export function meanAbsoluteDifference(curve: ArrayLike<number>, start = 0, end = curve.length): number {
  const n = end - start;
  if (n < 2) return NaN;
  let sum = 0;
  for (let i = start; i < end - 1; i++) sum += Math.abs(curve[i + 1] - curve[i]);
  return sum / (n - 1);
}

/** MAD of a whole curve and of its three parts, each computed inside its own slice. */
export interface Mad {
  all: number;
  early: number;
  middle: number;
  late: number;
}

/**
 * MAD of a curve (its `mean` when given a Curve) for the whole curve and for the parts
 * [0, a), [a, b), [b, L). Without `splits`, {@link defaultSplits}; given splits are
 * checked by {@link validateSplits} (throws RangeError). Empty curve → all NaN.
 * A Curve defined on fewer layers than it has (`span` < `layerCount`, the adjacent-layer
 * cosine) keeps the splits of its layer count and looks at layers [0, span) only: all
 * = [0, span), late = [b, span), and so on.
 * Example: [1, 3, 2, 6, 6, 10] with splits [2, 4] → all (2+1+4+0+4)/5 = 2.2,
 * early |3-1| = 2, middle |6-2| = 4, late |10-6| = 4.
 */
export function computeMad(curve: ArrayLike<number> | { mean: Float64Array; layerCount?: number; span?: number }, splits?: readonly number[]): Mad {
  const c: ArrayLike<number> = 'mean' in curve ? curve.mean : curve;
  const L = c.length;
  const span = 'mean' in curve && curve.span !== undefined ? Math.min(curve.span, L) : L;
  const [a, b] = splits ? validateSplits(splits, L) : defaultSplits(L);
  return {
    all: meanAbsoluteDifference(c, 0, span),
    early: meanAbsoluteDifference(c, 0, Math.min(a, span)),
    middle: meanAbsoluteDifference(c, a, Math.min(b, span)),
    late: meanAbsoluteDifference(c, b, span),
  };
}
