import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../../src/core/data/mulberry32.ts';
import { percentileInterval } from '../../../../src/core/stats/resampling/percentileInterval.ts';
import { plainQuantile } from './reference.ts';

describe('percentileInterval', () => {
  it('cuts 1..100 at 5% and 95% as numpy does', () => {
    const values = Float64Array.from({ length: 100 }, (_, i) => 100 - i);
    const [lo, hi] = percentileInterval(values, 0.9);
    expect(lo).toBeCloseTo(5.95, 12);
    expect(hi).toBeCloseTo(95.05, 12);
  });

  it('equals the sorted-array quantiles on random data with ties, in a sub-range, with NaN left out', () => {
    const random = mulberry32(9);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(random() * 2000);
      const data = Array.from({ length: n }, () => (random() < 0.05 ? NaN : Math.round(random() * 50) / 4));
      const level = [0.5, 0.9, 0.95, 0.99][trial % 4];
      const buffer = Float64Array.from([7, ...data, 7]);
      const [lo, hi] = percentileInterval(buffer, level, 1, n + 1);
      expect(lo).toBe(plainQuantile(data, (1 - level) / 2));
      expect(hi).toBe(plainQuantile(data, (1 + level) / 2));
      expect([buffer[0], buffer[n + 1]]).toEqual([7, 7]);
    }
  });

  it('gives [NaN, NaN] with no value and the value itself for one', () => {
    expect(percentileInterval(new Float64Array(0), 0.95)).toEqual([NaN, NaN]);
    expect(percentileInterval(Float64Array.from([NaN, NaN]), 0.95)).toEqual([NaN, NaN]);
    expect(percentileInterval(Float64Array.from([3, NaN]), 0.95)).toEqual([3, 3]);
  });

  it('treats ±Infinity as ordinary values', () => {
    const values = Float64Array.from([-Infinity, ...Array.from({ length: 98 }, (_, i) => i), Infinity]);
    const [lo, hi] = percentileInterval(values, 0.999);
    expect(lo).toBe(-Infinity);
    expect(hi).toBe(Infinity);
  });
});
