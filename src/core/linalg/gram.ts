/**
 * Gram matrices of dense row-major float64 matrices, lower triangle only (the
 * eigenvalue solver reads nothing else).
 */

/** Row-major dense input: gradients arrive as Float32Array from tfjs, references as Float64Array. */
export type DenseMatrix = Float32Array | Float64Array;

/**
 * A Aᵀ for A [rows, cols]: the rows×rows matrix of dot products of rows, lower triangle
 * filled (upper left 0). Two rows i are dotted with four rows j at once, so each load
 * serves several products (about 2× faster than one dot product at a time here).
 * Example: A = [[1, 2], [3, 4]] → [[5, 0], [11, 25]].
 */
export function gramOfRows(a: Float64Array, rows: number, cols: number): Float64Array {
  const k = new Float64Array(rows * rows);
  let i = 0;
  for (; i + 1 < rows; i += 2) {
    const ra = i * cols;
    const rb = ra + cols;
    const ka = i * rows;
    const kb = ka + rows;
    let j = 0;
    for (; j + 3 <= i; j += 4) {
      const r0 = j * cols;
      const r1 = r0 + cols;
      const r2 = r1 + cols;
      const r3 = r2 + cols;
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
      for (let c = 0; c < cols; c++) {
        const va = a[ra + c];
        const vb = a[rb + c];
        const w0 = a[r0 + c];
        const w1 = a[r1 + c];
        const w2 = a[r2 + c];
        const w3 = a[r3 + c];
        a0 += va * w0;
        a1 += va * w1;
        a2 += va * w2;
        a3 += va * w3;
        b0 += vb * w0;
        b1 += vb * w1;
        b2 += vb * w2;
        b3 += vb * w3;
      }
      k[ka + j] = a0;
      k[ka + j + 1] = a1;
      k[ka + j + 2] = a2;
      k[ka + j + 3] = a3;
      k[kb + j] = b0;
      k[kb + j + 1] = b1;
      k[kb + j + 2] = b2;
      k[kb + j + 3] = b3;
    }
    for (; j <= i + 1; j++) {
      const rj = j * cols;
      let sa = 0;
      let sb = 0;
      for (let c = 0; c < cols; c++) {
        const w = a[rj + c];
        sa += a[ra + c] * w;
        sb += a[rb + c] * w;
      }
      if (j <= i) k[ka + j] = sa;
      k[kb + j] = sb;
    }
  }
  if (i < rows) {
    const ri = i * cols;
    for (let j = 0; j <= i; j++) {
      const rj = j * cols;
      let acc = 0;
      for (let c = 0; c < cols; c++) acc += a[ri + c] * a[rj + c];
      k[i * rows + j] = acc;
    }
  }
  return k;
}

/**
 * Aᵀ A for A [rows, cols]: the cols×cols matrix of dot products of columns, lower
 * triangle filled, summed as outer products of rows so every inner loop is contiguous.
 * Example: A = [[1, 2], [3, 4]] → [[10, 0], [14, 20]].
 */
export function gramOfColumns(a: Float64Array, rows: number, cols: number): Float64Array {
  const k = new Float64Array(cols * cols);
  for (let r = 0; r < rows; r++) {
    const rr = r * cols;
    for (let i = 0; i < cols; i++) {
      const v = a[rr + i];
      if (v === 0) continue;
      const ki = i * cols;
      for (let j = 0; j <= i; j++) k[ki + j] += v * a[rr + j];
    }
  }
  return k;
}

/**
 * `a` in float64, divided by a power of two near its largest |entry| when that entry is
 * outside [2^-200, 2^200] ≈ [6e-61, 2e60] (so the division is exact), and that power.
 * The factor routes multiply four entries together (Lᵀ Δ Δᵀ L); without this, tiny or
 * huge entries would underflow or overflow. In range, a Float64Array comes back as itself (scale 1) to
 * spare a copy: callers must not write to `values`. All zero → scale 0.
 * Example: [4e120, -8e120] → { values: [≈0.5, -1], scale: 2^402 ≈ 8e120 }.
 */
export function normalizedCopy(a: DenseMatrix): { values: Float64Array; scale: number } {
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i] < 0 ? -a[i] : a[i];
    if (v > max) max = v;
  }
  if (max === 0) return { values: a instanceof Float64Array ? a : new Float64Array(a), scale: 0 };
  if (max >= 2 ** -200 && max <= 2 ** 200) return { values: a instanceof Float64Array ? a : new Float64Array(a), scale: 1 };
  const scale = 2 ** Math.round(Math.log2(max));
  const values = new Float64Array(a);
  for (let i = 0; i < values.length; i++) values[i] /= scale;
  return { values, scale };
}

/** True when every entry is finite (no NaN, no ±Infinity). */
export function allFinite(a: ArrayLike<number>): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}
