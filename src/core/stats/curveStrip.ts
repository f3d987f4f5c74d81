/**
 * The overlay's strip beneath a module panel: each run's curve against a reference
 * run's curve, layer by layer, as a difference (b - ref) or a ratio (b / ref).
 */

export type StripKind = 'difference' | 'ratio';

/**
 * Per layer `b[i] - ref[i]` (difference) or `b[i] / ref[i]` (ratio). A ratio whose
 * reference is 0 is NaN (drawn as a gap, not as ±Infinity); NaN in either input → NaN.
 * Lengths may differ (runs of different depth): the result has the shorter length.
 * Inputs are not modified. Example: ref [1, 2, 0], b [2, 1, 3] → difference [1, -1, 3],
 * ratio [2, 0.5, NaN].
 */
export function computeCurveStrip(ref: ArrayLike<number>, b: ArrayLike<number>, kind: StripKind): Float64Array {
  const n = Math.min(ref.length, b.length);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (kind === 'difference') out[i] = b[i] - ref[i];
    else out[i] = ref[i] === 0 ? NaN : b[i] / ref[i];
  }
  return out;
}
