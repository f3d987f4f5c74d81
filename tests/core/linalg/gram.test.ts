import { describe, expect, it } from 'vitest';
import { allFinite, gramOfColumns, gramOfRows, normalizedCopy } from '../../../src/core/linalg/gram';

describe('gram helpers', () => {
  const cases: { name: string; a: number[]; rows: number; cols: number; rowsGram: number[]; colsGram: number[] }[] = [
    { name: 'a 2×2 matrix', a: [1, 2, 3, 4], rows: 2, cols: 2, rowsGram: [5, 0, 11, 25], colsGram: [10, 0, 14, 20] },
    { name: 'a 1×3 matrix', a: [1, 0, 2], rows: 1, cols: 3, rowsGram: [5], colsGram: [1, 0, 0, 0, 0, 0, 2, 0, 4] },
    { name: 'an empty matrix', a: [], rows: 0, cols: 0, rowsGram: [], colsGram: [] },
  ];
  for (const c of cases) {
    it(`fills the lower triangles of A Aᵀ and Aᵀ A for ${c.name} exactly`, () => {
      const a = Float64Array.from(c.a);
      expect(Array.from(gramOfRows(a, c.rows, c.cols))).toEqual(c.rowsGram);
      expect(Array.from(gramOfColumns(a, c.rows, c.cols))).toEqual(c.colsGram);
      expect(Array.from(a), 'input unchanged').toEqual(c.a);
    });
  }

  it('uses the four-row blocks and the remainder alike (6 rows, exact integers)', () => {
    const rows = 6;
    const cols = 3;
    const a = Float64Array.from({ length: rows * cols }, (_, i) => (i % 5) - 2);
    const k = gramOfRows(a, rows, cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let c = 0; c < cols; c++) s += a[i * cols + c] * a[j * cols + c];
      expect(k[i * rows + j]).toBe(s);
    }
  });

  it.each([
    [[1, 2, 3], true],
    [[], true],
    [[1, NaN], false],
    [[Infinity], false],
    [[-Infinity, 0], false],
  ])('allFinite(%j) is %s', (v, want) => {
    expect(allFinite(v)).toBe(want);
  });

  it.each([
    [[4, -8], [4, -8], 1],
    [[0, 0], [0, 0], 0],
    [[], [], 0],
    [[3e-200, -1e-200], [3e-200 / 2 ** -663, -1e-200 / 2 ** -663], 2 ** -663],
    [[4e120, -8e120], [4e120 / 2 ** 402, -8e120 / 2 ** 402], 2 ** 402],
  ])('normalizedCopy(%j) divides exactly by a power of two near the largest entry when it is out of range', (input, values, scale) => {
    const a = Float64Array.from(input);
    const got = normalizedCopy(a);
    expect(got.scale).toBe(scale);
    expect(Array.from(got.values)).toEqual(values);
    expect(Array.from(a), 'input unchanged').toEqual(input);
  });

  it('normalizedCopy widens a Float32Array and hands back an in-range Float64Array itself', () => {
    const f64 = Float64Array.of(1, 2);
    expect(normalizedCopy(f64).values).toBe(f64);
    const widened = normalizedCopy(Float32Array.of(0.1)).values;
    expect(widened).toBeInstanceOf(Float64Array);
    expect(widened[0]).toBe(Math.fround(0.1));
  });
});
