import { describe, expect, it } from 'vitest';
import { singularValuesOfProductQR } from '../../../src/core/linalg/singularValuesOfProductQR';
import { loadSvdCases, maxAbsDiff } from './svdFixtures';

describe('singularValuesOfProductQR', () => {
  // Precise route: every σ, small ones included, within 1e-12·σ_max of numpy's SVD of G.
  for (const c of loadSvdCases().filter((c) => c.tokens !== undefined && c.tokens < Math.min(c.rows, c.cols))) {
    it(`matches numpy for ${c.name} (every σ within 1e-12·σ_max), inputs unchanged`, () => {
      const delta = Float64Array.from(c.delta!);
      const x = Float64Array.from(c.x!);
      const got = singularValuesOfProductQR(delta, x, c.tokens!, c.rows, c.cols);
      expect(got.length).toBe(Math.min(c.rows, c.cols));
      expect(maxAbsDiff(got, c.sigma)).toBeLessThanOrEqual(1e-12 * c.sigma[0]);
      expect(Array.from(delta)).toEqual(c.delta);
      expect(Array.from(x)).toEqual(c.x);
    });
  }

  it('resolves a singular value 1e-12 below the largest, which Gram routes report as 0 (relative 1e-10)', () => {
    // Δ = diag(1, 1e-12) on two tokens, X = identity rows: G has σ = [1, 1e-12, 0].
    const delta = Float64Array.of(1, 0, 0, 0, 1e-12, 0);
    const x = Float64Array.of(1, 0, 0, 0, 1, 0);
    const got = singularValuesOfProductQR(delta, x, 2, 3, 3);
    expect(got[0]).toBeCloseTo(1, 14);
    expect(Math.abs(got[1] - 1e-12) / 1e-12).toBeLessThan(1e-10);
    expect(got[2]).toBe(0);
  });

  it('returns zeros for T = 0 or zero factors, and an empty array for d = 0', () => {
    expect(Array.from(singularValuesOfProductQR(new Float64Array(0), new Float64Array(0), 0, 2, 3))).toEqual([0, 0]);
    expect(Array.from(singularValuesOfProductQR(new Float64Array(3), Float64Array.of(1, 2), 1, 3, 2))).toEqual([0, 0]);
    expect(singularValuesOfProductQR(new Float64Array(0), new Float64Array(0), 0, 0, 3).length).toBe(0);
  });

  it.each([NaN, Infinity, -Infinity])('returns all NaN when a factor holds %s', (bad) => {
    const got = singularValuesOfProductQR(Float64Array.of(1, 2, bad), Float64Array.of(1, 2, 3), 1, 3, 3);
    expect(Array.from(got).every(Number.isNaN)).toBe(true);
  });

  it('throws a RangeError on a length mismatch or when T ≥ min(dOut, dIn)', () => {
    expect(() => singularValuesOfProductQR(new Float64Array(5), new Float64Array(6), 2, 3, 3)).toThrow(RangeError);
    expect(() => singularValuesOfProductQR(new Float64Array(6), new Float64Array(6), 3, 2, 2)).toThrow(RangeError);
  });
});
