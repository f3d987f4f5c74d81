import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, type ViewSettings } from '../../../src/lib/state/types.ts';
import { readUrlState, writeUrlState, type UrlState } from '../../../src/lib/state/urlState.ts';

const state = (over: Partial<UrlState> = {}, settings: Partial<ViewSettings> = {}): UrlState => ({
  settings: { ...DEFAULT_VIEW, ...settings },
  reference: null,
  runs: null,
  src: [],
  ...over,
});

describe('URL state', () => {
  it('writes nothing for the default view with no runs', () => {
    expect(writeUrlState(state())).toBe('');
  });

  it('reads an empty query as the default view', () => {
    expect(readUrlState('')).toEqual(state());
  });

  it('writes only the settings that differ from the default', () => {
    expect(writeUrlState(state({}, { view: 'overlay', yScale: 'log' }))).toBe('?view=overlay&y=log');
  });

  it.each<[string, Partial<ViewSettings>]>([
    ['every view kind', { view: 'heatmap' }],
    ['a derived statistic', { stat: 'S_ratio' }],
    ['a symlog scale', { yScale: 'symlog' }],
    ['independent y', { sharedY: false }],
    ['bands', { bands: 'p5-p95' }],
    ['split points', { splits: [10, 20] }],
    ['the strip kind', { strip: 'difference' }],
    ['heatmap rows', { heatmapRows: 'runs' }],
    ['the spectrum view and its choices', { view: 'spectrum', followup: { module: 'self_attn.v_proj', layer: 7, scale: 'normalised', layout: 'heatmap', cosine: 'runs', range: 'fit' } }],
    ['the cosine view and its choices', { view: 'cosine', followup: { module: 'self_attn.o_proj', layer: null, scale: 'sigma', layout: 'lines', cosine: 'difference', range: 'unit' } }],
  ])('round-trips %s', (_name, settings) => {
    const s = state({}, settings);
    expect(readUrlState(writeUrlState(s))).toEqual(s);
  });

  it('round-trips runs, the reference and src URLs, keeping their order and special characters', () => {
    const s = state({
      reference: 'cot_demo/x/grads_a_no_cot.jsonl',
      runs: ['b&c.jsonl', 'cot_demo/x/grads_a_no_cot.jsonl', 'https://h.test/a b.jsonl?x=1'],
      src: ['https://h.test/a b.jsonl?x=1', 'https://h.test/2.jsonl'],
    });
    expect(readUrlState(writeUrlState(s))).toEqual(s);
  });

  it('falls back to the default for invalid values instead of failing', () => {
    const read = readUrlState('?view=pie&y=cubic&bands=all&splits=20,10&strip=sum&rows=cols&stat=');
    expect(read.settings).toEqual(DEFAULT_VIEW);
  });

  it.each(['5', '5,x', '0,4', '4,4', '1.5,3', '1,2,3'])('ignores malformed split points %j', (splits) => {
    expect(readUrlState(`?splits=${splits}`).settings.splits).toBeNull();
  });

  it('never puts a run id in the URL: the reference setting is replaced by the ref it is given', () => {
    const written = writeUrlState(state({ reference: 'a.jsonl' }, { reference: 'run-1234' }));
    expect(written).toBe('?ref=a.jsonl');
    expect(readUrlState(written).settings.reference).toBeNull();
  });

  it('round-trips an empty run list as "no run visible"', () => {
    expect(writeUrlState(state({ runs: [] }))).toBe('?run=');
    expect(readUrlState(writeUrlState(state({ runs: [] }))).runs).toEqual([]);
  });

  it('reads an empty run list as "no run visible", not as "not said"', () => {
    expect(readUrlState('?run=').runs).toEqual([]);
    expect(readUrlState('?view=overlay').runs).toBeNull();
  });
});
