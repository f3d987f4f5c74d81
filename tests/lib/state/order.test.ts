import { describe, expect, it } from 'vitest';
import type { RunMeta } from '../../../src/core/format/run.ts';
import { parseRunPath } from '../../../src/core/format/runPath.ts';
import { compareRunMeta, insertionIndex } from '../../../src/lib/state/order.ts';

const meta = (path: string): RunMeta => parseRunPath(path);
const paths = [
  'cot_500/llama3_8b/grads_gsm8k_train_no_cot.jsonl',
  'cot_500/llama3_8b/grads_gsm8k_train_with_cot.jsonl',
  'cot_500/llama3_8b/grads_gsm8k_train_with_cot_gpt4o.jsonl',
  'cot_500_wrong_answer_shuffle/llama3_8b/grads_gsm8k_train_no_cot.jsonl',
  'cot_500_wrong_answer_shuffle/llama3_8b/grads_gsm8k_train_with_cot_gpt4o.jsonl',
  'cot_500/llama3_8b_it_new/grads_gsm8k_train_no_cot.jsonl',
];

function insertAll(order: string[]): string[] {
  const list: string[] = [];
  for (const p of order) list.splice(insertionIndex(list.map(meta), meta(p)), 0, p);
  return list;
}

describe('run order', () => {
  it('puts None before Simplified before Detailed CoT', () => {
    expect(compareRunMeta(meta(paths[0]), meta(paths[2]))).toBeLessThan(0);
    expect(compareRunMeta(meta(paths[2]), meta(paths[1]))).toBeGreaterThan(0);
  });

  it('puts correct before irrelevant and base before instruct', () => {
    expect(compareRunMeta(meta(paths[2]), meta(paths[3]))).toBeLessThan(0);
    expect(compareRunMeta(meta(paths[0]), meta(paths[5]))).toBeLessThan(0);
  });

  it('does not order runs whose path gives no setting', () => {
    expect(compareRunMeta({}, meta(paths[0]))).toBeNull();
    expect(compareRunMeta(meta(paths[0]), { model: 'x' })).toBeNull();
  });

  it('lays out runs the same whatever order they arrive in', () => {
    const reversed = insertAll([...paths].reverse());
    const shuffled = insertAll([paths[4], paths[1], paths[5], paths[0], paths[3], paths[2]]);
    const expected = [paths[0], paths[1], paths[2], paths[3], paths[4], paths[5]];
    expect(reversed).toEqual(expected);
    expect(shuffled).toEqual(expected);
  });

  it('appends runs without metadata in arrival order', () => {
    expect(insertionIndex([meta(paths[2]), {}], {})).toBe(2);
    expect(insertionIndex([{}, meta(paths[2])], meta(paths[0]))).toBe(1);
  });

  it('appends to an empty list', () => {
    expect(insertionIndex([], meta(paths[0]))).toBe(0);
  });
});
