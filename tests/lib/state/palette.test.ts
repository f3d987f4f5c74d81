import { describe, expect, it } from 'vitest';
import { assignRunColors, nextRunColor, RUN_PALETTE } from '../../../src/lib/state/palette.ts';

describe('run palette', () => {
  it('gives the first color to the first run', () => {
    expect(nextRunColor([])).toBe(RUN_PALETTE[0]);
  });

  it('skips colors already used, whatever their case', () => {
    expect(nextRunColor([RUN_PALETTE[0].toUpperCase(), RUN_PALETTE[2]])).toBe(RUN_PALETTE[1]);
  });

  it('reuses a freed color', () => {
    const used = RUN_PALETTE.filter((_, i) => i !== 4);
    expect(nextRunColor(used)).toBe(RUN_PALETTE[4]);
  });

  it('cycles once every color is taken', () => {
    const used = [...RUN_PALETTE, '#000000'];
    expect(nextRunColor(used)).toBe(RUN_PALETTE[used.length % RUN_PALETTE.length]);
  });

  it('holds only colors a color input accepts (#rrggbb)', () => {
    for (const c of RUN_PALETTE) expect(c).toMatch(/^#[0-9a-f]{6}$/);
  });
});

describe('assigning colors to a batch of runs', () => {
  it('gives each new run the next free color, in order', () => {
    expect(assignRunColors([RUN_PALETTE[1]], 3)).toEqual([RUN_PALETTE[0], RUN_PALETTE[2], RUN_PALETTE[3]]);
  });

  it('gives nothing for no runs and leaves its input unchanged', () => {
    const used = [RUN_PALETTE[0]];
    expect(assignRunColors(used, 0)).toEqual([]);
    assignRunColors(used, 4);
    expect(used).toEqual([RUN_PALETTE[0]]);
  });
});
