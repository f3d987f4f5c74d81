import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { singularValues, singularValuesOfProduct } from '../../../src/core/linalg/singularValues';
import { loadSvdCases, maxAbsDiff, relErr } from './svdFixtures';

/**
 * Tolerances against numpy's LAPACK SVD. Gram routes (eigenvalues of G Gᵀ or of the
 * T×T low-rank problem) square the condition number: their error on σ² is about
 * n·ε·σ_max², so σ is resolved only down to √(n·ε)·σ_max (≈ 7e-8·σ_max at n = 20) and
 * the ill-conditioned cases get that looser bound; S_max is exact to rounding everywhere.
 */
const TOL = {
  sMaxRel: 1e-12,
  sigmaAbs: { tight: 1e-12, gram: 1e-7 }, // times σ_max
  sSumRel: { tight: 1e-9, gram: 1e-6 },
};

const dense = (c: { g: number[] }) => Float64Array.from(c.g);

describe('singularValues and singularValuesOfProduct against numpy (tests/fixtures/linalg)', () => {
  for (const c of loadSvdCases()) {
    const loose = c.kind === 'illcond';
    const sigmaTol = (loose ? TOL.sigmaAbs.gram : TOL.sigmaAbs.tight) * Math.max(c.sigma[0], 1e-300);
    const sumTol = loose ? TOL.sSumRel.gram : TOL.sSumRel.tight;
    const routes: [string, () => Float64Array][] = [['dense', () => singularValues(dense(c), c.rows, c.cols)]];
    if (c.delta && c.x && c.tokens !== undefined) {
      const { delta, x, tokens } = c;
      routes.push(['factors', () => singularValuesOfProduct(Float64Array.from(delta), Float64Array.from(x), tokens, c.rows, c.cols)]);
    }
    for (const [route, run] of routes) {
      it(`matches numpy for ${c.name} (${route}; S_max rel ${TOL.sMaxRel}, σ abs ${loose ? 'gram' : 'tight'})`, () => {
        const got = run();
        const sum = got.reduce((p, q) => p + q, 0);
        expect(got.length).toBe(Math.min(c.rows, c.cols));
        expect(relErr(got[0], c.sigma[0]), 'S_max').toBeLessThan(TOL.sMaxRel);
        expect(maxAbsDiff(got, c.sigma), 'every σ').toBeLessThanOrEqual(sigmaTol);
        expect(relErr(sum, c.stats.S_sum), 'S_sum').toBeLessThan(sumTol);
        for (let i = 1; i < got.length; i++) expect(got[i]).toBeLessThanOrEqual(got[i - 1]);
      });
    }
    if (c.rank < Math.min(c.rows, c.cols)) {
      it(`reports exact zeros for the ${Math.min(c.rows, c.cols) - c.rank} missing directions of ${c.name} (numpy: noise)`, () => {
        const got = singularValues(dense(c), c.rows, c.cols);
        for (let i = c.rank; i < got.length; i++) expect(got[i], `σ${i}`).toBe(0);
      });
    }
  }
});

describe('singularValues edge cases', () => {
  it.each([
    [0, 3],
    [3, 0],
    [0, 0],
  ])('returns an empty array for a %i×%i matrix', (rows, cols) => {
    expect(singularValues(new Float64Array(0), rows, cols).length).toBe(0);
  });

  it.each([NaN, Infinity, -Infinity])('returns all NaN when an entry is %s', (bad) => {
    const got = singularValues(Float64Array.of(1, 2, bad, 4, 5, 6), 2, 3);
    expect(got.length).toBe(2);
    expect(Array.from(got).every(Number.isNaN)).toBe(true);
  });

  it.each([1e-200, 1e-160, 1e160, 1e200])('neither underflows nor overflows for entries of size %s (relative 1e-14)', (size) => {
    const got = singularValues(Float64Array.of(3 * size, 0, 4 * size, 5 * size), 2, 2);
    expect(Math.abs(got[0] / size - Math.sqrt(45)) / Math.sqrt(45)).toBeLessThan(1e-14);
    expect(Math.abs(got[1] / size - Math.sqrt(5)) / Math.sqrt(5)).toBeLessThan(1e-14);
    const fromFactors = singularValuesOfProduct(Float64Array.of(size, 0, 0, size), Float64Array.of(3, 4, 0, 5), 2, 2, 2);
    expect(Math.abs(fromFactors[0] / size - Math.sqrt(45)) / Math.sqrt(45)).toBeLessThan(1e-14);
  });

  it('returns zeros for a zero matrix', () => {
    expect(Array.from(singularValues(new Float64Array(6), 3, 2))).toEqual([0, 0]);
  });

  it('treats Float32Array input as the float64 values it holds and leaves it unchanged', () => {
    const values = [0.1, -2.5, 3.25, 7, 1e-3, -4];
    const f32 = Float32Array.from(values);
    const before = Array.from(f32);
    expect(Array.from(singularValues(f32, 2, 3))).toEqual(Array.from(singularValues(Float64Array.from(f32), 2, 3)));
    expect(Array.from(f32)).toEqual(before);
  });

  it('throws a RangeError when the length is not rows × cols', () => {
    expect(() => singularValues(new Float64Array(5), 2, 3)).toThrow(RangeError);
  });
});

describe('singularValuesOfProduct routes', () => {
  // Δ [3, 5], X [3, 4]: T = 3 < min(5, 4), so the T×T routes run.
  const delta = [1, 2, 0, -1, 3, 0.5, -1, 2, 2, 0, -2, 1, 1, 0, 4];
  const x = [1, 0, 2, -1, 0, 3, 1, 1, 2, -1, 0, 5];
  const repeatX = [...x.slice(0, 4), ...x.slice(4, 8), ...x.slice(0, 4)]; // token 2 = token 0
  const zeroDelta = [...delta.slice(0, 5), 0, 0, 0, 0, 0, ...delta.slice(10)]; // token 1 without loss
  const dependentX = [...x.slice(0, 8), ...x.slice(0, 4).map((v, i) => v - 2 * x[4 + i])]; // x₂ = x₀ − 2x₁
  const dependentDelta = [...delta.slice(0, 10), ...delta.slice(0, 5).map((v, i) => 3 * v + delta[5 + i])]; // δ₂ = 3δ₀ + δ₁
  const routes = [
    { name: 'Cholesky of X Xᵀ', d: delta, x },
    { name: 'Cholesky of Δ Δᵀ (X has dependent tokens)', d: delta, x: dependentX },
    { name: 'merging a repeated token, then Cholesky', d: delta, x: repeatX },
    { name: 'dropping a token without loss, then Cholesky', d: zeroDelta, x },
    { name: 'QR + Jacobi (both Gram matrices singular)', d: dependentDelta, x: dependentX },
  ];
  for (const r of routes) {
    it(`agrees with the dense route via ${r.name} (abs 1e-12·σ_max), inputs unchanged`, () => {
      const d64 = Float64Array.from(r.d);
      const x64 = Float64Array.from(r.x);
      const g = new Float64Array(20);
      for (let t = 0; t < 3; t++) for (let o = 0; o < 5; o++) for (let i = 0; i < 4; i++) g[o * 4 + i] += r.d[t * 5 + o] * r.x[t * 4 + i];
      const want = singularValues(g, 5, 4);
      const got = singularValuesOfProduct(d64, x64, 3, 5, 4);
      expect(got.length).toBe(4);
      expect(maxAbsDiff(got, want)).toBeLessThan(1e-12 * want[0]);
      expect(got[3], 'rank ≤ T, so the last value is exactly 0').toBe(0);
      expect(Array.from(d64)).toEqual(r.d);
      expect(Array.from(x64)).toEqual(r.x);
    });
  }

  it('returns zeros for T = 0 and an empty array for d = 0', () => {
    expect(Array.from(singularValuesOfProduct(new Float64Array(0), new Float64Array(0), 0, 3, 2))).toEqual([0, 0]);
    expect(singularValuesOfProduct(new Float64Array(0), new Float64Array(6), 2, 0, 3).length).toBe(0);
  });

  it.each([NaN, Infinity, -Infinity])('returns all NaN when a factor holds %s', (bad) => {
    const got = singularValuesOfProduct(Float64Array.of(1, bad), Float64Array.of(1, 2, 3), 1, 2, 3);
    expect(Array.from(got).every(Number.isNaN)).toBe(true);
  });

  it('throws a RangeError when a factor has the wrong length', () => {
    expect(() => singularValuesOfProduct(new Float64Array(4), new Float64Array(6), 2, 3, 3)).toThrow(RangeError);
  });
});

describe('singular value properties (fast-check, Gram resolution 1e-7·σ_max)', () => {
  // Subnormal numbers carry fewer than 53 bits, so no relative tolerance holds for
  // them: draws below 1e-100 become 0. Fixed seeds keep CI deterministic.
  const entries = (count: number, bound: number) =>
    fc
      .array(fc.double({ min: -bound, max: bound, noNaN: true }).map((v) => (Math.abs(v) < 1e-100 ? 0 : v)), { minLength: count, maxLength: count })
      .map((a) => Float64Array.from(a));
  const matrix = fc
    .tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }))
    .chain(([rows, cols]) =>
      fc.record({
        rows: fc.constant(rows),
        cols: fc.constant(cols),
        g: entries(rows * cols, 100),
      }),
    );

  it('Σσ² equals ‖G‖_F² (relative 1e-10)', () => {
    fc.assert(
      fc.property(matrix, ({ rows, cols, g }) => {
        const frob2 = g.reduce((p, q) => p + q * q, 0);
        const s2 = singularValues(g, rows, cols).reduce((p, q) => p + q * q, 0);
        return Math.abs(s2 - frob2) <= 1e-10 * frob2;
      }),
      { numRuns: 500, seed: 1 },
    );
  });

  it('is invariant under transpose (absolute 1e-7·σ_max)', () => {
    fc.assert(
      fc.property(matrix, ({ rows, cols, g }) => {
        const t = new Float64Array(rows * cols);
        for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = g[i * cols + j];
        const a = singularValues(g, rows, cols);
        const b = singularValues(t, cols, rows);
        return maxAbsDiff(a, b) <= 1e-7 * a[0];
      }),
      { numRuns: 500, seed: 2 },
    );
  });

  // The factor routes err by about ε·‖Δ‖·‖X‖ (not ε·‖G‖), visible only when tokens cancel.
  it('gives the same values from the factors as from G = Δᵀ X, repeated tokens included (absolute 1e-7·σ_max + 1e-13·‖Δ‖‖X‖)', () => {
    const factors = fc
      .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 8 }), fc.boolean())
      .chain(([tokens, dOut, dIn, repeat]) =>
        fc.record({
          tokens: fc.constant(tokens),
          dOut: fc.constant(dOut),
          dIn: fc.constant(dIn),
          repeat: fc.constant(repeat),
          delta: entries(tokens * dOut, 10),
          x: entries(tokens * dIn, 10),
        }),
      );
    fc.assert(
      fc.property(factors, ({ tokens, dOut, dIn, repeat, delta, x }) => {
        if (repeat && tokens > 1) x.copyWithin((tokens - 1) * dIn, 0, dIn);
        const g = new Float64Array(dOut * dIn);
        for (let t = 0; t < tokens; t++) for (let o = 0; o < dOut; o++) for (let i = 0; i < dIn; i++) g[o * dIn + i] += delta[t * dOut + o] * x[t * dIn + i];
        const want = singularValues(g, dOut, dIn);
        const got = singularValuesOfProduct(delta, x, tokens, dOut, dIn);
        const norms = Math.sqrt(delta.reduce((p, q) => p + q * q, 0) * x.reduce((p, q) => p + q * q, 0));
        return got.length === want.length && maxAbsDiff(got, want) <= 1e-7 * want[0] + 1e-13 * norms;
      }),
      { numRuns: 500, seed: 3 },
    );
  });
});
