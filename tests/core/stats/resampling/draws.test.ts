import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../../src/core/data/mulberry32.ts';
import { arrangementCount, drawCounts, drawFlips, drawSubset, maskFlips, nextSubset } from '../../../../src/core/stats/resampling/draws.ts';

describe('drawCounts', () => {
  it('counts n draws floor(random() · n), in place at the offset', () => {
    const out = new Float64Array(8).fill(9);
    drawCounts(mulberry32(3), 5, out, 2);
    const reference = mulberry32(3);
    const expected = [0, 0, 0, 0, 0];
    for (let j = 0; j < 5; j++) expected[Math.floor(reference() * 5)]++;
    expect(Array.from(out)).toEqual([9, 9, ...expected, 9]);
  });
});

describe('drawFlips', () => {
  it('takes pair k from bit k mod 32 of one 32-bit draw per 32 pairs', () => {
    const out = new Float64Array(40);
    drawFlips(mulberry32(8), 40, out, 0);
    const reference = mulberry32(8);
    const words = [Math.floor(reference() * 2 ** 32), Math.floor(reference() * 2 ** 32)];
    const bits = Array.from({ length: 40 }, (_, k) => Math.floor(words[Math.floor(k / 32)] / 2 ** (k % 32)) % 2);
    expect(Array.from(out)).toEqual(bits);
    expect(bits.filter((b) => b === 1).length).toBeGreaterThan(5);
  });

  it('flips about half of many pairs', () => {
    const out = new Float64Array(100_000);
    drawFlips(mulberry32(2), out.length, out, 0);
    expect(Math.abs(out.reduce((s, x) => s + x, 0) / out.length - 0.5)).toBeLessThan(0.01);
  });
});

describe('maskFlips', () => {
  it('reads the bits of the mask, pair 0 first', () => {
    const out = new Float64Array(3);
    maskFlips(5, 3, out, 0);
    expect(Array.from(out)).toEqual([1, 0, 1]);
  });
});

describe('drawSubset', () => {
  it('marks exactly `size` of the pooled samples, each subset of 2 of 4 drawn about equally often', () => {
    const random = mulberry32(1);
    const order = Int32Array.from([0, 1, 2, 3]);
    const out = new Float64Array(4);
    const seen = new Map<string, number>();
    for (let i = 0; i < 6000; i++) {
      drawSubset(random, order, 2, out, 0);
      expect(out.reduce((s, x) => s + x, 0)).toBe(2);
      const key = out.join('');
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    expect(seen.size).toBe(6);
    for (const count of seen.values()) expect(Math.abs(count - 1000)).toBeLessThan(120);
  });
});

describe('nextSubset', () => {
  it('walks every k-subset once, in lexicographic order', () => {
    const chosen = Int32Array.from([0, 1]);
    const all = [Array.from(chosen)];
    while (nextSubset(chosen, 4)) all.push(Array.from(chosen));
    expect(all).toEqual([[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]]);
  });

  it('has one empty subset', () => {
    expect(nextSubset(new Int32Array(0), 3)).toBe(false);
  });
});

describe('arrangementCount', () => {
  it.each([
    [true, 0, 0, 1],
    [true, 10, 0, 1024],
    [true, 16, 0, 65536],
    [true, 17, 0, Infinity],
    [false, 3, 2, 10],
    [false, 9, 9, 48620],
    [false, 10, 10, Infinity],
    [false, 0, 5, 1],
    [false, 1, 65535, 65536],
    [false, 1, 65536, Infinity],
  ])('paired %s with %i and %i → %s', (paired, nA, nB, expected) => {
    expect(arrangementCount(paired, nA, nB)).toBe(expected);
  });
});
