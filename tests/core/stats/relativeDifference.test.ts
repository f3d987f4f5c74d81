import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { relativeDifference } from '../../../src/core/stats/relativeDifference.ts';
import { expectAllClose, expectClose } from './close.ts';

const inf = Infinity;

describe('relativeDifference', () => {
  // ratio_i = |a_i - b_i| / |a_i|, a_i = 0 replaced by 1e-10 in numerator and denominator.
  const cases: { name: string; a: number[]; b: number[]; value: number; ratios: number[]; top: number[] }[] = [
    { name: 'empty curves give NaN and no layers', a: [], b: [], value: NaN, ratios: [], top: [] },
    {
      name: 'the doc example: a zero reference becomes 1e-10',
      a: [1, 2, 0],
      b: [2, 2, 1e-10],
      value: 1 / 3,
      ratios: [1, 0, 0],
      top: [0, 1, 2],
    },
    {
      name: 'zero against zero is a ratio of 1, because the 1e-10 stand-in enters the numerator too',
      a: [0, 0],
      b: [0, 0],
      value: 1,
      ratios: [1, 1],
      top: [0, 1],
    },
    { name: 'a zero reference against 1 is (1 - 1e-10) / 1e-10', a: [0], b: [1], value: 1e10 - 1, ratios: [1e10 - 1], top: [0] },
    { name: 'a negative reference uses its absolute value', a: [-2, 4], b: [1, 4], value: 0.75, ratios: [1.5, 0], top: [0, 1] },
    { name: 'equal ratios rank by lower layer index', a: [2, 4, 5], b: [1, 6, 5], value: 1 / 3, ratios: [0.5, 0.5, 0], top: [0, 1, 2] },
    {
      name: 'only the five largest of seven layers are listed, largest first',
      a: [1, 1, 1, 1, 1, 1, 1],
      b: [1.1, 1.7, 1.3, 1.6, 1.2, 1.5, 1.4],
      value: 0.4,
      ratios: [0.1, 0.7, 0.3, 0.6, 0.2, 0.5, 0.4],
      top: [1, 3, 5, 6, 2],
    },
    { name: 'all-NaN curves give NaN everywhere', a: [NaN, NaN], b: [NaN, NaN], value: NaN, ratios: [NaN, NaN], top: [0, 1] },
    { name: 'a NaN ratio ranks above every number, as numpy sorts NaN last', a: [1, 1, 1], b: [3, NaN, 2], value: NaN, ratios: [2, NaN, 1], top: [1, 0, 2] },
    { name: 'an infinite reference gives NaN (∞/∞)', a: [inf, 1], b: [1, 1], value: NaN, ratios: [NaN, 0], top: [0, 1] },
    { name: 'an infinite other curve gives Infinity', a: [1, 2], b: [-inf, 2], value: inf, ratios: [inf, 0], top: [0, 1] },
    { name: 'identical curves give zero', a: [3, 5], b: [3, 5], value: 0, ratios: [0, 0], top: [0, 1] },
  ];
  it.each(cases)('$name', ({ a, b, value, ratios, top }) => {
    const ca = a.slice();
    const cb = b.slice();
    const rd = relativeDifference(a, b);
    expectClose(rd.value, value, 1e-12, 'value');
    expectAllClose(rd.ratios, ratios, 1e-12, 'ratios');
    expect(rd.topLayers).toEqual(top);
    expect(a).toEqual(ca);
    expect(b).toEqual(cb);
  });

  it('rejects curves of different lengths, as the study raises ValueError', () => {
    expect(() => relativeDifference([1, 2], [1])).toThrow(/2 and 1 layers/);
  });

  it('accepts typed arrays', () => {
    expectClose(relativeDifference(new Float64Array([2]), new Float64Array([3])).value, 0.5);
  });
});

describe('relative difference properties', () => {
  const nonZero = fc.double({ min: 1e-3, max: 1e6, noNaN: true }).chain((x) => fc.constantFrom(x, -x));

  it('is zero for a curve against itself and unchanged when both curves are scaled', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(nonZero, nonZero), { minLength: 1, maxLength: 40 }), fc.double({ min: 0.01, max: 100, noNaN: true }), (pairs, k) => {
        const a = pairs.map(([x]) => x);
        const b = pairs.map(([, y]) => y);
        const self = relativeDifference(a, a);
        const base = relativeDifference(a, b);
        const scaled = relativeDifference(a.map((x) => k * x), b.map((y) => k * y));
        return (
          self.value === 0 &&
          Math.abs(scaled.value - base.value) <= 1e-9 * Math.max(1, base.value) &&
          base.topLayers.length === Math.min(5, a.length) &&
          base.topLayers.every((l, i) => i === 0 || base.ratios[base.topLayers[i - 1]] >= base.ratios[l])
        );
      }),
    );
  });
});
