import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../../src/lib/loading/formatBytes.ts';

describe('formatBytes', () => {
  it.each<[number, string]>([
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1.00 kB'],
    [17_301_504, '17.3 MB'],
    [210_000_000, '210.0 MB'],
    [3.5e9, '3.50 GB'],
    [NaN, '?'],
    [-1, '?'],
    [Infinity, '?'],
  ])('writes %d bytes as %j', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
