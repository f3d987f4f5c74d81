import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeMad, defaultSplits, meanAbsoluteDifference, validateSplits } from '../../../src/core/stats/mad.ts';
import { expectClose } from './close.ts';

const inf = Infinity;
/** c[i] = i²: adjacent differences are 2i + 1, so the MAD of the slice [s, e) is s + e - 1. */
const squares = (n: number) => Float64Array.from({ length: n }, (_, i) => i * i);

describe('defaultSplits', () => {
  const cases: { layers: number; expected: [number, number] }[] = [
    // The study's own splits (exp_utils.py cal_MAD_3_devides).
    { layers: 26, expected: [7, 20] },
    { layers: 28, expected: [7, 21] },
    { layers: 32, expected: [10, 20] },
    { layers: 42, expected: [12, 30] },
    // Quarters elsewhere: round(L/4), round(3L/4).
    { layers: 12, expected: [3, 9] },
    { layers: 16, expected: [4, 12] },
    // At least two layers per part from six layers on, so every part has a MAD.
    { layers: 6, expected: [2, 4] },
    { layers: 7, expected: [2, 5] },
    { layers: 8, expected: [2, 6] },
    { layers: 5, expected: [1, 4] },
    { layers: 4, expected: [1, 3] },
    { layers: 3, expected: [1, 2] },
    // Too few layers for three parts.
    { layers: 2, expected: [1, 2] },
    { layers: 1, expected: [1, 1] },
    { layers: 0, expected: [0, 0] },
  ];
  it.each(cases)('splits $layers layers at $expected', ({ layers, expected }) => {
    expect(defaultSplits(layers)).toEqual(expected);
  });

  it('leaves at least one layer in every part for any count of three or more', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 500 }), (L) => {
        const [a, b] = defaultSplits(L);
        return Number.isInteger(a) && Number.isInteger(b) && 0 < a && a < b && b < L;
      }),
    );
  });

  it('leaves at least two layers in every part (a finite MAD) for any count of six or more', () => {
    fc.assert(
      fc.property(fc.integer({ min: 6, max: 500 }), (L) => {
        const [a, b] = defaultSplits(L);
        return a >= 2 && b - a >= 2 && L - b >= 2;
      }),
    );
  });
});

describe('validateSplits', () => {
  it.each([
    { splits: [0, 5] },
    { splits: [5, 5] },
    { splits: [6, 5] },
    { splits: [5, 32] },
    { splits: [1.5, 3] },
    { splits: [NaN, 3] },
    { splits: [3] },
    { splits: [1, 2, 3] },
  ])('rejects $splits for 32 layers with a reason naming the layer count', ({ splits }) => {
    expect(() => validateSplits(splits, 32)).toThrow(/0 < A < B < 32/);
  });

  it('accepts the tightest valid splits', () => {
    expect(validateSplits([1, 31], 32)).toEqual([1, 31]);
  });
});

describe('meanAbsoluteDifference', () => {
  const cases: { name: string; curve: number[]; expected: number }[] = [
    { name: 'an empty curve gives NaN (numpy mean of nothing)', curve: [], expected: NaN },
    { name: 'one layer gives NaN', curve: [5], expected: NaN },
    { name: 'a worked example: |2| + |-1| + |4| over 3', curve: [1, 3, 2, 6], expected: 7 / 3 },
    { name: 'zeros give zero', curve: [0, 0, 0], expected: 0 },
    { name: 'all NaN gives NaN', curve: [NaN, NaN, NaN], expected: NaN },
    { name: 'one NaN gives NaN', curve: [1, NaN, 3], expected: NaN },
    { name: 'a step to Infinity gives Infinity', curve: [0, 1, inf], expected: inf },
    { name: 'two adjacent equal infinities give NaN', curve: [0, inf, inf], expected: NaN },
    { name: 'a step from -Infinity gives Infinity', curve: [-inf, 0], expected: inf },
  ];
  it.each(cases)('$name', ({ curve, expected }) => {
    const copy = curve.slice();
    expectClose(meanAbsoluteDifference(curve), expected);
    expect(curve).toEqual(copy);
  });
});

describe('computeMad', () => {
  const cases: { name: string; curve: ArrayLike<number>; splits?: number[]; expected: [number, number, number, number] }[] = [
    { name: '32 layers use [10, 20]', curve: squares(32), expected: [31, 9, 29, 51] },
    { name: '28 layers use [7, 21]', curve: squares(28), expected: [27, 6, 27, 48] },
    { name: '26 layers use [7, 20]', curve: squares(26), expected: [25, 6, 26, 45] },
    { name: '42 layers use [12, 30]', curve: squares(42), expected: [41, 11, 41, 71] },
    { name: '12 layers use quarters [3, 9]', curve: squares(12), expected: [11, 2, 11, 20] },
    { name: 'custom splits move the parts', curve: squares(32), splits: [5, 25], expected: [31, 4, 29, 56] },
    { name: 'the doc example', curve: [1, 3, 2, 6, 6, 10], splits: [2, 4], expected: [2.2, 2, 4, 4] },
    { name: 'three layers leave one layer per part, whose MAD is NaN', curve: [1, 2, 4], expected: [1.5, NaN, NaN, NaN] },
    { name: 'an empty curve gives NaN throughout', curve: [], expected: [NaN, NaN, NaN, NaN] },
    { name: 'an all-NaN curve gives NaN throughout', curve: [NaN, NaN, NaN, NaN], expected: [NaN, NaN, NaN, NaN] },
    { name: 'a zero curve gives zero throughout', curve: [0, 0, 0, 0, 0, 0], splits: [2, 4], expected: [0, 0, 0, 0] },
    { name: 'Infinity in the late part stays there', curve: [0, 1, 2, 3, 4, inf], splits: [2, 4], expected: [inf, 1, 1, inf] },
  ];
  it.each(cases)('$name', ({ curve, splits, expected }) => {
    const copy = Array.from(curve);
    const mad = computeMad(curve, splits);
    const [all, early, middle, late] = expected;
    expectClose(mad.all, all, 1e-12, 'all');
    expectClose(mad.early, early, 1e-12, 'early');
    expectClose(mad.middle, middle, 1e-12, 'middle');
    expectClose(mad.late, late, 1e-12, 'late');
    expect(Array.from(curve)).toEqual(copy);
  });

  it('reads the mean of a Curve', () => {
    expect(computeMad({ mean: squares(32) })).toEqual({ all: 31, early: 9, middle: 29, late: 51 });
  });

  it('rejects splits that do not fit the curve', () => {
    expect(() => computeMad(squares(12), [3, 12])).toThrow(RangeError);
  });
});

describe('MAD properties', () => {
  const curve = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 3, maxLength: 50 });

  it('ignores a constant shift and scales with |k|', () => {
    fc.assert(
      fc.property(curve, fc.double({ min: -100, max: 100, noNaN: true }), fc.double({ min: -10, max: 10, noNaN: true }), (c, shift, k) => {
        const base = computeMad(c);
        const shifted = computeMad(c.map((x) => x + shift));
        const scaled = computeMad(c.map((x) => k * x));
        const close = (a: number, b: number, scale: number) => Number.isNaN(a) ? Number.isNaN(b) : Math.abs(a - b) <= 1e-6 * Math.max(1, scale);
        const size = Math.max(1, ...c.map(Math.abs));
        return (['all', 'early', 'middle', 'late'] as const).every(
          (part) => close(shifted[part], base[part], size + Math.abs(shift)) && close(scaled[part], Math.abs(k) * base[part], size * Math.abs(k)),
        );
      }),
    );
  });
});
