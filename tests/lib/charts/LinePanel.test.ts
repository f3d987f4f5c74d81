// @vitest-environment jsdom
import { fireEvent, render } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import LinePanel from '../../../src/lib/charts/LinePanel.svelte';
import Crosshair from '../../../src/lib/charts/Crosshair.svelte';
import PanelPointer from '../../../src/lib/charts/PanelPointer.svelte';
import type { LineSeries } from '../../../src/lib/charts/types.ts';
import type { XAxisSpec } from '../../../src/lib/charts/xAxis.ts';

const axis: XAxisSpec = { kind: 'layer', layerCount: 4, zoom: null };
const size = { width: 400, height: 240 };
const series: LineSeries[] = [
  { key: 'q', run: 'r1', module: 'self_attn.q_proj', label: 'Q', color: '#d62728', values: [1, 4, 2, 8] },
  { key: 'k', run: 'r1', module: 'self_attn.k_proj', label: 'K', color: '#2ca02c', values: [2, 3, 3, 1], lo: [1, 2, 2, 0.5], hi: [3, 4, 4, 2], dash: '6 3' },
];

function ticksText(container: HTMLElement, testid: string): string[] {
  return [...container.querySelectorAll(`[data-testid="${testid}"]`)].map((t) => t.textContent ?? '');
}

describe('LinePanel and its pointer layer', () => {
  it('draws one path per series, tagged with run, module, colour and dash, and a band where edges are given', () => {
    const { container } = render(LinePanel, { series, axis, kind: 'linear', domain: [0, 9], ...size });
    const paths = container.querySelectorAll('path[data-testid="curve"]');
    expect(paths.length).toBe(2);
    expect(paths[0].getAttribute('data-module')).toBe('self_attn.q_proj');
    expect(paths[0].getAttribute('data-run')).toBe('r1');
    expect(paths[0].getAttribute('stroke-dasharray')).toBeNull();
    expect(paths[1].getAttribute('stroke-dasharray')).toBe('6 3');
    expect(container.querySelectorAll('path[data-testid="band"]').length).toBe(1);
  });

  it('labels the x axis with integer layer indices, or depth fractions on the depth axis', () => {
    const { container } = render(LinePanel, { series, axis, kind: 'linear', domain: [0, 9], ...size });
    expect(ticksText(container, 'x-tick')).toEqual(['0', '1', '2', '3']);
    const depth = render(LinePanel, { series, axis: { ...axis, kind: 'depth' }, kind: 'linear', domain: [0, 9], ...size });
    expect(ticksText(depth.container, 'x-tick')).toContain('0.4');
  });

  it('labels the y axis with at least three ticks', () => {
    const { container } = render(LinePanel, { series, axis, kind: 'linear', domain: [0.2, 9.3], ...size });
    expect(ticksText(container, 'y-tick').length).toBeGreaterThanOrEqual(3);
  });

  it('reports a click as a layer and a drag as a range', async () => {
    const onselect = vi.fn();
    const onbrush = vi.fn();
    const { container } = render(PanelPointer, { series, axis, kind: 'linear', domain: [0, 9], ...size, onselect, onbrush, onhover: () => {} });
    const hit = container.querySelector('rect[data-testid="plot-hit"]') as Element;
    // jsdom lays nothing out: the rect is 0 wide, so clientX maps straight onto plot pixels.
    await fireEvent.pointerDown(hit, { button: 0, pointerId: 1, clientX: 0 });
    await fireEvent.pointerUp(hit, { pointerId: 1, clientX: 0 });
    expect(onselect).toHaveBeenCalledWith(0);
    await fireEvent.pointerDown(hit, { button: 0, pointerId: 2, clientX: 0 });
    await fireEvent.pointerMove(hit, { pointerId: 2, clientX: 0.9 });
    await fireEvent.pointerUp(hit, { pointerId: 2, clientX: 0.9 });
    expect(onbrush).toHaveBeenCalledTimes(1);
    const [[range]] = onbrush.mock.calls;
    expect(range[0]).toBe(0);
    expect(range[1]).toBeGreaterThan(0);
  });

  it('fades the lines not highlighted', () => {
    const { container } = render(LinePanel, { series, axis, kind: 'linear', domain: [0, 9], ...size, highlight: ['q'] });
    const paths = container.querySelectorAll('path[data-testid="curve"]');
    expect(paths[0].getAttribute('stroke-opacity')).toBe('1');
    expect(paths[1].getAttribute('stroke-opacity')).toBe('0.2');
  });

  it('marks the layers a series asks for, on its line', () => {
    const marked: LineSeries[] = [{ ...series[0], marks: [1, 3] }, series[1]];
    const { container } = render(LinePanel, { series: marked, axis, kind: 'linear', domain: [0, 9], ...size });
    const marks = [...container.querySelectorAll('[data-testid="mark"]')];
    expect(marks.map((m) => m.getAttribute('data-layer'))).toEqual(['1', '3']);
    expect(marks.every((m) => m.getAttribute('data-run') === 'r1')).toBe(true);
  });

  it('says which layer the crosshair is on, and draws a dot per line on the active panel only', () => {
    const idle = render(Crosshair, { series, axis, kind: 'linear', domain: [0, 9], ...size, hover: 1, nearest: 'q' });
    const off = idle.container.querySelector('[data-testid="crosshair"]')!;
    expect(off.getAttribute('data-layer')).toBe('1');
    expect(off.getAttribute('data-dots')).toBe('0');
    const active = render(Crosshair, { series, axis, kind: 'linear', domain: [0, 9], ...size, hover: 2, active: true, nearest: 'q' });
    const on = active.container.querySelector('[data-testid="crosshair"]')!;
    expect(on.getAttribute('data-layer')).toBe('2');
    expect(on.getAttribute('data-dots')).toBe('2');
    const none = render(Crosshair, { series, axis, kind: 'linear', domain: [0, 9], ...size, hover: null, active: true });
    expect(none.container.querySelector('[data-testid="crosshair"]')!.getAttribute('data-layer')).toBe('');
  });

  it('leaves non-positive values out of the line on a log scale', () => {
    const s: LineSeries[] = [{ key: 'q', run: 'r', module: 'q', label: 'Q', color: 'red', values: [1, 0, 10, 100] }];
    const { container } = render(LinePanel, { series: s, axis, kind: 'log', domain: [1, 100], ...size, note: '1 hidden' });
    const d = container.querySelector('path[data-testid="curve"]')?.getAttribute('d') ?? '';
    expect(d.match(/M/g)?.length).toBe(2);
    expect(container.querySelector('[data-testid="panel-note"]')?.textContent).toBe('1 hidden');
  });
});
