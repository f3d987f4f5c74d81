import { describe, expect, it } from 'vitest';
import { effectiveRank } from '../../../src/core/linalg/effectiveRank';

describe('effectiveRank', () => {
  const cases: { name: string; sigma: number[]; expected: number }[] = [
    { name: 'is 1 for a single nonzero value', sigma: [5], expected: 1 },
    { name: 'is 1 for one nonzero value among zeros (0·ln 0 = 0)', sigma: [2, 0, 0], expected: 1 },
    { name: 'is n for n equal values', sigma: [3, 3, 3, 3], expected: 4 },
    // p = (1/2, 1/4, 1/4): H = ½ ln 2 + ½ ln 4 = (3/2) ln 2, exp(H) = 2^(3/2).
    { name: 'is 2√2 for [2, 1, 1] (hand-computed)', sigma: [2, 1, 1], expected: 2 * Math.SQRT2 },
    { name: 'does not depend on the order of the values', sigma: [1, 2, 1], expected: 2 * Math.SQRT2 },
    { name: 'ignores zeros between equal values', sigma: [1, 1, 0], expected: 2 },
    { name: 'is scale-invariant', sigma: [3e-9, 1e-9], expected: Math.exp(-(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25))) },
    { name: 'is NaN for an empty spectrum', sigma: [], expected: NaN },
    { name: 'does not overflow for huge values', sigma: [1e308, 1e308], expected: 2 },
    { name: 'is 0 for an all-zero spectrum (zero matrix)', sigma: [0, 0], expected: 0 },
    { name: 'is NaN when a value is NaN', sigma: [1, NaN], expected: NaN },
    { name: 'is NaN when a value is Infinity', sigma: [1, Infinity], expected: NaN },
    { name: 'is NaN when a value is -Infinity', sigma: [1, -Infinity], expected: NaN },
    { name: 'is NaN when a value is negative', sigma: [1, -0.5], expected: NaN },
  ];
  for (const c of cases) {
    it(`${c.name} (within 1e-14)`, () => {
      const input = Float64Array.from(c.sigma);
      const got = effectiveRank(input);
      if (Number.isNaN(c.expected)) expect(got).toBeNaN();
      else expect(Math.abs(got - c.expected)).toBeLessThan(1e-14);
      expect(Array.from(input), 'input unchanged').toEqual(c.sigma);
    });
  }

  it("agrees with the follow-up's compute_entropy_based_rank (vis/try_vis_effective_rank_entropy_two.py) on spectra it keeps", () => {
    // Its code, transcribed: total = sum(S); p = S / total; H = -Σ_{p > 0} p ln p; exp(H). It leaves a
    // spectrum with total < 1e-12 out of its mean; gradlens gives 0 for all zeros (and a rank for any positive total).
    const followup = (s: number[]) => {
      const total = s.reduce((a, b) => a + b, 0);
      let h = 0;
      for (const x of s) if (x / total > 0) h -= (x / total) * Math.log(x / total);
      return Math.exp(h);
    };
    for (const s of [[5, 3, 1, 0.5], [1e-3, 2e-4, 0, 0], [9.5, 0.25, 0.25, 1e-9], Array.from({ length: 64 }, (_, i) => 1 / (i + 1))]) {
      expect(Math.abs(effectiveRank(s) - followup(s)) / followup(s)).toBeLessThan(1e-14);
    }
  });

  it('accepts plain arrays as well as typed arrays', () => {
    expect(effectiveRank([1, 1])).toBeCloseTo(2, 14);
  });
});
