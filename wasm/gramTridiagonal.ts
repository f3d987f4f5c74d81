/**
 * AssemblyScript with SIMD (compiled by `npm run build:wasm` into
 * src/core/linalg/gramTridiagonalWasm.ts): the two O(n³) steps of a gradient matrix's
 * singular values, in float64 two lanes at a time, on this module's own memory (the
 * caller copies the matrix in and the tridiagonal out, byte offsets throughout).
 *
 * The same algorithms as the JavaScript of src/core/linalg (gram.ts, gramOfRows;
 * symmetricEigenvalues.ts, tridiagonalize), which stays as their fallback: only the
 * order of the additions inside dot products differs, so results agree to rounding.
 * A kernel because these two steps were ~70% of a sample's statistics at 8 × 256.
 */

/** Lower triangle of A Aᵀ (A [rows, cols] row-major f64 at `a`) into `k` [rows, rows]; the upper triangle is not written. */
export function gramOfRows(a: usize, rows: i32, cols: i32, k: usize): void {
  const stride = <usize>cols << 3;
  const kStride = <usize>rows << 3;
  const cols2 = cols & ~1;
  for (let i = 0; i < rows; i++) {
    const ri = a + <usize>i * stride;
    const ki = k + <usize>i * kStride;
    let j = 0;
    // Row i against four rows j at once: each load of row i serves four products.
    for (; j + 3 <= i; j += 4) {
      const r0 = a + <usize>j * stride;
      const r1 = r0 + stride;
      const r2 = r1 + stride;
      const r3 = r2 + stride;
      let s0 = f64x2.splat(0);
      let s1 = f64x2.splat(0);
      let s2 = f64x2.splat(0);
      let s3 = f64x2.splat(0);
      for (let c = 0; c < cols2; c += 2) {
        const off = <usize>c << 3;
        const v = v128.load(ri + off);
        s0 = f64x2.add(s0, f64x2.mul(v, v128.load(r0 + off)));
        s1 = f64x2.add(s1, f64x2.mul(v, v128.load(r1 + off)));
        s2 = f64x2.add(s2, f64x2.mul(v, v128.load(r2 + off)));
        s3 = f64x2.add(s3, f64x2.mul(v, v128.load(r3 + off)));
      }
      let t0 = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1);
      let t1 = f64x2.extract_lane(s1, 0) + f64x2.extract_lane(s1, 1);
      let t2 = f64x2.extract_lane(s2, 0) + f64x2.extract_lane(s2, 1);
      let t3 = f64x2.extract_lane(s3, 0) + f64x2.extract_lane(s3, 1);
      if (cols2 < cols) {
        const off = <usize>cols2 << 3;
        const v = load<f64>(ri + off);
        t0 += v * load<f64>(r0 + off);
        t1 += v * load<f64>(r1 + off);
        t2 += v * load<f64>(r2 + off);
        t3 += v * load<f64>(r3 + off);
      }
      const kj = ki + (<usize>j << 3);
      store<f64>(kj, t0);
      store<f64>(kj + 8, t1);
      store<f64>(kj + 16, t2);
      store<f64>(kj + 24, t3);
    }
    for (; j <= i; j++) {
      const rj = a + <usize>j * stride;
      let s = f64x2.splat(0);
      for (let c = 0; c < cols2; c += 2) {
        const off = <usize>c << 3;
        s = f64x2.add(s, f64x2.mul(v128.load(ri + off), v128.load(rj + off)));
      }
      let t = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
      if (cols2 < cols) t += load<f64>(ri + (<usize>cols2 << 3)) * load<f64>(rj + (<usize>cols2 << 3));
      store<f64>(ki + (<usize>j << 3), t);
    }
  }
}

@inline function at(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

@inline function put(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}

/**
 * Householder reduction of the lower triangle of the symmetric n×n `z` (overwritten)
 * to tridiagonal form: diagonal into `d`, sub-diagonal into e[1..n) (e[0] = 0), as
 * tridiagonalize of symmetricEigenvalues.ts (tred2 of Numerical Recipes without the
 * transformations), with the product A·u and the rank-2 update two lanes at a time.
 */
export function tridiagonalize(z: usize, n: i32, d: usize, e: usize): void {
  const stride = <usize>n << 3;
  for (let i = n - 1; i > 0; i--) {
    const row = z + <usize>i * stride;
    const l = i - 1;
    let h: f64 = 0;
    if (l > 0) {
      let scale: f64 = 0;
      for (let k = 0; k < i; k++) scale += Math.abs(at(row, k));
      if (scale == 0) {
        put(e, i, at(row, l));
      } else {
        for (let k = 0; k < i; k++) {
          const v = at(row, k) / scale;
          put(row, k, v);
          h += v * v;
        }
        const f = at(row, l);
        const g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
        put(e, i, scale * g);
        h -= f * g;
        put(row, l, f - g);
        // p = A·u / h over the leading i×i block, from its lower triangle: row j gives
        // (A u)_j its part Σ_{k<j} A_jk u_k and adds A_jk u_j to (A u)_k for k < j.
        memory.fill(e, 0, <usize>i << 3);
        for (let j = 0; j < i; j++) {
          const rj = z + <usize>j * stride;
          const uj = at(row, j);
          const ujv = f64x2.splat(uj);
          let acc = f64x2.splat(0);
          let k = 0;
          for (; k + 1 < j; k += 2) {
            const off = <usize>k << 3;
            const ajk = v128.load(rj + off);
            acc = f64x2.add(acc, f64x2.mul(ajk, v128.load(row + off)));
            v128.store(e + off, f64x2.add(v128.load(e + off), f64x2.mul(ajk, ujv)));
          }
          let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
          for (; k < j; k++) {
            const ajk = at(rj, k);
            s += ajk * at(row, k);
            put(e, k, at(e, k) + ajk * uj);
          }
          put(e, j, at(e, j) + s + at(rj, j) * uj);
        }
        let fsum: f64 = 0;
        for (let j = 0; j < i; j++) {
          const v = at(e, j) / h;
          put(e, j, v);
          fsum += v * at(row, j);
        }
        const hh = fsum / (h + h);
        for (let j = 0; j < i; j++) put(e, j, at(e, j) - hh * at(row, j));
        // A ← A − u qᵀ − q uᵀ on the lower triangle.
        for (let r = 0; r < i; r++) {
          const rr = z + <usize>r * stride;
          const fr = at(row, r);
          const gr = at(e, r);
          const frv = f64x2.splat(fr);
          const grv = f64x2.splat(gr);
          let k = 0;
          for (; k + 1 <= r; k += 2) {
            const off = <usize>k << 3;
            const upd = f64x2.add(f64x2.mul(frv, v128.load(e + off)), f64x2.mul(grv, v128.load(row + off)));
            v128.store(rr + off, f64x2.sub(v128.load(rr + off), upd));
          }
          for (; k <= r; k++) put(rr, k, at(rr, k) - (fr * at(e, k) + gr * at(row, k)));
        }
      }
    } else {
      put(e, i, at(row, l));
    }
    put(d, i, h);
  }
  put(e, 0, 0);
  for (let i = 0; i < n; i++) put(d, i, at(z + <usize>i * stride, i));
}
