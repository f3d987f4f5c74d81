// @vitest-environment jsdom
import { fireEvent, render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import CurvesView from '../../../src/lib/views/CurvesView.svelte';
import { runCurves } from '../../../src/lib/views/curveData.ts';
import { DEFAULT_VIEW } from '../../../src/lib/state/types.ts';
import type { XAxisSpec } from '../../../src/lib/charts/xAxis.ts';
import { makeEntry, makeRun } from '../makeRun.ts';

const axis: XAxisSpec = { kind: 'layer', layerCount: 6, zoom: null };
const meta = (setting: string, correctness: 'correct' | 'irrelevant') => ({ model: 'llama3_8b', variant: 'base' as const, dataset: 'gsm8k_train', setting, correctness });

describe('CurvesView', () => {
  it('draws one panel figure per run and one curve per module per run, tagged with run and module', () => {
    const entries = [makeEntry(makeRun({ id: 'a' })), makeEntry(makeRun({ id: 'b', layers: 6 }))];
    const { container } = render(CurvesView, { curves: runCurves(entries, 'S_sum'), settings: { ...DEFAULT_VIEW }, axis });
    expect(container.querySelectorAll('figure[data-testid="panel-figure"]').length).toBe(2);
    expect(container.querySelectorAll('path[data-testid="curve"]').length).toBe(8);
    expect(container.querySelectorAll('path[data-run="b"][data-module="self_attn.k_proj"]').length).toBe(1);
  });

  it('says what all runs share once, as the heading, and what differs in each panel title; the caption keeps the full label', () => {
    const entries = [
      makeEntry(makeRun({ id: 'a', meta: meta('none', 'correct') }), 'llama3_8b · gsm8k_train · None CoT'),
      makeEntry(makeRun({ id: 'b', meta: meta('detailed', 'irrelevant') }), 'llama3_8b · gsm8k_train · Detailed CoT · irrelevant'),
    ];
    const { container } = render(CurvesView, { curves: runCurves(entries, 'S_sum'), settings: { ...DEFAULT_VIEW }, axis });
    expect(container.querySelector('[data-testid="figure-heading"]')?.textContent).toBe('llama3_8b · base · gsm8k_train');
    const captions = [...container.querySelectorAll('figcaption')];
    expect(captions.map((c) => c.querySelector('[aria-hidden="true"]')?.textContent)).toEqual(['None CoT · correct', 'Detailed CoT · irrelevant']);
    expect(captions[1].textContent).toContain('llama3_8b · base · gsm8k_train · Detailed CoT · irrelevant');
  });

  it('draws derived statistics too', () => {
    const entries = [makeEntry(makeRun({ id: 'a' }))];
    const { container } = render(CurvesView, { curves: runCurves(entries, 'S_ratio'), settings: { ...DEFAULT_VIEW, stat: 'S_ratio' }, axis });
    expect(container.querySelectorAll('path[data-testid="curve"]').length).toBe(4);
  });

  it('says in the panel how many non-positive values the log scale hides', () => {
    const run = makeRun({ id: 'z', value: (s, l) => (l === 0 ? 0 : 1 + l + s) });
    const { container } = render(CurvesView, { curves: runCurves([makeEntry(run)], 'S_sum'), settings: { ...DEFAULT_VIEW, yScale: 'log' }, axis });
    expect(container.querySelector('[data-testid="panel-note"]')?.textContent).toContain('4 non-positive values hidden (log scale');
  });

  it('draws bands when asked', () => {
    const entries = [makeEntry(makeRun({ id: 'a' }))];
    const { container } = render(CurvesView, { curves: runCurves(entries, 'S_sum'), settings: { ...DEFAULT_VIEW, bands: 'iqr' }, axis });
    expect(container.querySelectorAll('path[data-testid="band"]').length).toBe(4);
  });

  it('moves a crosshair over every panel with the arrow keys, dots the focused panel and lists its values, largest first, in a tooltip', async () => {
    const entries = [makeEntry(makeRun({ id: 'a' }), 'Run A'), makeEntry(makeRun({ id: 'b' }), 'Run B')];
    const { container, findByTestId } = render(CurvesView, {
      curves: runCurves(entries, 'S_sum'),
      settings: { ...DEFAULT_VIEW },
      axis: { kind: 'layer', layerCount: 4, zoom: null },
    });
    const grid = container.querySelector('[role="group"][tabindex="0"]') as HTMLElement;
    await fireEvent.focus(grid);
    await fireEvent.keyDown(grid, { key: 'ArrowRight' });
    await fireEvent.keyDown(grid, { key: 'ArrowRight' });
    const tip = await findByTestId('tooltip');
    expect(tip.getAttribute('data-title')).toContain('layer 2');
    // O (module 3) at layer 2: 10 + 15 + 2·4 + mean of samples 0..2 (1) = 34, the largest, listed first.
    const rows = (tip.getAttribute('data-rows') ?? '').split('\n');
    expect(rows.length).toBe(4);
    expect(rows[0]).toContain('O');
    expect(rows[0]).toContain('34');
    // The crosshair crosses both panels at layer 2; the dots are on the panel the keys are on (the first).
    const crosshairs = [...container.querySelectorAll('[data-testid="crosshair"]')];
    expect(crosshairs.map((c) => c.getAttribute('data-layer'))).toEqual(['2', '2']);
    expect(crosshairs.map((c) => c.getAttribute('data-dots'))).toEqual(['4', '0']);
  });
});
