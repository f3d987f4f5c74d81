import { describe, expect, it } from 'vitest';
import { jacobiSingularValues } from '../../../src/core/linalg/jacobiSingularValues';

describe('jacobiSingularValues', () => {
  const cases: { name: string; a: number[]; rows: number; cols: number; expected: number[] }[] = [
    { name: 'a 2×2 matrix', a: [3, 0, 4, 5], rows: 2, cols: 2, expected: [Math.sqrt(45), Math.sqrt(5)] },
    { name: 'a diagonal matrix with a tiny value (relative accuracy)', a: [1, 0, 0, 1e-20], rows: 2, cols: 2, expected: [1, 1e-20] },
    { name: 'a wide 1×3 matrix', a: [1, 2, 2], rows: 1, cols: 3, expected: [3] },
    { name: 'a tall 3×1 matrix', a: [1, 2, 2], rows: 3, cols: 1, expected: [3] },
    { name: 'a zero matrix', a: [0, 0, 0, 0], rows: 2, cols: 2, expected: [0, 0] },
    { name: 'equal rows (rank one)', a: [1, 1, 1, 1], rows: 2, cols: 2, expected: [2, 0] },
    { name: 'an empty matrix', a: [], rows: 0, cols: 0, expected: [] },
  ];
  for (const c of cases) {
    it(`finds the singular values of ${c.name} (relative 1e-14 per value, zeros absolute 1e-15)`, () => {
      const a = Float64Array.from(c.a);
      const got = jacobiSingularValues(a, c.rows, c.cols);
      expect(got.length).toBe(c.expected.length);
      got.forEach((v, i) => {
        const want = c.expected[i];
        expect(want === 0 ? Math.abs(v) : Math.abs(v - want) / want, `σ${i}`).toBeLessThan(want === 0 ? 1e-15 : 1e-14);
      });
      expect(Array.from(a), 'input unchanged').toEqual(c.a);
    });
  }

  it('returns NaN values for NaN input rather than looping', () => {
    expect(Number.isNaN(jacobiSingularValues(Float64Array.of(NaN, 1, 1, 1), 2, 2)[0])).toBe(true);
  });
});
