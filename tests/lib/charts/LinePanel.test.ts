// @vitest-environment jsdom
import { fireEvent, render } from '@testing-library/svelte';
import { scaleLinear } from 'd3-scale';
import { describe, expect, it, vi } from 'vitest';
import LinePanel from '../../../src/lib/charts/LinePanel.svelte';
import type { LineSeries } from '../../../src/lib/charts/types.ts';

const box = { x: 0, y: 0, width: 400, height: 240 };
const series: LineSeries[] = [
  { key: 'q', run: 'r1', module: 'self_attn.q_proj', label: 'Q', color: '#d62728', values: [1, 4, 2, 8] },
  { key: 'k', run: 'r1', module: 'self_attn.k_proj', label: 'K', color: '#2ca02c', values: [2, 3, 3, 1], lo: [1, 2, 2, 0.5], hi: [3, 4, 4, 2] },
];

function ticksText(container: HTMLElement, testid: string): string[] {
  return [...container.querySelectorAll(`[data-testid="${testid}"]`)].map((t) => t.textContent ?? '');
}

describe('LinePanel', () => {
  it('draws one path per series, tagged with run and module, and a band where edges are given', () => {
    const { container } = render(LinePanel, { series, layerCount: 4, kind: 'linear', domain: [0, 9], box, title: 't' });
    const paths = container.querySelectorAll('path[data-testid="curve"]');
    expect(paths.length).toBe(2);
    expect(paths[0].getAttribute('data-module')).toBe('self_attn.q_proj');
    expect(paths[0].getAttribute('data-run')).toBe('r1');
    expect(container.querySelectorAll('path[data-testid="band"]').length).toBe(1);
  });

  it('labels the y axis with the ticks d3 computes for the niced domain', () => {
    const { container } = render(LinePanel, { series, layerCount: 4, kind: 'linear', domain: [0.2, 9.3], box, title: 't' });
    const innerH = 240 - 34 - 30;
    const expected = scaleLinear().domain([0.2, 9.3]).nice().ticks(Math.floor(innerH / 35)).map(String);
    expect(ticksText(container, 'y-tick')).toEqual(expected);
  });

  it('labels the x axis with integer layer indices', () => {
    const { container } = render(LinePanel, { series, layerCount: 4, kind: 'linear', domain: [0, 9], box, title: 't' });
    expect(ticksText(container, 'x-tick')).toEqual(['0', '1', '2', '3']);
  });

  it('has one hit target per layer that reports hover and click', async () => {
    const onhover = vi.fn();
    const onselect = vi.fn();
    const { container } = render(LinePanel, { series, layerCount: 4, kind: 'linear', domain: [0, 9], box, title: 't', onhover, onselect });
    const hits = container.querySelectorAll('rect[data-testid="layer-hit"]');
    expect([...hits].map((h) => h.getAttribute('data-layer'))).toEqual(['0', '1', '2', '3']);
    await fireEvent.pointerEnter(hits[2]);
    await fireEvent.click(hits[2]);
    expect(onhover).toHaveBeenCalledWith(2);
    expect(onselect).toHaveBeenCalledWith(2);
  });

  it('draws a crosshair with a dot per line at the hovered layer', () => {
    const { container } = render(LinePanel, { series, layerCount: 4, kind: 'linear', domain: [0, 9], box, title: 't', hoverLayer: 1 });
    const crosshair = container.querySelector('[data-testid="crosshair"]');
    expect(crosshair).not.toBeNull();
    expect(crosshair?.querySelectorAll('circle').length).toBe(2);
  });

  it('leaves non-positive values out of the line on a log scale', () => {
    const s: LineSeries[] = [{ key: 'q', run: 'r', module: 'q', label: 'Q', color: 'red', values: [1, 0, 10, 100] }];
    const { container } = render(LinePanel, { series: s, layerCount: 4, kind: 'log', domain: [1, 100], box, title: 't', note: '1 hidden' });
    const d = container.querySelector('path[data-testid="curve"]')?.getAttribute('d') ?? '';
    // Two pieces: layer 0 alone, then layers 2–3.
    expect(d.match(/M/g)?.length).toBe(2);
    expect(container.querySelector('[data-testid="panel-note"]')?.textContent).toBe('1 hidden');
  });
});
