import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../../src/core/data/mulberry32.ts';
import { createRowSums, rowSumsKernelAvailable } from '../../../../src/core/stats/resampling/rowSums.ts';

describe('createRowSums', () => {
  it('runs the WebAssembly SIMD kernel here, so the tests below compare both paths', () => {
    expect(rowSumsKernelAvailable()).toBe(true);
  });

  it.each([true, false])('sums weighted rows of a small matrix by hand (kernel: %s)', (useKernel) => {
    // [[1, 2, 3], [4, 5, 6], [7, 8, 9]]; the width is padded to 4.
    const rows = createRowSums([1, 2, 3, 4, 5, 6, 7, 8, 9], 3, 3, useKernel);
    expect(rows.width).toBe(4);
    rows.weights.set([2, 1, 0, /* q1 */ 0, 0, 1, /* q2 */ 1, 1, 1, /* q3 */ 0, 0, 0]);
    rows.sum(0, 3);
    expect(Array.from(rows.out)).toEqual([6, 9, 12, 0, 7, 8, 9, 0, 12, 15, 18, 0, 0, 0, 0, 0]);
    // Rows 1..2 only, with the weights of those rows.
    rows.sum(1, 2);
    expect(Array.from(rows.out.subarray(0, 3))).toEqual([4, 5, 6]);
    expect(Array.from(rows.out.subarray(8, 11))).toEqual([11, 13, 15]);
  });

  it('gives the same bits from the kernel and from the JavaScript loop, for any shape and row range', () => {
    const random = mulberry32(11);
    for (let trial = 0; trial < 60; trial++) {
      const rows = 1 + Math.floor(random() * 40);
      const columns = 1 + Math.floor(random() * 23);
      const matrix = Float64Array.from({ length: rows * columns }, () => (random() - 0.5) * 10 ** Math.floor(random() * 12 - 6));
      const kernel = createRowSums(matrix, rows, columns, true);
      const script = createRowSums(matrix, rows, columns, false);
      for (let i = 0; i < 4 * rows; i++) kernel.weights[i] = script.weights[i] = Math.floor(random() * 4);
      const first = Math.floor(random() * rows);
      const count = Math.floor(random() * (rows - first + 1));
      kernel.sum(first, count);
      script.sum(first, count);
      expect(Array.from(kernel.out)).toEqual(Array.from(script.out));
      // And both equal the plain sum in row order.
      for (let q = 0; q < 4; q++) {
        for (let j = 0; j < columns; j++) {
          let s = 0;
          for (let k = first; k < first + count; k++) s += kernel.weights[q * rows + k] * matrix[k * columns + j];
          expect(kernel.out[q * kernel.width + j]).toBe(s);
        }
      }
    }
  });

  it('leaves its input matrix unchanged', () => {
    const matrix = [1, 2, 3, 4];
    createRowSums(matrix, 2, 2).sum(0, 2);
    expect(matrix).toEqual([1, 2, 3, 4]);
  });
});
