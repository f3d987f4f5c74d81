// @vitest-environment jsdom
import { render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import ColorLegend from '../../../src/lib/charts/ColorLegend.svelte';
import { makeColorScale, MISSING_COLOR } from '../../../src/lib/charts/colorScale.ts';

describe('ColorLegend', () => {
  it('labels a log color bar with powers of ten, thinned to about one per 60 px', () => {
    const { container } = render(ColorLegend, { kind: 'log', domain: [1e-3, 10], width: 240, id: 'g1' });
    expect([...container.querySelectorAll('text')].map((t) => t.textContent)).toEqual(['0.001', '0.1', '10']);
    expect(container.querySelectorAll('stop').length).toBe(11);
  });
});

describe('makeColorScale', () => {
  it('maps the ends of the domain to the ends of viridis and clamps beyond', () => {
    const c = makeColorScale('linear', [0, 1]);
    expect(c(0)).toBe('#440154');
    expect(c(1)).toBe('#fde725');
    expect(c(5)).toBe(c(1));
  });

  it('gives values the scale cannot show the missing color', () => {
    expect(makeColorScale('log', [1, 10])(0)).toBe(MISSING_COLOR);
    expect(makeColorScale('linear', [0, 1])(NaN)).toBe(MISSING_COLOR);
  });

  it('colors on a symlog scale with the given constant', () => {
    const c = makeColorScale('symlog', [-10, 10], 0.1);
    expect(c(0)).not.toBe(MISSING_COLOR);
    expect(c(-10)).toBe('#440154');
  });
});
