import { describe, expect, it } from 'vitest';
import { matrixStats, type MatrixStats } from '../../../src/core/linalg/matrixStats';
import { loadSvdCases, relErr } from './svdFixtures';

const FIELDS: (keyof MatrixStats)[] = ['M_mean', 'M_max', 'M_min', 'frobenius_norm', 'S_sum', 'S_max', 'S_min', 'effective_rank'];

describe('matrixStats against numpy (tests/fixtures/linalg)', () => {
  // M_* and frobenius_norm are sums/extremes of the entries: relative 1e-13 (mean of a
  // zero-sum matrix compared absolutely). Singular-value fields: as in
  // singularValues.test.ts, looser where the Gram route meets a condition number ≥ 1e9;
  // S_min absolutely, relative to S_max, because numpy reports noise where we report 0.
  for (const c of loadSvdCases()) {
    const loose = c.kind === 'illcond';
    const sTol = loose ? 1e-6 : 1e-9;
    const withFactors = c.delta && c.x && c.tokens !== undefined;
    for (const route of withFactors ? ['dense', 'factors'] : ['dense']) {
      it(`gives every statistic of ${c.name} (${route})`, () => {
        const g = Float64Array.from(c.g);
        const got =
          route === 'factors'
            ? matrixStats(g, c.rows, c.cols, { delta: Float64Array.from(c.delta!), x: Float64Array.from(c.x!), tokens: c.tokens! })
            : matrixStats(g, c.rows, c.cols);
        const w = c.stats;
        const scale = Math.max(w.S_max, 1e-300);
        expect(Math.abs(got.M_mean - w.M_mean), 'M_mean').toBeLessThan(1e-13 * Math.max(Math.abs(w.M_max), Math.abs(w.M_min), 1e-300));
        expect(got.M_max, 'M_max').toBe(w.M_max);
        expect(got.M_min, 'M_min').toBe(w.M_min);
        expect(relErr(got.frobenius_norm, w.frobenius_norm), 'frobenius_norm').toBeLessThan(1e-13);
        expect(relErr(got.S_max, w.S_max), 'S_max').toBeLessThan(1e-12);
        expect(relErr(got.S_sum, w.S_sum), 'S_sum').toBeLessThan(sTol);
        expect(Math.abs(got.S_min - w.S_min), 'S_min').toBeLessThanOrEqual((loose ? 1e-7 : 1e-12) * scale);
        expect(relErr(got.effective_rank, w.effective_rank), 'effective_rank').toBeLessThan(sTol);
        expect(Array.from(g), 'input unchanged').toEqual(c.g);
      });
    }
  }
});

describe('matrixStats edge cases', () => {
  it('returns NaN for M_*, S_max, S_min and effective rank (no spectrum) and 0 for the sums of an empty matrix', () => {
    const got = matrixStats(new Float64Array(0), 0, 4);
    expect(got.M_mean).toBeNaN();
    expect(got.M_max).toBeNaN();
    expect(got.M_min).toBeNaN();
    expect(got.S_max).toBeNaN();
    expect(got.S_min).toBeNaN();
    expect(got.frobenius_norm).toBe(0);
    expect(got.S_sum).toBe(0);
    expect(got.effective_rank).toBeNaN();
  });

  it('gives all zeros (effective rank 0) for a zero matrix', () => {
    expect(matrixStats(new Float64Array(6), 2, 3)).toEqual({
      M_mean: 0, M_max: 0, M_min: 0, frobenius_norm: 0, S_sum: 0, S_max: 0, S_min: 0, effective_rank: 0,
    });
  });

  it('makes every statistic NaN when an entry is NaN', () => {
    const got = matrixStats(Float64Array.of(1, NaN, 3, 4), 2, 2);
    for (const f of FIELDS) expect(got[f], f).toBeNaN();
  });

  it.each([
    [Infinity, Infinity, 1],
    [-Infinity, 4, -Infinity],
  ])('keeps %s in M_max/M_min and makes the singular values NaN', (bad, max, min) => {
    const got = matrixStats(Float64Array.of(1, bad, 3, 4), 2, 2);
    expect(got.M_max).toBe(max);
    expect(got.M_min).toBe(min);
    expect(got.frobenius_norm).toBe(Infinity);
    expect(got.S_sum).toBeNaN();
    expect(got.effective_rank).toBeNaN();
  });

  it('uses the factors for singular values and g for the entry statistics', () => {
    // Δ [1, 2] = [[1, 2]], X [1, 3] = [[1, 0, 2]]: G = [[1, 0, 2], [2, 0, 4]], rank one, σ = [5, 0].
    const g = Float32Array.of(1, 0, 2, 2, 0, 4);
    const got = matrixStats(g, 2, 3, { delta: Float32Array.of(1, 2), x: Float32Array.of(1, 0, 2), tokens: 1 });
    expect(got).toEqual({ M_mean: 1.5, M_max: 4, M_min: 0, frobenius_norm: 5, S_sum: 5, S_max: 5, S_min: 0, effective_rank: 1 });
  });

  it('throws a RangeError when g or a factor has the wrong length', () => {
    expect(() => matrixStats(new Float64Array(5), 2, 3)).toThrow(RangeError);
    expect(() => matrixStats(new Float64Array(6), 2, 3, { delta: new Float64Array(3), x: new Float64Array(3), tokens: 1 })).toThrow(RangeError);
  });
});
