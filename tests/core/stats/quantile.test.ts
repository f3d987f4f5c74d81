import { describe, expect, it } from 'vitest';
import { meanOf, pairwiseSum, quantileSorted, stdOf } from '../../../src/core/stats/quantile.ts';
import { expectClose } from './close.ts';

const inf = Infinity;

describe('quantileSorted', () => {
  // Hand computed: h = (n - 1)·p, x[⌊h⌋] + frac(h)·(x[⌊h⌋+1] - x[⌊h⌋]).
  const cases: { name: string; sorted: number[]; p: number; expected: number }[] = [
    { name: 'an empty array gives NaN', sorted: [], p: 0.5, expected: NaN },
    { name: 'a single value is every quantile', sorted: [7], p: 0.05, expected: 7 },
    { name: 'the 25th percentile of 1..4 interpolates at h = 0.75', sorted: [1, 2, 3, 4], p: 0.25, expected: 1.75 },
    { name: 'the median of an even count is the midpoint', sorted: [1, 2, 3, 4], p: 0.5, expected: 2.5 },
    { name: 'the 5th percentile of 1..4 is 1.15', sorted: [1, 2, 3, 4], p: 0.05, expected: 1.15 },
    { name: 'the 95th percentile of [1, 2, 3, 4, 10] is 4 + 0.8·6', sorted: [1, 2, 3, 4, 10], p: 0.95, expected: 8.8 },
    { name: 'p = 0 is the minimum', sorted: [-3, 0, 5], p: 0, expected: -3 },
    { name: 'p = 1 is the maximum', sorted: [-3, 0, 5], p: 1, expected: 5 },
    { name: 'zeros give zero', sorted: [0, 0, 0], p: 0.75, expected: 0 },
    { name: 'an exact hit on Infinity is Infinity', sorted: [1, 2, inf], p: 1, expected: inf },
    { name: 'interpolating towards Infinity is Infinity', sorted: [1, inf], p: 0.05, expected: inf },
    { name: 'interpolating away from -Infinity is -Infinity', sorted: [-inf, 1, 2], p: 0.05, expected: -inf },
    { name: 'two equal infinities give that infinity', sorted: [inf, inf], p: 0.5, expected: inf },
    { name: 'between -Infinity and Infinity there is no limit', sorted: [-inf, inf], p: 0.5, expected: NaN },
    { name: 'an exact hit next to Infinity stays finite', sorted: [1, 2, inf], p: 0.5, expected: 2 },
  ];
  it.each(cases)('$name', ({ sorted, p, expected }) => {
    const copy = sorted.slice();
    expectClose(quantileSorted(sorted, p), expected);
    expect(sorted).toEqual(copy);
  });
});

describe('meanOf and stdOf', () => {
  const cases: { name: string; values: number[]; mean: number; std: number }[] = [
    { name: 'empty input gives NaN for both', values: [], mean: NaN, std: NaN },
    { name: 'all-NaN input gives NaN for both', values: [NaN, NaN], mean: NaN, std: NaN },
    { name: 'zeros give zero mean and zero spread', values: [0, 0, 0], mean: 0, std: 0 },
    { name: 'std divides by n (ddof = 0): 1..4 gives √1.25', values: [1, 2, 3, 4], mean: 2.5, std: Math.sqrt(1.25) },
    { name: 'one value has no spread', values: [5], mean: 5, std: 0 },
    { name: 'Infinity makes the mean Infinity and the std NaN', values: [1, inf], mean: inf, std: NaN },
    { name: '-Infinity makes the mean -Infinity', values: [-inf, 3], mean: -inf, std: NaN },
    { name: 'both infinities make the mean NaN', values: [-inf, inf], mean: NaN, std: NaN },
  ];
  it.each(cases)('$name', ({ values, mean, std }) => {
    const copy = values.slice();
    expectClose(meanOf(values), mean);
    expectClose(stdOf(values), std);
    expect(values).toEqual(copy);
  });
});

describe('pairwiseSum', () => {
  const big = 2 ** 53; // above this, adding 1 is lost to rounding (ties to even)
  const cases: { name: string; values: number[]; expected: number }[] = [
    { name: 'empty input sums to 0', values: [], expected: 0 },
    { name: 'all-NaN input gives NaN', values: [NaN, NaN], expected: NaN },
    { name: 'zeros sum to 0', values: Array(20).fill(0), expected: 0 },
    { name: 'Infinity and -Infinity give NaN', values: [Infinity, 1, -Infinity], expected: NaN },
    { name: 'Infinity wins over finite values', values: [...Array(9).fill(1), Infinity], expected: Infinity },
    { name: 'numpy pairs the eight accumulators: (2⁵³ + 0) + (1 + 1) keeps both ones', values: [big, 0, 1, 1, 0, 0, 0, 0], expected: big + 2 },
    { name: 'fewer than eight values are summed left to right, losing the ones', values: [big, 0, 1, 1, 0, 0, 0], expected: big },
    { name: 'blocks above 128 split in halves rounded to multiples of 8', values: Array(300).fill(0.5), expected: 150 },
  ];
  it.each(cases)('$name', ({ values, expected }) => {
    const copy = values.slice();
    expectClose(pairwiseSum(values), expected, 0);
    expect(values).toEqual(copy);
  });
});
