/**
 * Gram matrices of dense row-major float64 matrices, lower triangle only (the
 * eigenvalue solver reads nothing else).
 */

/** Row-major dense input: gradients arrive as Float32Array from tfjs, references as Float64Array. */
export type DenseMatrix = Float32Array | Float64Array;

/**
 * A Aᵀ for A [rows, cols]: the rows×rows matrix of dot products of rows, lower triangle
 * filled (upper left 0). Four dot products share each load of row i, which makes this
 * about twice as fast as one at a time. Example: A = [[1, 2], [3, 4]] → [[5, 0], [11, 25]].
 */
export function gramOfRows(a: Float64Array, rows: number, cols: number): Float64Array {
  const k = new Float64Array(rows * rows);
  for (let i = 0; i < rows; i++) {
    const ri = i * cols;
    const ki = i * rows;
    let j = 0;
    for (; j + 3 <= i; j += 4) {
      const r0 = j * cols;
      const r1 = r0 + cols;
      const r2 = r1 + cols;
      const r3 = r2 + cols;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let c = 0; c < cols; c++) {
        const v = a[ri + c];
        s0 += v * a[r0 + c];
        s1 += v * a[r1 + c];
        s2 += v * a[r2 + c];
        s3 += v * a[r3 + c];
      }
      k[ki + j] = s0;
      k[ki + j + 1] = s1;
      k[ki + j + 2] = s2;
      k[ki + j + 3] = s3;
    }
    for (; j <= i; j++) {
      const rj = j * cols;
      let s = 0;
      for (let c = 0; c < cols; c++) s += a[ri + c] * a[rj + c];
      k[ki + j] = s;
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
 * A float64 copy of `a` divided by a power of two near its largest |entry| (so the
 * division is exact), and that power. Gram routes square the entries; without this,
 * entries below ~1e-154 or above ~1e154 would underflow or overflow. An all-zero
 * input gives scale 0 and a zero copy. Example: [4, -8] → { values: [0.5, -1], scale: 8 }.
 */
export function normalizedCopy(a: DenseMatrix): { values: Float64Array; scale: number } {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]));
  const values = new Float64Array(a.length);
  if (max === 0) return { values, scale: 0 };
  const scale = 2 ** Math.round(Math.log2(max));
  for (let i = 0; i < a.length; i++) values[i] = a[i] / scale;
  return { values, scale };
}

/** True when every entry is finite (no NaN, no ±Infinity). */
export function allFinite(a: ArrayLike<number>): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}
