// @vitest-environment jsdom
import { render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import CurvesView from '../../../src/lib/views/CurvesView.svelte';
import { runCurves } from '../../../src/lib/views/curveData.ts';
import { DEFAULT_VIEW } from '../../../src/lib/state/types.ts';
import { makeEntry, makeRun } from '../makeRun.ts';

describe('CurvesView', () => {
  it('draws one curve per module per run, tagged with run and module', () => {
    const entries = [makeEntry(makeRun({ id: 'a' })), makeEntry(makeRun({ id: 'b', layers: 6 }))];
    const { container } = render(CurvesView, { curves: runCurves(entries, 'S_sum'), settings: { ...DEFAULT_VIEW } });
    const paths = container.querySelectorAll('path[data-testid="curve"]');
    expect(paths.length).toBe(8);
    expect(container.querySelectorAll('path[data-run="b"][data-module="self_attn.k_proj"]').length).toBe(1);
    expect(container.querySelectorAll('rect[data-testid="layer-hit"]').length).toBe(4 + 6);
  });
});
