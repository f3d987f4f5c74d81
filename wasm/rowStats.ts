/**
 * AssemblyScript (compiled by `npm run build:wasm` into src/core/stats/rowStatsWasm.ts).
 * The per-row passes of a curve (DESIGN.md §3): which samples' rows hold no NaN, and
 * per layer the sum over those rows, and the sum of squared deviations from the mean.
 *
 * Written as a kernel because a CLI run is a cold process: JavaScript not yet optimized
 * boxes every double it reads from a typed array, and four curves of 500 × 32 took
 * ~6 ms of a ~60 ms read that way, against ~1 ms here. The sums are the JavaScript
 * path's (src/core/stats/computeCurve.ts) in the same order, so the same bits.
 *
 * The caller owns the memory: it writes the sample-major matrix (f64) and passes byte
 * offsets of the matrix, the row list (i32) and the per-layer outputs (f64).
 */

/** Writes the indices of the rows with no NaN at `rows`, ascending; returns how many. */
export function keptRows(values: usize, samples: i32, layers: i32, rows: usize): i32 {
  const stride = <usize>layers << 3;
  let n: i32 = 0;
  let p = values;
  for (let s: i32 = 0; s < samples; s++, p += stride) {
    let l: i32 = 0;
    while (l < layers) {
      const x = load<f64>(p + (<usize>l << 3));
      if (x != x) break;
      l++;
    }
    if (l == layers) {
      store<i32>(rows + (<usize>n << 2), s);
      n++;
    }
  }
  return n;
}

/** Per layer, the sum of the `count` listed rows, in list order, into `out`. */
export function rowSums(values: usize, layers: i32, rows: usize, count: i32, out: usize): void {
  const stride = <usize>layers << 3;
  memory.fill(out, 0, stride);
  for (let j: i32 = 0; j < count; j++) {
    const p = values + <usize>load<i32>(rows + (<usize>j << 2)) * stride;
    for (let l: usize = 0; l < stride; l += 8) store<f64>(out + l, load<f64>(out + l) + load<f64>(p + l));
  }
}

/** Per layer, the sum of (x − mean)² over the `count` listed rows, in list order, into `out`. */
export function squaredDeviationSums(values: usize, layers: i32, rows: usize, count: i32, mean: usize, out: usize): void {
  const stride = <usize>layers << 3;
  memory.fill(out, 0, stride);
  for (let j: i32 = 0; j < count; j++) {
    const p = values + <usize>load<i32>(rows + (<usize>j << 2)) * stride;
    for (let l: usize = 0; l < stride; l += 8) {
      const d = load<f64>(p + l) - load<f64>(mean + l);
      store<f64>(out + l, load<f64>(out + l) + d * d);
    }
  }
}
