import { scaleLinear } from 'd3-scale';
import { describe, expect, it } from 'vitest';
import { makeYScale, symlogConstant, unionDomain, yExtent, yTicks } from '../../../src/lib/charts/scales.ts';

describe('yExtent', () => {
  it('spans every finite value on a linear scale and hides nothing', () => {
    expect(yExtent([[3, -1, NaN, Infinity], new Float64Array([7])], 'linear')).toEqual({ domain: [-1, 7], hidden: 0 });
  });

  it('keeps positive values only on a log scale and counts the non-positive ones it hides', () => {
    expect(yExtent([[0, 2, -3, 5, NaN]], 'log')).toEqual({ domain: [2, 5], hidden: 2 });
  });

  it('falls back to a unit domain for empty or all-NaN input', () => {
    expect(yExtent([], 'linear').domain).toEqual([0, 1]);
    expect(yExtent([[NaN, NaN]], 'log').domain).toEqual([1, 10]);
  });

  it('widens a single value so the scale is not degenerate', () => {
    expect(yExtent([[2, 2]], 'linear').domain).toEqual([0, 4]);
    expect(yExtent([[0]], 'linear').domain).toEqual([-1, 1]);
    expect(yExtent([[5]], 'log').domain).toEqual([0.5, 50]);
  });

  it('does not modify its inputs', () => {
    const a = new Float64Array([1, 0, 3]);
    yExtent([a], 'log');
    expect(Array.from(a)).toEqual([1, 0, 3]);
  });
});

describe('unionDomain', () => {
  it('covers every domain', () => {
    expect(unionDomain([[0, 1], [2, 3], [-1, 0.5]])).toEqual([-1, 3]);
  });
});

describe('symlogConstant', () => {
  it('is the 10th percentile of the non-zero magnitudes', () => {
    const values = Array.from({ length: 11 }, (_, i) => (i === 0 ? 0 : i));
    expect(symlogConstant([values])).toBeCloseTo(1.9, 12);
  });

  it('is 1 when there is no non-zero value', () => {
    expect(symlogConstant([[0, 0, NaN]])).toBe(1);
    expect(symlogConstant([])).toBe(1);
  });
});

describe('yTicks', () => {
  it('gives d3’s own ticks of the niced linear scale', () => {
    const s = makeYScale('linear', [0.3, 9.7], [100, 0]);
    expect(yTicks(s, 'linear', 5)).toEqual(scaleLinear().domain([0.3, 9.7]).nice().ticks(5));
  });

  it('gives powers of ten on a log scale spanning several decades', () => {
    const s = makeYScale('log', [0.001, 10], [100, 0]);
    expect(yTicks(s, 'log', 5)).toEqual([0.001, 0.01, 0.1, 1, 10]);
  });

  it('gives zero and powers of ten on a symlog scale, as many as fit 14 px apart', () => {
    expect(yTicks(makeYScale('symlog', [0, 300], [300, 0], 1), 'symlog', 5)).toEqual([0, 1, 10, 100]);
    expect(yTicks(makeYScale('symlog', [0, 300], [100, 0], 1), 'symlog', 5)).toEqual([0, 10, 100]);
  });
});

describe('yTicks on a symlog scale near zero', () => {
  it('keeps ticks at least 14 px apart, zero and the largest magnitudes first', () => {
    const s = makeYScale('symlog', [-1e-6, 1e-6], [200, 0], 1e-8);
    const ticks = yTicks(s, 'symlog', 5);
    expect(ticks).toContain(0);
    expect(ticks).toContain(1e-6);
    expect(ticks).toContain(-1e-6);
    const px = ticks.map((t) => s(t)).sort((a, b) => a - b);
    for (let i = 1; i < px.length; i++) expect(px[i] - px[i - 1]).toBeGreaterThanOrEqual(14);
  });
});

describe('yTicks on a log scale within two decades', () => {
  it('keeps the ticks d3’s log tickFormat labels', () => {
    expect(yTicks(makeYScale('log', [2, 50], [100, 0]), 'log', 4)).toEqual([2, 3, 10, 20, 30]);
  });
});
