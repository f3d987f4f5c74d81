import { describe, expect, it } from 'vitest';
import type { Run } from '../../../src/core/format/run.ts';
import { parseRunPath } from '../../../src/core/format/runPath.ts';
import { filterEntries, groupEntries, runFacts, UNKNOWN_GROUP } from '../../../src/lib/runs/groupRuns.ts';
import type { RunEntry } from '../../../src/lib/state/types.ts';

function entry(file: string, label = file): RunEntry {
  const run: Run = {
    id: file,
    name: file,
    file,
    meta: parseRunPath(file),
    sampleCount: 1,
    layerCount: 1,
    modules: [],
    stats: [],
    values: new Map(),
    loss: new Float64Array(1),
    texts: { bytes: new Uint8Array(0), ends: new Uint32Array(0) },
    skipped: [],
    bytes: 0,
  };
  return { run, label, color: '#000000', hidden: false, source: { kind: 'file', ref: file } };
}

const a = entry('cot_500/llama3_8b/grads_gsm8k_train_no_cot.jsonl', 'Llama none');
const b = entry('cot_500_wrong_answer_shuffle/llama3_8b_it_new/grads_gsm8k_train_with_cot_gpt4o.jsonl', 'Llama it detailed');
const c = entry('cot_500/qwen2_1.5b/grads_math_with_cot.jsonl', 'Qwen simplified');
const d = entry('my-own-file.jsonl', 'Mine');
const all = [a, b, c, d];

describe('run facts', () => {
  it('lists what the path says, in a fixed order, settings in the study’s words', () => {
    expect(runFacts(b.run.meta)).toEqual([
      { key: 'model', value: 'llama3_8b' },
      { key: 'variant', value: 'instruct' },
      { key: 'dataset', value: 'gsm8k_train' },
      { key: 'setting', value: 'Detailed CoT' },
      { key: 'correctness', value: 'irrelevant' },
    ]);
  });

  it('lists nothing for a path outside the release layout', () => {
    expect(runFacts(parseRunPath('notes.jsonl')).filter((f) => f.key !== 'dataset')).toEqual([]);
  });
});

describe('filtering runs', () => {
  it('keeps everything for blank text', () => {
    expect(filterEntries(all, '  ')).toEqual(all);
  });

  it('needs every term to match the label, file or facts, ignoring case', () => {
    expect(filterEntries(all, 'LLAMA detailed')).toEqual([b]);
    expect(filterEntries(all, 'none cot')).toEqual([a]);
    expect(filterEntries(all, 'my-own')).toEqual([d]);
    expect(filterEntries(all, 'irrelevant qwen')).toEqual([]);
  });

  it('leaves its input unchanged', () => {
    const copy = all.slice();
    filterEntries(all, 'x');
    expect(all).toEqual(copy);
  });
});

describe('grouping runs', () => {
  it('gives one unnamed group when not grouping', () => {
    expect(groupEntries(all, 'none')).toEqual([{ label: '', entries: all }]);
  });

  it('groups by model in order of first appearance, runs without one last under their own heading', () => {
    expect(groupEntries(all, 'model')).toEqual([
      { label: 'llama3_8b', entries: [a, b] },
      { label: 'qwen2_1.5b', entries: [c] },
      { label: UNKNOWN_GROUP, entries: [d] },
    ]);
  });

  it.each([
    ['variant', ['base', 'instruct', UNKNOWN_GROUP]],
    ['setting', ['None CoT', 'Detailed CoT', 'Simplified CoT', UNKNOWN_GROUP]],
    ['correctness', ['correct', 'irrelevant', UNKNOWN_GROUP]],
  ] as const)('groups by %s', (key, labels) => {
    expect(groupEntries(all, key).map((g) => g.label)).toEqual(labels);
  });

  it('gives no group for no runs', () => {
    expect(groupEntries([], 'model')).toEqual([]);
  });
});
