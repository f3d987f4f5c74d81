import { describe, expect, it } from 'vitest';
import { effectiveRank, summarizeSingularValues } from '../../../src/core/format/singularValues.ts';

const TOL = 1e-12;

describe('effectiveRank', () => {
  // Hand-computed: [3,1]: p = (3/4, 1/4), H = (3/4)ln(4/3) + (1/4)ln 4 ≈ 0.5623351446, e^H ≈ 1.7547653
  // [1,2,3,4]: p = i/10, H = -Σ p ln p ≈ 1.2798542258, e^H ≈ 3.5961154
  it.each([
    [[1, 1], 2],
    [[5, 5, 5, 5], 4],
    [[3, 1], Math.exp(0.75 * Math.log(4 / 3) + 0.25 * Math.log(4))],
    [[1, 2, 3, 4], Math.exp(-[0.1, 0.2, 0.3, 0.4].reduce((h, p) => h + p * Math.log(p), 0))],
    [[7], 1],
    [[2, 0], 1],
    [[0, 0], 0],
    [[], NaN],
    [[1, NaN], NaN],
    [[1, -1], NaN],
    [[1, Infinity], NaN],
    [[1e308, 1e308], 2],
    [[1e-320, 3e-320], Math.exp(0.25 * Math.log(4) + 0.75 * Math.log(4 / 3))],
  ])('of %j is %d', (sigma, expected) => {
    const got = effectiveRank(sigma);
    if (Number.isNaN(expected)) expect(got).toBeNaN();
    else expect(Math.abs(got - expected)).toBeLessThan(TOL);
  });

  it('matches the hand-computed decimals', () => {
    expect(effectiveRank([3, 1])).toBeCloseTo(1.7547653, 6);
    expect(effectiveRank([1, 2, 3, 4])).toBeCloseTo(3.5961154, 6);
  });

  it('does not change its input', () => {
    const input = [3, 1];
    effectiveRank(input);
    expect(input).toEqual([3, 1]);
  });
});

describe('summarizeSingularValues', () => {
  it.each([
    [[3, 1], [4, 3, 1]],
    [[1, 3, 2], [6, 3, 1]],
    [[], [NaN, NaN, NaN]],
    [[1, null], [NaN, NaN, NaN]],
    [[1, 'x'], [NaN, NaN, NaN]],
    [[Infinity, 1], [Infinity, Infinity, 1]],
    [[-Infinity, 1], [-Infinity, 1, -Infinity]],
    [[0, 0], [0, 0, 0]],
  ])('of %j gives S_sum, S_max, S_min = %j', (list, [sum, max, min]) => {
    const s = summarizeSingularValues(list);
    expect([s.S_sum, s.S_max, s.S_min]).toEqual([sum, max, min]);
  });
});
