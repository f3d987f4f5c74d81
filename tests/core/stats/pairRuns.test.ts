import { describe, expect, it } from 'vitest';
import type { Run, RunMeta } from '../../../src/core/format/run.ts';
import { countIdenticalResponses, pairRuns } from '../../../src/core/stats/pairRuns.ts';
import { sampleKeys } from '../../../src/core/format/sampleKeys.ts';
import { makeRun } from './makeRun.ts';

const base: RunMeta = {
  task: 'cot_500',
  model: 'llama3_8b',
  variant: 'base',
  dataset: 'gsm8k_train',
  setting: 'none',
  correctness: 'correct',
};
const run = (name: string, meta: RunMeta) => makeRun({ name, meta, values: { q: { S_sum: [[1]] } } });

describe('pairRuns', () => {
  const cases: { name: string; metas: RunMeta[]; expected: [number, number, string][] }[] = [
    { name: 'no runs give no pairs', metas: [], expected: [] },
    { name: 'one run gives no pairs', metas: [base], expected: [] },
    {
      name: 'correct is the reference of a correctness pair, whatever the input order',
      metas: [{ ...base, correctness: 'irrelevant' }, base],
      expected: [[1, 0, 'correctness']],
    },
    {
      name: 'the faster setting is the reference of a setting pair',
      metas: [{ ...base, setting: 'detailed' }, { ...base, setting: 'simplified' }, base],
      expected: [
        [1, 0, 'setting'],
        [2, 0, 'setting'],
        [2, 1, 'setting'],
      ],
    },
    {
      name: 'base is the reference of a variant pair',
      metas: [{ ...base, variant: 'instruct' }, base],
      expected: [[1, 0, 'variant']],
    },
    {
      name: 'runs differing in two attributes do not pair',
      metas: [base, { ...base, setting: 'detailed', correctness: 'irrelevant' }],
      expected: [],
    },
    {
      name: 'runs differing in model or dataset do not pair',
      metas: [base, { ...base, model: 'qwen2_1_5b' }, { ...base, dataset: 'aqua_train' }],
      expected: [],
    },
    { name: 'identical metadata does not pair', metas: [base, { ...base }], expected: [] },
    { name: 'runs whose path says nothing do not pair', metas: [{}, {}], expected: [] },
    {
      name: 'a value only one run has is not a pairing attribute',
      metas: [base, { ...base, correctness: undefined }],
      expected: [],
    },
    {
      name: 'unknown settings follow the study ones, then by name',
      metas: [{ ...base, setting: 'wiki_500' }, { ...base, setting: 'wiki_100' }],
      expected: [[1, 0, 'setting']],
    },
    {
      name: 'numbered settings compare as numbers: length 500 is the reference against 1000',
      metas: [{ ...base, setting: '1000' }, { ...base, setting: '500' }, base],
      expected: [
        [1, 0, 'setting'],
        [2, 0, 'setting'],
        [2, 1, 'setting'],
      ],
    },
  ];
  it.each(cases)('$name', ({ metas, expected }) => {
    const runs = metas.map((m, i) => run(`r${i}`, m));
    const metaCopy = structuredClone(metas);
    const pairs = pairRuns(runs);
    expect(pairs.map((p) => [runs.indexOf(p.reference), runs.indexOf(p.other), p.differsIn])).toEqual(expected);
    expect(runs.map((r) => r.meta)).toEqual(metaCopy);
  });
});

describe('countIdenticalResponses', () => {
  const withTexts = (texts: [string, string, string][]) =>
    makeRun({
      values: { q: { S_sum: texts.map(() => [1]) } },
      samples: texts.map(([instruction, input, output]) => ({ instruction, input, output })),
    });
  const cases: { name: string; a: [string, string, string][]; b: [string, string, string][]; expected: number }[] = [
    { name: 'empty runs have none', a: [], b: [], expected: 0 },
    {
      name: 'counts equal outputs under equal instructions',
      a: [['q0', '', '42'], ['q1', '', '7'], ['q2', '', 'yes']],
      b: [['q0', '', '42'], ['q1', '', '8'], ['q2', '', 'yes']],
      expected: 2,
    },
    {
      name: 'does not count equal outputs under different instructions or inputs',
      a: [['q0', '', '42'], ['q1', 'x', '7']],
      b: [['q9', '', '42'], ['q1', 'y', '7']],
      expected: 0,
    },
    {
      name: 'compares only as many samples as the shorter run has',
      a: [['q0', '', 'A'], ['q1', '', 'B']],
      b: [['q0', '', 'A']],
      expected: 1,
    },
    { name: 'empty outputs count as identical', a: [['q0', '', '']], b: [['q0', '', '']], expected: 1 },
  ];
  it.each(cases)('$name', ({ a, b, expected }) => {
    const ra = withTexts(a);
    const rb = withTexts(b);
    expect(countIdenticalResponses(ra, rb)).toBe(expected);
    expect(countIdenticalResponses(rb, ra)).toBe(expected);
  });

  it('counts by the runs’ keys alone, as runs restored from storage carry them without their texts', () => {
    const a = withTexts([['q0', '', '42'], ['q1', '', '7']]);
    const b = withTexts([['q0', '', '42'], ['q1', '', '8']]);
    const restored = ({ texts: _texts, ...run }: Run): Run => ({ ...run, keys: sampleKeys({ ...run, texts: _texts }) });
    expect(countIdenticalResponses(restored(a), restored(b))).toBe(1);
  });
});
