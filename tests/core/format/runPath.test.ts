import { describe, expect, it } from 'vitest';
import type { RunMeta } from '../../../src/core/format/run.ts';
import { describeRun, parseRunPath, SETTING_ORDER, settingLabel } from '../../../src/core/format/runPath.ts';

describe('parseRunPath', () => {
  it.each<[string, RunMeta]>([
    [
      'cot_500/llama3_8b/grads_gsm8k_train_with_cot_gpt4o.jsonl',
      { task: 'cot_500', model: 'llama3_8b', variant: 'base', dataset: 'gsm8k_train', setting: 'detailed', correctness: 'correct' },
    ],
    [
      'grads_exp/cot_500_wrong_answer_shuffle/llama3_8b_it_new/grads_aqua_train_no_cot.jsonl.gz',
      { task: 'cot_500', model: 'llama3_8b', variant: 'instruct', dataset: 'aqua_train', setting: 'none', correctness: 'irrelevant' },
    ],
    [
      'cot_500\\qwen2_1_5b\\grads_ecqa_train_with_cot.jsonl',
      { task: 'cot_500', model: 'qwen2_1_5b', variant: 'base', dataset: 'ecqa_train', setting: 'simplified', correctness: 'correct' },
    ],
    ['grads_creak_train_with_cot.jsonl', { dataset: 'creak_train', setting: 'simplified', correctness: 'correct' }],
    ['grads_strategyqa_train_no_cot.JSONL', { dataset: 'strategyqa_train', setting: 'none', correctness: 'correct' }],
    [
      'lighteval_math/gemma2_2b_it_new/grads_math_algebra_with_cot_gpt4o.jsonl',
      { task: 'lighteval_math', model: 'gemma2_2b', variant: 'instruct', dataset: 'math_algebra', setting: 'detailed', correctness: 'correct' },
    ],
    [
      'wiki_popularity/llama3_8b/grads_popular_wikipedia_100.jsonl',
      {
        task: 'wiki_popularity',
        model: 'llama3_8b',
        variant: 'base',
        dataset: 'wikipedia',
        popularity: 'popular',
        setting: '100',
        correctness: 'correct',
      },
    ],
    ['grads_wiki_popular_length100.jsonl', { dataset: 'wiki_popular', setting: 'length100', correctness: 'correct' }],
    [
      'wiki_popularity_wrong_answer_shuffle/llama3_8b/grads_long_tail_wikipedia.jsonl',
      { task: 'wiki_popularity', model: 'llama3_8b', variant: 'base', dataset: 'wikipedia', popularity: 'long-tail', correctness: 'irrelevant' },
    ],
    [
      'lighteval_math_wrong_answer_shuffle/llama3_8b/grads_algebra_level3_with_cot.jsonl',
      { task: 'lighteval_math', model: 'llama3_8b', variant: 'base', dataset: 'algebra', level: '3', setting: 'simplified', correctness: 'irrelevant' },
    ],
    // The follow-up's release naming (Gradient_Unified README: grads/${model}/${metric}/grads_${data}_highest_200.jsonl).
    [
      'grads/qwen25_7b/ifd_gpt2/grads_wiz_10k_highest_200.jsonl',
      { model: 'qwen25_7b', variant: 'base', metric: 'ifd', scorer: 'gpt2', dataset: 'wiz_10k', quality: 'highest' },
    ],
    ['grads/llama31_8b/ifd_qwen7b/grads_her_10k_lowest_200.jsonl', { model: 'llama31_8b', variant: 'base', metric: 'ifd', scorer: 'qwen7b', dataset: 'her_10k', quality: 'lowest' }],
    ['gemma2_2b/diff/grads_mag_10k_highest_200.jsonl', { model: 'gemma2_2b', variant: 'base', metric: 'diff', dataset: 'mag_10k', quality: 'highest' }],
    // The reasoning data (_data/10k_version/reasoning/{gsm8k,s1}_R1.json) has no subsets: the metric folder tells.
    ['grads/qwen25_3b/reasoning/grads_s1_R1.jsonl', { model: 'qwen25_3b', variant: 'base', metric: 'reasoning', dataset: 's1_R1' }],
    ['qwen25_3b/reasoning/grads_gsm8k_R1.jsonl', { model: 'qwen25_3b', variant: 'base', metric: 'reasoning', dataset: 'gsm8k_R1' }],
    ['grads/qwen25_3b/some_metric/grads_wiz_10k.jsonl', { model: 'qwen25_3b', variant: 'base', metric: 'some_metric', dataset: 'wiz_10k' }],
    ['grads_mag_10k_lowest_200.jsonl', { dataset: 'mag_10k', quality: 'lowest' }],
    ['/home/me/Downloads/gsm8k_train_no_cot.wrong_answer_shuffle.json', { dataset: 'gsm8k_train', setting: 'none', correctness: 'irrelevant' }],
    ['my_stats.jsonl', { dataset: 'my_stats' }],
    ['grads_no_cot.jsonl', { setting: 'none', correctness: 'correct' }],
    ['', {}],
    ['/', {}],
  ])('reads %j', (path, meta) => {
    expect(parseRunPath(path)).toEqual(meta);
  });
});

describe('settingLabel and SETTING_ORDER', () => {
  it.each([
    ['none', 'None CoT'],
    ['simplified', 'Simplified CoT'],
    ['detailed', 'Detailed CoT'],
    ['length100', 'length100'],
    ['500', 'Length 500'],
    ['constructor', 'constructor'],
    [undefined, ''],
  ])('labels %j as %j', (setting, label) => {
    expect(settingLabel(setting)).toBe(label);
  });

  it('orders None, Simplified, Detailed CoT as the study does', () => {
    expect(SETTING_ORDER).toEqual(['none', 'simplified', 'detailed']);
  });
});

describe('describeRun', () => {
  it.each<[RunMeta, string]>([
    [
      { model: 'llama3_8b', variant: 'instruct', dataset: 'gsm8k_train', setting: 'detailed', correctness: 'irrelevant' },
      'llama3_8b instruct · gsm8k_train · Detailed CoT · irrelevant',
    ],
    [{ model: 'llama3_8b', variant: 'base', dataset: 'gsm8k_train', setting: 'none', correctness: 'correct' }, 'llama3_8b · gsm8k_train · None CoT'],
    [{ dataset: 'wikipedia', popularity: 'popular', setting: '100' }, 'wikipedia · Length 100'],
    [{ dataset: 'wikipedia', popularity: 'long-tail' }, 'wikipedia · long-tail'],
    [{ dataset: 'algebra', level: '2', setting: 'detailed' }, 'algebra · Level 2 · Detailed CoT'],
    [{ model: 'qwen25_7b', metric: 'ifd_gpt2', dataset: 'wiz_10k', quality: 'lowest' }, 'qwen25_7b · ifd_gpt2 · WizardLM · Low'],
    [{}, 'fallback.jsonl'],
    [{ correctness: 'irrelevant' }, 'fallback.jsonl'],
    [{ model: 'qwen25_7b', variant: 'base', metric: 'ifd', scorer: 'gpt2', dataset: 'wiz_10k', quality: 'highest' }, 'qwen25_7b · IFD (GPT-2) · WizardLM · High'],
    [{ model: 'qwen25_3b', variant: 'base', metric: 'reasoning', dataset: 's1_R1' }, 'qwen25_3b · Reasoning · s1.1'],
  ])('describes %j as %j', (meta, label) => {
    expect(describeRun(meta, 'fallback.jsonl')).toBe(label);
  });
});
