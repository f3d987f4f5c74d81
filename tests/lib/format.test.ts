import { describe, expect, it } from 'vitest';
import { formatPercent, formatTick, formatValue } from '../../src/lib/format.ts';

describe('formatValue', () => {
  it.each([
    [0.012345678, '0.01235'],
    [1.2e-7, '1.2e-7'],
    [123456, '1.235e+5'],
    [0, '0'],
    [NaN, '–'],
    [Infinity, '∞'],
    [-Infinity, '−∞'],
    [-2.5, '−2.5'],
  ])('writes %s as %s', (x, text) => {
    expect(formatValue(x)).toBe(text);
  });
});

describe('formatTick', () => {
  it('writes short plain numbers in range and exponents outside', () => {
    expect(formatTick(2000)).toBe('2000');
    expect(formatTick(1e-6)).toBe('1e-6');
    expect(formatTick(NaN)).toBe('');
  });
});

describe('formatPercent', () => {
  it('writes a fraction as a percentage with one decimal', () => {
    expect(formatPercent(0.1234)).toBe('12.3%');
  });
});
