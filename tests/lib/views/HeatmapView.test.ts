// @vitest-environment jsdom
import { fireEvent, render } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { computeCurve } from '../../../src/core/stats/computeCurve.ts';
import HeatmapView from '../../../src/lib/views/HeatmapView.svelte';
import { runCurves } from '../../../src/lib/views/curveData.ts';
import { makeColorScale } from '../../../src/lib/charts/colorScale.ts';
import { DEFAULT_VIEW } from '../../../src/lib/state/types.ts';
import { makeEntry, makeRun } from '../makeRun.ts';

const a = makeRun({ id: 'a', layers: 5 });
const b = makeRun({ id: 'b', layers: 5, value: (s, l, m) => 2 + l + m + s });
const entries = [makeEntry(a, 'A'), makeEntry(b, 'B')];

describe('HeatmapView', () => {
  it('draws layers × modules, one heatmap per run, colored by the curve on the shared domain, with one colour bar for all', () => {
    const { container } = render(HeatmapView, { curves: runCurves(entries, 'S_sum'), settings: { ...DEFAULT_VIEW, view: 'heatmap' } });
    expect(container.querySelectorAll('[data-testid="heatmap"]').length).toBe(2);
    const cells = container.querySelectorAll('rect[data-testid="heatmap-cell"]');
    expect(cells.length).toBe(2 * 4 * 5);
    const all = [...runCurves(entries, 'S_sum').flatMap((rc) => rc.modules.flatMap((m) => [...m.curve.mean]))];
    const color = makeColorScale('linear', [Math.min(...all), Math.max(...all)]);
    const q = computeCurve(a, 'self_attn.q_proj', 'S_sum').mean[2];
    const cell = container.querySelector('rect[data-run="a"][data-module="self_attn.q_proj"][data-layer="2"]');
    expect(cell?.getAttribute('fill')).toBe(color(q));
    expect(container.querySelectorAll('[data-testid="color-legend"]').length).toBe(1);
  });

  it('draws one colour bar per heatmap when each heatmap has its own scale', () => {
    const { container } = render(HeatmapView, { curves: runCurves(entries, 'S_sum'), settings: { ...DEFAULT_VIEW, view: 'heatmap', sharedY: false } });
    expect(container.querySelectorAll('[data-testid="color-legend"]').length).toBe(2);
  });

  it('draws layers × runs, one heatmap per module, when asked', () => {
    const { container } = render(HeatmapView, {
      curves: runCurves(entries, 'S_sum'),
      settings: { ...DEFAULT_VIEW, view: 'heatmap', heatmapRows: 'runs' },
    });
    expect(container.querySelectorAll('[data-testid="heatmap"]').length).toBe(4);
  });

  it('opens the layer chosen with the keyboard, and lists every row’s value there in a tooltip', async () => {
    const onselect = vi.fn();
    const { container, findByTestId } = render(HeatmapView, {
      curves: runCurves(entries, 'S_sum'),
      settings: { ...DEFAULT_VIEW, view: 'heatmap' },
      onselect,
    });
    const grid = container.querySelector('[role="group"][tabindex="0"]') as HTMLElement;
    await fireEvent.focus(grid);
    await fireEvent.keyDown(grid, { key: 'ArrowDown' });
    for (let i = 0; i < 3; i++) await fireEvent.keyDown(grid, { key: 'ArrowRight' });
    await fireEvent.keyDown(grid, { key: 'Enter' });
    expect(onselect).toHaveBeenCalledWith(3);
    const tip = await findByTestId('tooltip');
    expect(tip.getAttribute('data-title')).toContain('B · layer 3');
    // V (m = 2) at layer 3 in run b: mean over s of 2 + 3 + 2 + s = 8.
    expect((tip.getAttribute('data-rows') ?? '').split('\n')).toContain('V 8');
  });

  it('wraps long row labels instead of cutting them', () => {
    const long = [makeEntry(a, 'llama3_8b · gsm8k_train · Detailed CoT · irrelevant · a very long name'), makeEntry(b, 'B')];
    const { container } = render(HeatmapView, { curves: runCurves(long, 'S_sum'), settings: { ...DEFAULT_VIEW, view: 'heatmap', heatmapRows: 'runs' } });
    const label = [...container.querySelectorAll('[data-testid="heatmap-label"]')].map((t) => t.textContent?.replace(/\s+/g, ' ').trim());
    expect(label.join(' ')).toContain('a very long name');
    expect(label.join(' ')).not.toContain('…');
  });
});
