import { describe, expect, it } from 'vitest';
import { syntheticFollowupLines } from '../../../src/core/data/syntheticFollowup.ts';
import { parseRun } from '../../../src/core/format/runParser.ts';
import { DEFAULT_VIEW, type RunEntry } from '../../../src/lib/state/types.ts';
import { binLabel, chosenModule, cosineChoices, cosineCsv, cosinePanels, niceExtent, spectrumChoices, spectrumLines } from '../../../src/lib/views/followupData.ts';
import { makeRun } from '../../core/stats/makeRun.ts';

const entry = (name: string, seed: number, layers = 5): RunEntry => ({
  run: parseRun(`${name}.jsonl`, new TextEncoder().encode([...syntheticFollowupLines({ samples: 6, layers, quality: 'highest', seed })].join('\n')), { id: name }),
  label: name,
  color: '#123456',
  hidden: false,
  source: { kind: 'file', ref: name },
});
const a = entry('a', 1);
const b = entry('b', 2);
const deeper = entry('c', 3, 7);
const plain: RunEntry = { ...a, run: makeRun({ name: 'plain', values: { 'self_attn.q_proj': { S_sum: [[1, 2]] } } }), label: 'plain' };
const F = DEFAULT_VIEW.followup;

describe('the follow-up views’ data', () => {
  it('offers only runs with S_list or cosine_sim, and their modules', () => {
    expect(spectrumChoices([plain, a]).runs.map((e) => e.label)).toEqual(['a']);
    expect(spectrumChoices([plain, a]).modules).toEqual(['self_attn.q_proj', 'self_attn.k_proj', 'self_attn.v_proj', 'self_attn.o_proj']);
    expect(cosineChoices([plain]).runs).toEqual([]);
    expect(chosenModule(['x', 'y'], 'y')).toBe('y');
    expect(chosenModule(['x', 'y'], 'z')).toBe('x');
    expect(chosenModule([], null)).toBeNull();
  });

  it('draws one spectrum line per run with its band when asked', () => {
    const { series, ranks, counts } = spectrumLines([a, b], 'self_attn.q_proj', 2, F, 'iqr');
    expect(series.map((s) => s.run)).toEqual(['a', 'b']);
    expect(ranks).toBe(16);
    expect(series[0].lo?.length).toBe(16);
    expect(counts.map((c) => c.kept)).toEqual([6, 6]);
  });

  it('gives each run minus the reference, leaving out a run of another layer count', () => {
    const { panels, reference, skipped } = cosinePanels([a, b, deeper], 'self_attn.k_proj', { ...F, cosine: 'difference' }, 'b');
    expect(reference?.label).toBe('b');
    expect(panels.map((p) => p.title)).toEqual(['a − b']);
    expect(skipped).toEqual(['c']);
    const csv = cosineCsv(panels, 'self_attn.k_proj').split('\r\n');
    expect(csv[0]).toBe('panel,module,layer_i,layer_j,value,samples');
    expect(csv).toHaveLength(1 + 25 + 1);
  });

  it('rounds the colour extent up to two significant digits, at most 1', () => {
    expect(niceExtent(0.515926)).toBe(0.52);
    expect(niceExtent(0.031)).toBeCloseTo(0.031, 15);
    expect(niceExtent(0.99999)).toBe(1);
    expect(niceExtent(0)).toBe(1);
    expect(binLabel([0, 1])).toBe('1');
    expect(binLabel([4, 9])).toBe('5–9');
  });
});
