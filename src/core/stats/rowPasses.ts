/**
 * The row passes of a curve over a sample-major [samples × layers] matrix: the rows kept
 * by the study's NaN rule, and per layer the sum of those rows and of their squared
 * deviations. They add in the order meanOf / stdOf do (kept rows ascending), so they
 * give those functions' bits on each layer's column.
 */

/**
 * Indices of the samples kept by the study's rule `x[~np.isnan(x).any(axis=1)]`: rows
 * (length `layers`, sample-major `values`) with no NaN in their first `span` layers (all
 * by default; a statistic defined on fewer layers, see statLayerSpan), ascending.
 * ±Infinity is not NaN, so a row holding it is kept. Example: rows [[1, 2], [NaN, 3],
 * [Infinity, 0]] → [0, 2]. Zero samples → empty; `span` 0 → every sample kept (an empty
 * row holds no NaN).
 */
export function keptRows(values: ArrayLike<number>, samples: number, layers: number, span = layers): Int32Array {
  const kept = new Int32Array(samples);
  let n = 0;
  for (let s = 0; s < samples; s++) {
    let ok = true;
    for (let l = 0, i = s * layers; l < span; l++, i++) {
      const x = values[i];
      if (x !== x) {
        // NaN (the only value unequal to itself; cheaper than Number.isNaN in code not yet optimized)
        ok = false;
        break;
      }
    }
    if (ok) kept[n++] = s;
  }
  return kept.slice(0, n);
}

/** The kept rows (as keptRows) and, per layer, their sum in row order. */
export function keptRowSums(values: ArrayLike<number>, samples: number, layers: number, span = layers): { rows: Int32Array; sums: Float64Array } {
  const rows = keptRows(values, samples, layers, span);
  const sums = new Float64Array(layers);
  for (let j = 0; j < rows.length; j++) {
    for (let l = 0, i = rows[j] * layers; l < layers; l++, i++) sums[l] += values[i];
  }
  return { rows, sums };
}

/** Per layer, the sum of (x − mean)² over the listed rows, in list order. */
export function squaredDeviationSums(values: ArrayLike<number>, samples: number, layers: number, rows: Int32Array, mean: Float64Array): Float64Array {
  const sums = new Float64Array(layers);
  for (let j = 0; j < rows.length; j++) {
    for (let l = 0, i = rows[j] * layers; l < layers; l++, i++) {
      const d = values[i] - mean[l];
      sums[l] += d * d;
    }
  }
  return sums;
}
