import { describe, expect, it } from 'vitest';
import { headDim, parseConfig } from '../../../src/core/model/config';

const minimal = { model_type: 'llama', vocab_size: 262, hidden_size: 64, intermediate_size: 172, num_hidden_layers: 4, num_attention_heads: 4 };

describe('parseConfig', () => {
  it('fills Hugging Face defaults for fields a config may leave out', () => {
    expect(parseConfig(minimal)).toEqual({
      ...minimal,
      num_key_value_heads: 4,
      rms_norm_eps: 1e-6,
      rope_theta: 10000,
      max_position_embeddings: 2048,
      tie_word_embeddings: false,
      hidden_act: 'silu',
    });
  });

  it('ignores unknown fields such as architectures and torch_dtype', () => {
    const c = parseConfig({ ...minimal, architectures: ['LlamaForCausalLM'], torch_dtype: 'float32', gradlens_template: 'chat' });
    expect(Object.keys(c)).not.toContain('architectures');
  });

  it('keeps an explicit head_dim and derives it otherwise', () => {
    expect(headDim(parseConfig(minimal))).toBe(16);
    expect(headDim(parseConfig({ ...minimal, head_dim: 8 }))).toBe(8);
  });

  const bad: [string, Record<string, unknown>, RegExp][] = [
    ['a wrong model_type', { ...minimal, model_type: 'gpt2' }, /model_type/],
    ['a missing vocab_size', { ...minimal, vocab_size: undefined }, /missing field vocab_size/],
    ['a fractional hidden_size', { ...minimal, hidden_size: 6.5 }, /hidden_size must be a positive integer/],
    ['heads that kv heads do not divide', { ...minimal, num_key_value_heads: 3 }, /multiple of num_key_value_heads/],
    ['an odd head size', { ...minimal, hidden_size: 12, num_attention_heads: 4 }, /must be even/],
    ['another activation', { ...minimal, hidden_act: 'gelu' }, /hidden_act/],
    ['rope scaling', { ...minimal, rope_scaling: { type: 'linear', factor: 2 } }, /rope_scaling/],
    ['attention biases', { ...minimal, attention_bias: true }, /attention_bias/],
    ['a non-boolean tie flag', { ...minimal, tie_word_embeddings: 'yes' }, /tie_word_embeddings/],
  ];
  for (const [what, json, message] of bad) {
    it(`refuses ${what}, naming the field`, () => {
      expect(() => parseConfig(json, 'config.json')).toThrow(message);
      expect(() => parseConfig(json, 'config.json')).toThrow(/^config\.json: /);
    });
  }

  it('refuses what is not an object', () => {
    expect(() => parseConfig(null)).toThrow(/JSON object/);
    expect(() => parseConfig([1])).toThrow(/JSON object/);
  });
});
