import { describe, expect, it } from 'vitest';
import { householderR } from '../../../src/core/linalg/householderR';

/** Rᵀ R, which must equal Mᵀ M = A Aᵀ for A holding the columns of M as rows. */
function gramOfR(r: Float64Array, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let c = 0; c < n; c++) s += r[c * n + i] * r[c * n + j];
    out.push(s);
  }
  return out;
}

describe('householderR', () => {
  const cases: { name: string; a: number[]; count: number; length: number }[] = [
    { name: 'two columns of length 2', a: [3, 4, 0, 5], count: 2, length: 2 },
    { name: 'three columns of length 5', a: [1, 2, 0, -1, 3, 0.5, -1, 2, 2, 0, -2, 1, 1, 0, 4], count: 3, length: 5 },
    { name: 'a zero first column', a: [0, 0, 0, 1, 2, 3], count: 2, length: 3 },
    { name: 'two equal columns', a: [1, 2, 3, 1, 2, 3], count: 2, length: 3 },
    { name: 'a zero matrix', a: [0, 0, 0, 0], count: 2, length: 2 },
  ];
  for (const c of cases) {
    it(`gives an upper-triangular R with Rᵀ R = Mᵀ M for ${c.name} (absolute 1e-13)`, () => {
      const a = Float64Array.from(c.a);
      const r = householderR(a, c.count, c.length);
      const n = c.count;
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(r[i * n + j]).toBe(0);
      const want: number[] = [];
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        let s = 0;
        for (let t = 0; t < c.length; t++) s += c.a[i * c.length + t] * c.a[j * c.length + t];
        want.push(s);
      }
      gramOfR(r, n).forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-13));
      expect(Array.from(a), 'input unchanged').toEqual(c.a);
    });
  }

  it('matches the worked example in its doc comment', () => {
    expect(Array.from(householderR(Float64Array.of(3, 4, 0, 5), 2, 2)).map((v) => Math.round(v * 1e12) / 1e12)).toEqual([-5, -4, 0, -3]);
  });

  it('returns an empty R for no columns', () => {
    expect(householderR(new Float64Array(0), 0, 4).length).toBe(0);
  });
});
