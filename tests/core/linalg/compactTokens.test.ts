import { describe, expect, it } from 'vitest';
import { compactTokens } from '../../../src/core/linalg/compactTokens';

describe('compactTokens', () => {
  const cases: { name: string; delta: number[]; x: number[]; tokens: number; dOut: number; dIn: number; want: { delta: number[]; x: number[]; tokens: number } }[] = [
    {
      name: 'merges a repeated input and drops a token without loss (doc example)',
      delta: [1, 2, 0], x: [5, 5, 5, 5, 1, 2], tokens: 3, dOut: 1, dIn: 2,
      want: { delta: [3], x: [5, 5], tokens: 1 },
    },
    {
      name: 'drops a token whose input is zero',
      delta: [1, 1, 2, 2], x: [0, 0, 3, 4], tokens: 2, dOut: 2, dIn: 2,
      want: { delta: [2, 2], x: [3, 4], tokens: 1 },
    },
    {
      name: 'keeps distinct tokens in order',
      delta: [1, 2, 3], x: [1, 0, 0, 1, 1, 1], tokens: 3, dOut: 1, dIn: 2,
      want: { delta: [1, 2, 3], x: [1, 0, 0, 1, 1, 1], tokens: 3 },
    },
    {
      name: 'tells apart rows that differ only by order of entries',
      delta: [1, 1], x: [1, 2, 2, 1], tokens: 2, dOut: 1, dIn: 2,
      want: { delta: [1, 1], x: [1, 2, 2, 1], tokens: 2 },
    },
    {
      name: 'sums upstream rows that cancel to exactly zero into a zero row (kept, harmless)',
      delta: [1, -1], x: [2, 3, 2, 3], tokens: 2, dOut: 1, dIn: 2,
      want: { delta: [0], x: [2, 3], tokens: 1 },
    },
    { name: 'handles no tokens', delta: [], x: [], tokens: 0, dOut: 2, dIn: 2, want: { delta: [], x: [], tokens: 0 } },
    { name: 'drops everything when all upstream rows are zero', delta: [0, 0], x: [1, 2], tokens: 2, dOut: 1, dIn: 1, want: { delta: [], x: [], tokens: 0 } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const delta = Float64Array.from(c.delta);
      const x = Float64Array.from(c.x);
      const got = compactTokens(delta, x, c.tokens, c.dOut, c.dIn);
      expect({ delta: Array.from(got.delta), x: Array.from(got.x), tokens: got.tokens }).toEqual(c.want);
      expect(Array.from(delta), 'delta unchanged').toEqual(c.delta);
      expect(Array.from(x), 'x unchanged').toEqual(c.x);
    });
  }
});
