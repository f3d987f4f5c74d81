import { describe, expect, it } from 'vitest';
import { symmetricEigenvalues } from '../../../src/core/linalg/symmetricEigenvalues';

/** Seeded uniform numbers in [-1, 1) (mulberry32), so failures reproduce. */
function uniforms(count: number, seed: number): Float64Array {
  let a = seed >>> 0;
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

function randomSymmetric(n: number, seed: number): Float64Array {
  const r = uniforms(n * n, seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = r[Math.max(i, j) * n + Math.min(i, j)];
  return a;
}

describe('symmetricEigenvalues', () => {
  const s2 = Math.SQRT2;
  const cases: { name: string; n: number; a: number[]; expected: number[] }[] = [
    { name: 'an empty matrix', n: 0, a: [], expected: [] },
    { name: 'a 1×1 matrix', n: 1, a: [-3], expected: [-3] },
    { name: 'a zero matrix', n: 3, a: [0, 0, 0, 0, 0, 0, 0, 0, 0], expected: [0, 0, 0] },
    { name: 'a diagonal matrix, sorted descending', n: 3, a: [1, 0, 0, 0, -5, 0, 0, 0, 7], expected: [7, 1, -5] },
    { name: 'a 2×2 matrix', n: 2, a: [2, 1, 1, 2], expected: [3, 1] },
    { name: 'the 1-D Laplacian', n: 3, a: [2, -1, 0, -1, 2, -1, 0, -1, 2], expected: [2 + s2, 2, 2 - s2] },
    { name: 'the identity (all eigenvalues repeated)', n: 4, a: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], expected: [1, 1, 1, 1] },
    { name: 'a rank-one matrix u uᵀ', n: 3, a: [1, 2, 3, 2, 4, 6, 3, 6, 9], expected: [14, 0, 0] },
    { name: 'tiny entries (1e-200 scale)', n: 2, a: [2e-200, 1e-200, 1e-200, 2e-200], expected: [3e-200, 1e-200] },
    { name: 'huge entries (1e200 scale)', n: 2, a: [2e200, 1e200, 1e200, 2e200], expected: [3e200, 1e200] },
  ];
  for (const c of cases) {
    it(`finds the eigenvalues of ${c.name} within 1e-14 of the largest`, () => {
      const a = Float64Array.from(c.a);
      const got = symmetricEigenvalues(a, c.n);
      const scale = Math.max(1e-300, ...c.expected.map(Math.abs));
      expect(got.length).toBe(c.expected.length);
      got.forEach((v, i) => expect(Math.abs(v - c.expected[i]) / scale, `λ${i}`).toBeLessThan(1e-14));
      expect(Array.from(a), 'input unchanged').toEqual(c.a);
    });
  }

  it('reads only the lower triangle', () => {
    expect(Array.from(symmetricEigenvalues(Float64Array.of(2, 999, 1, 2), 2))).toEqual(
      Array.from(symmetricEigenvalues(Float64Array.of(2, 1, 1, 2), 2)),
    );
  });

  it.each([NaN, Infinity, -Infinity])('returns all NaN when the lower triangle holds %s', (bad) => {
    const got = symmetricEigenvalues(Float64Array.of(1, 0, bad, 1), 2);
    expect(Array.from(got).every(Number.isNaN)).toBe(true);
  });

  it('throws a RangeError when the array is too short for n×n', () => {
    expect(() => symmetricEigenvalues(new Float64Array(3), 2)).toThrow(RangeError);
  });

  it.each([5, 17, 64, 130])('keeps trace and Frobenius norm of a random %i×%i matrix (relative 1e-12)', (n) => {
    const a = randomSymmetric(n, n);
    const lambda = symmetricEigenvalues(a, n);
    let trace = 0;
    let frob2 = 0;
    for (let i = 0; i < n; i++) trace += a[i * n + i];
    for (const v of a) frob2 += v * v;
    const sum = lambda.reduce((p, q) => p + q, 0);
    const sum2 = lambda.reduce((p, q) => p + q * q, 0);
    expect(Math.abs(sum - trace) / frob2 ** 0.5).toBeLessThan(1e-12);
    expect(Math.abs(sum2 - frob2) / frob2).toBeLessThan(1e-12);
    for (let i = 1; i < n; i++) expect(lambda[i]).toBeLessThanOrEqual(lambda[i - 1]);
  });

  it('shifts every eigenvalue by c when c·I is added (absolute 1e-12)', () => {
    const n = 12;
    const a = randomSymmetric(n, 99);
    const shifted = Float64Array.from(a);
    for (let i = 0; i < n; i++) shifted[i * n + i] += 3;
    const l0 = symmetricEigenvalues(a, n);
    const l1 = symmetricEigenvalues(shifted, n);
    l0.forEach((v, i) => expect(Math.abs(l1[i] - v - 3)).toBeLessThan(1e-12));
  });
});
