import { describe, expect, it } from 'vitest';
import { mulberry32, pick, randomInt } from '../../../src/core/data/mulberry32';

describe('mulberry32', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const sa = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(sa);
    expect(Array.from({ length: 5 }, c)).not.toEqual(sa);
  });

  it('matches the reference mulberry32 value for seed 1 (its doc example)', () => {
    expect(mulberry32(1)()).toBe(0.6270739405881613);
  });

  it.each([
    ['NaN', NaN, 0],
    ['Infinity', Infinity, 0],
    ['-Infinity', -Infinity, 0],
    ['1.9 (truncated)', 1.9, 1],
    ['2^32 + 5 (low 32 bits)', 2 ** 32 + 5, 5],
  ])('treats seed %s like seed %s', (_label, seed, same) => {
    expect(mulberry32(seed)()).toBe(mulberry32(same)());
  });

  it('stays in [0, 1) over 10 000 draws', () => {
    const r = mulberry32(7);
    for (let i = 0; i < 10_000; i++) {
      const v = r();
      expect(v >= 0 && v < 1).toBe(true);
    }
  });

  it('randomInt covers [lo, hi] inclusive and nothing else', () => {
    const r = mulberry32(3);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(randomInt(r, 2, 5));
    expect([...seen].sort()).toEqual([2, 3, 4, 5]);
  });

  it('pick returns elements of the list and leaves it unchanged', () => {
    const items = ['a', 'b', 'c'];
    const r = mulberry32(9);
    for (let i = 0; i < 100; i++) expect(items).toContain(pick(r, items));
    expect(items).toEqual(['a', 'b', 'c']);
  });
});
