import { describe, expect, it } from 'vitest';
import { experimentPlan, modelStemOf, pathSegment } from '../../../src/core/model/experimentPlan';

describe('experimentPlan', () => {
  it('lists the six runs in the release layout, correct runs first and settings in study order', () => {
    const plan = experimentPlan({ dataset: 'arithmetic', modelStem: 'tiny', instruct: false, n: 20 });
    expect(plan.map((r) => r.path)).toEqual([
      'cot_20/tiny/grads_arithmetic_train_no_cot.jsonl',
      'cot_20/tiny/grads_arithmetic_train_with_cot.jsonl',
      'cot_20/tiny/grads_arithmetic_train_with_cot_gpt4o.jsonl',
      'cot_20_wrong_answer_shuffle/tiny/grads_arithmetic_train_no_cot.jsonl',
      'cot_20_wrong_answer_shuffle/tiny/grads_arithmetic_train_with_cot.jsonl',
      'cot_20_wrong_answer_shuffle/tiny/grads_arithmetic_train_with_cot_gpt4o.jsonl',
    ]);
    expect(plan.map((r) => [r.setting, r.irrelevant])).toEqual([
      ['none', false], ['simplified', false], ['detailed', false],
      ['none', true], ['simplified', true], ['detailed', true],
    ]);
  });

  it('marks instruction-tuned models with the study\'s _it_new suffix', () => {
    const plan = experimentPlan({ dataset: 'logic', modelStem: 'tiny', instruct: true, n: 5 });
    expect(plan[0].path).toBe('cot_5/tiny_it_new/grads_logic_train_no_cot.jsonl');
  });

  it('keeps path segments safe', () => {
    expect(pathSegment('my model/v2')).toBe('my_model_v2');
    expect(pathSegment('..')).toBe('_');
    expect(pathSegment('')).toBe('_');
  });

  it('pairs the shipped base and instruct models under one stem', () => {
    expect(modelStemOf('base', 'base')).toEqual({ modelStem: 'gradlens_tiny', instruct: false });
    expect(modelStemOf('instruct', 'chat')).toEqual({ modelStem: 'gradlens_tiny', instruct: true });
    expect(modelStemOf('foo_it_new', 'chat')).toEqual({ modelStem: 'foo', instruct: true });
  });
});
