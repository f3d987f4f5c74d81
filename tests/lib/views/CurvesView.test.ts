// @vitest-environment jsdom
import { fireEvent, render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import CurvesView from '../../../src/lib/views/CurvesView.svelte';
import { runCurves } from '../../../src/lib/views/curveData.ts';
import { DEFAULT_VIEW } from '../../../src/lib/state/types.ts';
import { makeEntry, makeRun } from '../makeRun.ts';

describe('CurvesView', () => {
  it('draws one curve per module per run, tagged with run and module', () => {
    const entries = [makeEntry(makeRun({ id: 'a' })), makeEntry(makeRun({ id: 'b', layers: 6 }))];
    const { container } = render(CurvesView, { curves: runCurves(entries, 'S_sum'), settings: { ...DEFAULT_VIEW } });
    expect(container.querySelectorAll('path[data-testid="curve"]').length).toBe(8);
    expect(container.querySelectorAll('path[data-run="b"][data-module="self_attn.k_proj"]').length).toBe(1);
    expect(container.querySelectorAll('rect[data-testid="layer-hit"]').length).toBe(4 + 6);
  });

  it('draws derived statistics too', () => {
    const entries = [makeEntry(makeRun({ id: 'a' }))];
    const { container } = render(CurvesView, { curves: runCurves(entries, 'S_ratio'), settings: { ...DEFAULT_VIEW, stat: 'S_ratio' } });
    expect(container.querySelectorAll('path[data-testid="curve"]').length).toBe(4);
  });

  it('says in the panel how many non-positive values the log scale hides', () => {
    const run = makeRun({ id: 'z', value: (s, l) => (l === 0 ? 0 : 1 + l + s) });
    const { container } = render(CurvesView, {
      curves: runCurves([makeEntry(run)], 'S_sum'),
      settings: { ...DEFAULT_VIEW, yScale: 'log' },
    });
    expect(container.querySelector('[data-testid="panel-note"]')?.textContent).toContain('4 non-positive values hidden (log scale');
  });

  it('draws bands when asked', () => {
    const entries = [makeEntry(makeRun({ id: 'a' }))];
    const { container } = render(CurvesView, { curves: runCurves(entries, 'S_sum'), settings: { ...DEFAULT_VIEW, bands: 'iqr' } });
    expect(container.querySelectorAll('path[data-testid="band"]').length).toBe(4);
  });

  it('lists every line’s value at the hovered layer in a tooltip', async () => {
    const entries = [makeEntry(makeRun({ id: 'a' }), 'Run A')];
    const { container, findByTestId } = render(CurvesView, { curves: runCurves(entries, 'S_sum'), settings: { ...DEFAULT_VIEW } });
    await fireEvent.pointerEnter(container.querySelectorAll('rect[data-testid="layer-hit"]')[2]);
    const tip = await findByTestId('tooltip');
    expect(tip.textContent).toContain('Run A · layer 2');
    // Q at layer 2: mean over samples 0..2 of 10 + 2 + s = 13.
    expect(tip.textContent).toContain('13');
    expect(tip.querySelectorAll('tr').length).toBe(4);
  });

  it('draws the crosshair in its own layer over every panel, outside the exported SVG', async () => {
    const entries = [makeEntry(makeRun({ id: 'a' })), makeEntry(makeRun({ id: 'b' }))];
    const { container, findByTestId } = render(CurvesView, { curves: runCurves(entries, 'S_sum'), settings: { ...DEFAULT_VIEW } });
    await fireEvent.pointerEnter(container.querySelectorAll('rect[data-testid="layer-hit"]')[1]);
    const layer = await findByTestId('crosshair');
    expect(layer.querySelectorAll('line').length).toBe(2);
    expect(layer.querySelectorAll('circle').length).toBe(8);
    expect(container.querySelector('figure svg[role="img"]')?.contains(layer)).toBe(false);
  });
});
