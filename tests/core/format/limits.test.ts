import { describe, expect, it } from 'vitest';
import { parseLimitSettings, readLimits } from '../../../src/core/format/limits';

describe('parseLimitSettings (the CLI\'s --budget)', () => {
  it('raises the named budgets and keeps the defaults for the rest', () => {
    const limits = parseLimitSettings(['modules=128', 'line-mb=0.5']);
    expect(limits.modules).toBe(128);
    expect(limits.lineBytes).toBe(512 * 1024);
    expect(limits.layers).toBe(readLimits().layers);
  });

  it('refuses a count that is not a whole number instead of rounding it down to nothing', () => {
    expect(() => parseLimitSettings(['layers=0.5'])).toThrow('bad value in --budget layers=0.5: a positive whole number');
    expect(() => parseLimitSettings(['modules=64.5'])).toThrow('a positive whole number');
  });

  it('refuses unknown names and values that are not positive numbers, in one line', () => {
    expect(() => parseLimitSettings(['rows=3'])).toThrow(/^unknown budget "rows" in --budget rows=3; budgets: modules, /);
    for (const bad of ['layers=0', 'layers=-2', 'file-gb=x', 'stats=Infinity']) expect(() => parseLimitSettings([bad])).toThrow(`bad value in --budget ${bad}: a positive number`);
  });
});
