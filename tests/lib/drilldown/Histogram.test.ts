// @vitest-environment jsdom
import { render } from '@testing-library/svelte';
import { bin } from 'd3-array';
import { scaleLinear } from 'd3-scale';
import { describe, expect, it } from 'vitest';
import Histogram from '../../../src/lib/drilldown/Histogram.svelte';

describe('Histogram', () => {
  it('draws one bar per non-empty d3 bin of the values', () => {
    const values = [1, 1.5, 2, 2.2, 7, 9.5, 10];
    const { container } = render(Histogram, { values, domain: [0, 10], kind: 'linear', color: 'red', label: 'h' });
    const bins = bin().domain([0, 10]).thresholds(scaleLinear().domain([0, 10]).ticks(20))(values);
    expect(container.querySelectorAll('rect').length).toBe(bins.filter((b) => b.length > 0).length);
  });

  it('says how many values a log axis cannot show', () => {
    const { container } = render(Histogram, { values: [0, -1, 1, 10], domain: [1, 10], kind: 'log', color: 'red', label: 'h' });
    expect(container.textContent).toContain('2 not shown');
  });
});
