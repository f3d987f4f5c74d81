import { describe, expect, it } from 'vitest';
import { computeCurve } from '../../../src/core/stats/computeCurve.ts';
import { runCurves } from '../../../src/lib/views/curveData.ts';
import { modulePanelSeries, runPanelSeries, stripSeries } from '../../../src/lib/views/series.ts';
import { panelScales } from '../../../src/lib/views/panelScales.ts';
import { makeEntry, makeRun } from '../makeRun.ts';

const a = makeRun({ id: 'a', layers: 4 });
const b = makeRun({ id: 'b', layers: 4, value: (s, l, m) => 2 * (10 + m * 5 + l * (m + 1) + s) });
const curves = runCurves([makeEntry(a, 'A', '#111'), makeEntry(b, 'B', '#222')], 'S_sum');

describe('runPanelSeries', () => {
  it('gives one line per module in module colors, with p25–p75 edges when that band is on', () => {
    const s = runPanelSeries(curves[0], 'iqr');
    expect(s.map((x) => x.label)).toEqual(['Q', 'K', 'V', 'O']);
    expect(s[0].color).toBe('#d62728');
    expect(Array.from(s[1].values)).toEqual(Array.from(computeCurve(a, 'self_attn.k_proj', 'S_sum').mean));
    expect(s[1].lo).toBe(curves[0].modules[1].curve.p25);
    expect(runPanelSeries(curves[0], 'none')[0].lo).toBeUndefined();
  });
});

describe('modulePanelSeries and stripSeries', () => {
  it('gives one line per run in run colors for a module', () => {
    const s = modulePanelSeries(curves, 'self_attn.v_proj', 'none');
    expect(s.map((x) => [x.run, x.color])).toEqual([
      ['a', '#111'],
      ['b', '#222'],
    ]);
  });

  it('gives each other run against the reference: b is twice a, so the ratio is 2 and the difference a', () => {
    const ratio = stripSeries(curves, 'self_attn.q_proj', 'a', 'ratio');
    expect(ratio.reference?.entry.run.id).toBe('a');
    expect(ratio.series.map((x) => x.run)).toEqual(['b']);
    for (const v of ratio.series[0].values as Float64Array) expect(v).toBeCloseTo(2, 12);
    const diff = stripSeries(curves, 'self_attn.q_proj', 'b', 'difference');
    const qa = curves[0].modules[0].curve.mean;
    expect(Array.from(diff.series[0].values as Float64Array).map((v, i) => v + qa[i])).toEqual(Array.from(qa).map(() => 0));
  });

  it('falls back to the first run when the reference is not visible', () => {
    expect(stripSeries(curves, 'self_attn.q_proj', 'gone', 'ratio').reference?.entry.run.id).toBe('a');
  });
});

describe('panelScales', () => {
  it('shares one domain across panels when y is shared, and keeps each panel’s own otherwise', () => {
    const panels = curves.map((rc) => runPanelSeries(rc, 'none'));
    const shared = panelScales(panels, 'linear', true);
    expect(shared[0].domain).toEqual(shared[1].domain);
    const own = panelScales(panels, 'linear', false);
    expect(own[1].domain[1]).toBeGreaterThan(own[0].domain[1]);
  });
});
