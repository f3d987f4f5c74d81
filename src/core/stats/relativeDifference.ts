/**
 * Relative difference of two curves (DESIGN.md §3): how far curve b (e.g. irrelevant
 * responses) lies from the reference curve a (e.g. correct responses), layer by layer.
 *
 * Matches the study's `relative_difference(list1, list2)` in
 * MingLiiii/Layer_Gradient code_vis/exp_utils.py: `arr1[arr1 == 0] = 1e-10`, then
 * `rd = |arr1 - arr2| / |arr1|` (so the replaced value is used in the numerator too:
 * a zero reference against a zero gives ratio 1, not 0),
 * `np.mean(rd)`, and `np.argsort(rd)[-5:][::-1]` for the top layers. Two deliberate
 * differences in the top layers: ties go to the lower layer index (numpy's reversed
 * ascending argsort lists tied layers higher index first, and its default sort is not
 * stable past 16 elements); NaN ratios rank above every number, as numpy sorts NaN last.
 */

import { pairwiseSum } from './quantile.ts';

/** Result of {@link relativeDifference}. */
export interface RelativeDifference {
  /** mean over layers of `ratios`; NaN for empty curves or if any ratio is NaN. */
  value: number;
  /** Per layer |a - b| / |a|, with a = 0 replaced by 1e-10. */
  ratios: Float64Array;
  /** Up to five layer indices, largest ratio first. */
  topLayers: number[];
}

/** Stand-in for a zero reference value, as in the study's code. */
export const ZERO_REFERENCE = 1e-10;

/** How many layers {@link relativeDifference} lists as the largest ratios. */
export const TOP_LAYER_COUNT = 5;

/**
 * Relative difference of b against the reference a: mean_i |a[i] - b[i]| / |a[i]|
 * with a[i] = 0 replaced by 1e-10, and the five layers of largest ratio (fewer when the
 * curves are shorter). Throws a RangeError when the lengths differ (the study raises
 * ValueError). Empty → value NaN, no layers. NaN in either curve → NaN ratio (ranked
 * first) and NaN value. a[i] = ±Infinity → NaN ratio (∞/∞); b[i] = ±Infinity with
 * finite a[i] → Infinity ratio and value.
 * Example: a [1, 2, 0], b [2, 2, 1e-10] → ratios [1, 0, 0] (a[2] becomes 1e-10, so
 * |1e-10 - 1e-10| / 1e-10 = 0) → value 1/3, top layers [0, 1, 2].
 */
export function relativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): RelativeDifference {
  if (a.length !== b.length) {
    throw new RangeError(`curves differ in length: ${a.length} and ${b.length} layers`);
  }
  const n = a.length;
  const ratios = new Float64Array(n);
  const value = relativeDifferenceValue(a, b, ratios);
  const topLayers = Array.from({ length: n }, (_, i) => i)
    .sort((i, j) => {
      const ri = ratios[i];
      const rj = ratios[j];
      if (Number.isNaN(ri) !== Number.isNaN(rj)) return Number.isNaN(ri) ? -1 : 1;
      return rj > ri ? 1 : rj < ri ? -1 : i - j;
    })
    .slice(0, TOP_LAYER_COUNT);
  return { value, ratios, topLayers };
}

/**
 * The value of {@link relativeDifference} alone, with the per-layer ratios written into
 * `ratios` (length ≥ a.length; nothing allocated, for resampling loops). Lengths are
 * not checked: b must be as long as a. Empty → NaN.
 */
export function relativeDifferenceValue(a: ArrayLike<number>, b: ArrayLike<number>, ratios: Float64Array): number {
  const n = a.length;
  for (let i = 0; i < n; i++) {
    const ai = a[i] === 0 ? ZERO_REFERENCE : a[i];
    ratios[i] = Math.abs(ai - b[i]) / Math.abs(ai);
  }
  // np.mean sums pairwise; summing the same way makes the value bit-identical to the study's.
  return n === 0 ? NaN : pairwiseSum(ratios, 0, n) / n;
}
