import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../src/core/data/mulberry32';
import { gramOfColumns, gramOfRows } from '../../../src/core/linalg/gram';
import { gramEigenvalues, gramOfRowsFast, symmetricEigenvaluesFast } from '../../../src/core/linalg/gramEigenvalues';
import { symmetricEigenvalues } from '../../../src/core/linalg/symmetricEigenvalues';

/** Seeded uniform numbers in [-1, 1), so failures reproduce. */
function uniforms(count: number, seed: number): Float64Array {
  const random = mulberry32(seed);
  return Float64Array.from({ length: count }, () => random() * 2 - 1);
}

/** Largest |x − y| over two spectra, relative to the largest |y|. */
function relativeGap(x: Float64Array, y: Float64Array): number {
  expect(x.length).toBe(y.length);
  const top = Math.max(...Array.from(y, Math.abs), Number.MIN_VALUE);
  return Math.max(0, ...Array.from(x, (v, i) => Math.abs(v - y[i]) / top));
}

describe('gramEigenvalues (the SIMD kernel) against gram.ts and symmetricEigenvalues', () => {
  it('gives the documented example', () => {
    expect(Array.from(gramEigenvalues(Float64Array.of(3, 0, 4, 5), 2, 2)).map((v) => Math.round(v * 1e9) / 1e9)).toEqual([45, 5]);
  });

  it('agrees within 1e-13 on wide, square and tall matrices, odd and even sides, with repeated rows', () => {
    const shapes = [[1, 1], [1, 6], [2, 3], [5, 4], [7, 7], [31, 65], [64, 64], [97, 96], [128, 256], [40, 3]];
    for (const [rows, cols] of shapes) {
      const a = uniforms(rows * cols, rows * 1000 + cols);
      // Rank deficiency, as per-sample gradients have: the last row repeats the first.
      if (rows > 2) a.copyWithin((rows - 1) * cols, 0, cols);
      const reference = symmetricEigenvalues(rows <= cols ? gramOfRows(a, rows, cols) : gramOfColumns(a, rows, cols), Math.min(rows, cols));
      expect(relativeGap(gramEigenvalues(a, rows, cols), reference), `[${rows}, ${cols}]`).toBeLessThan(1e-13);
    }
  });

  it('symmetricEigenvaluesFast agrees with symmetricEigenvalues, reads the lower triangle only and gives NaN for a non-finite entry', () => {
    for (const n of [1, 2, 3, 16, 33]) {
      const r = uniforms(n * n, n);
      const a = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = r[i * n + j];
      const withJunkAbove = Float64Array.from(a);
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) withJunkAbove[i * n + j] = 1e300;
      expect(relativeGap(symmetricEigenvaluesFast(withJunkAbove, n), symmetricEigenvalues(a, n)), `n = ${n}`).toBeLessThan(1e-13);
    }
    const bad = Float64Array.of(1, 0, Number.POSITIVE_INFINITY, 2);
    expect(Array.from(symmetricEigenvaluesFast(bad, 2)).every(Number.isNaN)).toBe(true);
  });

  it('gramOfRowsFast fills the lower triangle as gram.ts does (within 1e-13 relative) and leaves zeros above it', () => {
    for (const [rows, cols] of [[1, 1], [3, 5], [9, 4], [64, 96], [128, 129]]) {
      const a = uniforms(rows * cols, rows + cols);
      const fast = gramOfRowsFast(a, rows, cols);
      const reference = gramOfRows(a, rows, cols);
      expect(relativeGap(fast, reference), `[${rows}, ${cols}]`).toBeLessThan(1e-13);
      for (let i = 0; i < rows; i++) for (let j = i + 1; j < rows; j++) expect(fast[i * rows + j]).toBe(0);
    }
  });
});

