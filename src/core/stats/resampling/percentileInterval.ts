/**
 * The percentile bootstrap interval: the central `level` share of the resampled values,
 * cut with the same percentile rule as the curves' bands (numpy's linear method).
 */
import { quickselect } from 'd3-array';
import { quantileSorted } from '../quantile.ts';

/**
 * [lo, hi] = the (1 − level)/2 and (1 + level)/2 quantiles ({@link quantileSorted}) of
 * the non-NaN values of `values[start, end)`, which it reorders in place (pass scratch).
 * NaN resamples (a resample that kept no sample, say) are left out; none left → [NaN, NaN].
 * ±Infinity are ordinary values. Example: 1..100 at level 0.9 → [5.95, 95.05].
 */
export function percentileInterval(values: Float64Array, level: number, start = 0, end = values.length): [number, number] {
  let n = start;
  for (let i = start; i < end; i++) if (!Number.isNaN(values[i])) values[n++] = values[i];
  const kept = values.subarray(start, n);
  const pLo = (1 - level) / 2;
  const pHi = (1 + level) / 2;
  // quantileSorted reads the two order statistics around (n − 1)·p; put those four in
  // their sorted places (ascending, each selected among the values after the last) instead
  // of sorting all 10,000: a fifth of a comparison's time went to sorting.
  const at = (p: number) => Math.floor((kept.length - 1) * p);
  const ranks = [...new Set([at(pLo), at(pLo) + 1, at(pHi), at(pHi) + 1])].filter((k) => k >= 0 && k < kept.length).sort((x, y) => x - y);
  let from = 0;
  for (const k of ranks) {
    quickselect(kept, k, from, kept.length - 1);
    from = k + 1;
  }
  return [quantileSorted(kept, pLo), quantileSorted(kept, pHi)];
}
