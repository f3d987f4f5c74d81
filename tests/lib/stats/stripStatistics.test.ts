// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { comparisonSide } from '../../../src/core/stats/resampling/comparisonSide.ts';
import { compareResampled } from '../../../src/core/stats/resampling/compareResampled.ts';
import type { LineSeries } from '../../../src/lib/charts/types.ts';
import { ComparisonStore, type CompareFn } from '../../../src/lib/stats/comparisons.svelte.ts';
import { stripStatistics } from '../../../src/lib/stats/stripStatistics.ts';
import { makeRun } from '../makeRun.ts';

const Q = 'self_attn.q_proj';
const ref = makeRun({ id: 'ref', layers: 6, samples: 12, modules: [Q], value: (s, l) => 10 + l + (s % 3) });
// Larger than the reference at layers 3–5 by 4 (every pair), equal elsewhere up to noise.
const b = makeRun({ id: 'b', layers: 6, samples: 12, modules: [Q], value: (s, l) => 10 + l + (s % 3) + (l >= 3 ? 4 : ((s % 2) - 0.5) * 0.2) });
const core: CompareFn = async (x, y, o) => compareResampled(comparisonSide(x, o.stat, x.modules), comparisonSide(y, o.stat, y.modules), { ...o, useKernel: false });
const line = (run: string): LineSeries => ({ key: run, run, module: Q, label: run, color: '#000', values: new Float64Array(6) });

describe('stripStatistics', () => {
  it('leaves the strip as it is until the comparison is done, and counts it as pending once asked for', () => {
    const store = new ComparisonStore(() => new Promise(() => {}), 100);
    const settings = { stat: 'S_sum', splits: null, strip: 'difference' } as const;
    expect(stripStatistics([[line('b')]], [Q], ref, [ref, b], settings, store).pending).toBe(0);
    store.want('t', [{ a: ref, b, stat: 'S_sum', splits: null }]);
    const out = stripStatistics([[line('b')]], [Q], ref, [ref, b], { stat: 'S_sum', splits: null, strip: 'difference' }, store);
    expect(out.pending).toBe(1);
    expect(out.panels[0][0].lo).toBeUndefined();
  });

  it('adds the 95% interval as a band on the difference strip and marks the layers of q < 0.05', async () => {
    const store = new ComparisonStore(core, 2000);
    store.want('t', [{ a: ref, b, stat: 'S_sum', splits: null }]);
    await new Promise((r) => setTimeout(r, 0));
    const expected = compareResampled(comparisonSide(ref, 'S_sum', [Q]), comparisonSide(b, 'S_sum', [Q]), { resamples: 2000, seed: 1, useKernel: false }).modules[0];
    const out = stripStatistics([[line('b')]], [Q], ref, [ref, b], { stat: 'S_sum', splits: null, strip: 'difference' }, store);
    expect(out).toMatchObject({ pending: 0, done: 1 });
    const s = out.panels[0][0];
    expect(Array.from(s.lo ?? [])).toEqual(expected.layers.map((l) => l.lo));
    expect(Array.from(s.hi ?? [])).toEqual(expected.layers.map((l) => l.hi));
    expect(s.marks).toEqual([3, 4, 5]);
    // On the ratio strip: the marks, no band (the interval is of the difference).
    const ratio = stripStatistics([[line('b')]], [Q], ref, [ref, b], { stat: 'S_sum', splits: null, strip: 'ratio' }, store).panels[0][0];
    expect(ratio.marks).toEqual([3, 4, 5]);
    expect(ratio.lo).toBeUndefined();
  });
});
