/**
 * AssemblyScript with SIMD (compiled by `npm run build:wasm` into
 * src/core/stats/resampling/weightedRowSumsWasm.ts). Four weighted sums of a matrix's
 * rows at once: out[q][j] = Σ_k w[q][k] · x[k][j], the inner step of every bootstrap
 * resample (weights = how often each sample was drawn) and permutation (weights 0 or 1).
 *
 * A kernel because a resampling test is 10,000 such sums of a [500 × ~350] matrix:
 * JavaScript's scalar loop takes ~2 s, this one ~0.2 s. Each output column is summed
 * over the rows in ascending order, each step `acc + w·x` rounded as JavaScript rounds
 * it, so the JavaScript fallback (src/core/stats/resampling/rowSums.ts) gives the same bits.
 *
 * The caller owns the memory and passes byte offsets: the row-major matrix x (f64,
 * `rows` rows of `width` columns, width a multiple of 4), four weight vectors (f64, the
 * q-th at weights + q·weightStride bytes), and out (f64, 4 × width).
 */
export function weightedRowSums(x: usize, rows: i32, width: i32, weights: usize, weightStride: usize, out: usize): void {
  const stride = <usize>width << 3;
  // Four resamples × four columns live in eight registers while the rows stream by.
  for (let j: usize = 0; j < stride; j += 32) {
    let a0 = f64x2.splat(0);
    let a1 = f64x2.splat(0);
    let b0 = f64x2.splat(0);
    let b1 = f64x2.splat(0);
    let c0 = f64x2.splat(0);
    let c1 = f64x2.splat(0);
    let d0 = f64x2.splat(0);
    let d1 = f64x2.splat(0);
    let p = x + j;
    let w = weights;
    for (let k: i32 = 0; k < rows; k++, p += stride, w += 8) {
      const v0 = v128.load(p);
      const v1 = v128.load(p + 16);
      const w0 = v128.load64_splat(w);
      const w1 = v128.load64_splat(w + weightStride);
      const w2 = v128.load64_splat(w + 2 * weightStride);
      const w3 = v128.load64_splat(w + 3 * weightStride);
      a0 = f64x2.add(a0, f64x2.mul(w0, v0));
      a1 = f64x2.add(a1, f64x2.mul(w0, v1));
      b0 = f64x2.add(b0, f64x2.mul(w1, v0));
      b1 = f64x2.add(b1, f64x2.mul(w1, v1));
      c0 = f64x2.add(c0, f64x2.mul(w2, v0));
      c1 = f64x2.add(c1, f64x2.mul(w2, v1));
      d0 = f64x2.add(d0, f64x2.mul(w3, v0));
      d1 = f64x2.add(d1, f64x2.mul(w3, v1));
    }
    const o = out + j;
    v128.store(o, a0);
    v128.store(o + 16, a1);
    v128.store(o + stride, b0);
    v128.store(o + stride + 16, b1);
    v128.store(o + 2 * stride, c0);
    v128.store(o + 2 * stride + 16, c1);
    v128.store(o + 3 * stride, d0);
    v128.store(o + 3 * stride + 16, d1);
  }
}
