import { describe, expect, it } from 'vitest';
import { computeCurveStrip } from '../../../src/core/stats/curveStrip.ts';

describe('computeCurveStrip', () => {
  it('gives b minus the reference, layer by layer, as a difference', () => {
    expect(Array.from(computeCurveStrip([1, 2, 0], [2, 1, 3], 'difference'))).toEqual([1, -1, 3]);
  });

  it('gives b over the reference as a ratio, NaN where the reference is zero', () => {
    expect(Array.from(computeCurveStrip([1, 2, 0], [2, 1, 3], 'ratio'))).toEqual([2, 0.5, NaN]);
  });

  it('propagates NaN and Infinity as arithmetic does', () => {
    const r = computeCurveStrip([NaN, 1, Infinity], [1, Infinity, 1], 'difference');
    expect(Array.from(r)).toEqual([NaN, Infinity, -Infinity]);
  });

  it('uses the shorter length for curves of different depth and leaves inputs unchanged', () => {
    const ref = new Float64Array([1, 2, 3]);
    const b = [2, 4];
    expect(Array.from(computeCurveStrip(ref, b, 'ratio'))).toEqual([2, 2]);
    expect(Array.from(ref)).toEqual([1, 2, 3]);
    expect(computeCurveStrip([], [], 'ratio').length).toBe(0);
  });
});
