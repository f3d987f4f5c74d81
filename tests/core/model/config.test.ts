import { describe, expect, it } from 'vitest';
import { headDim, maxSequenceLength, parameterCount, parseConfig, toHfConfig } from '../../../src/core/model/config';
import { paramShapes } from '../../../src/core/model/params';

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
    ['a rope scaling it does not implement', { ...minimal, rope_scaling: { type: 'yarn', factor: 2 } }, /rope_scaling type "yarn" is not supported/],
    ['llama3 rope scaling with a missing field', { ...minimal, rope_scaling: { rope_type: 'llama3', factor: 8, low_freq_factor: 1, high_freq_factor: 4 } }, /original_max_position_embeddings/],
    ['Gemma 2, naming its soft-capping', { ...minimal, model_type: 'gemma2', architectures: ['Gemma2ForCausalLM'], final_logit_softcapping: 30 }, /model_type "gemma2" \(Gemma2ForCausalLM\) is not supported; supported: LlamaForCausalLM/],
    ['soft-capping under a supported model_type', { ...minimal, attn_logit_softcapping: 50 }, /attention logit soft-capping \(Gemma 2\) is not supported/],
    ['a sequence-classification head', { ...minimal, architectures: ['LlamaForSequenceClassification'] }, /"LlamaForSequenceClassification" is not supported/],
    ['MLP biases outside Llama', { ...minimal, model_type: 'qwen2', mlp_bias: true }, /mlp_bias is not part of Qwen2ForCausalLM/],
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

describe('architecture switches', () => {
  it('gives Qwen2 biases on q/k/v only, as Qwen2Attention has', () => {
    const c = parseConfig({ ...minimal, model_type: 'qwen2', architectures: ['Qwen2ForCausalLM'], sliding_window: 4096, use_sliding_window: false });
    expect([c.qkv_bias, c.o_bias, c.qk_norm, c.sliding_window]).toEqual([true, undefined, undefined, undefined]);
    const shapes = paramShapes(c);
    expect(shapes.get('model.layers.0.self_attn.q_proj.bias')).toEqual([64]);
    expect(shapes.get('model.layers.0.self_attn.k_proj.bias')).toEqual([64]);
    expect(shapes.has('model.layers.0.self_attn.o_proj.bias')).toBe(false);
  });

  it('gives Qwen3 per-head q/k norms and its default head_dim of 128', () => {
    const c = parseConfig({ ...minimal, model_type: 'qwen3' });
    expect(c.qk_norm).toBe(true);
    expect(headDim(c)).toBe(128);
    expect(paramShapes(c).get('model.layers.3.self_attn.k_norm.weight')).toEqual([128]);
    expect(paramShapes(c).get('model.layers.0.self_attn.q_proj.weight')).toEqual([512, 64]);
  });

  it("reads Llama 3.2's rope_scaling, and Mistral's sliding window as a cap on the sample length", () => {
    const l = parseConfig({ ...minimal, max_position_embeddings: 131072, rope_scaling: { rope_type: 'llama3', factor: 32.0, low_freq_factor: 1.0, high_freq_factor: 4.0, original_max_position_embeddings: 8192 } });
    expect(l.rope_scaling).toEqual({ rope_type: 'llama3', factor: 32, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 8192 });
    expect(maxSequenceLength(l)).toBe(131072);
    const m = parseConfig({ ...minimal, model_type: 'mistral', sliding_window: 4096 });
    expect(maxSequenceLength(m)).toBe(4096);
  });

  it('counts parameters as the list of shapes does, for every family and switch', () => {
    const cases = [
      parseConfig(minimal),
      parseConfig({ ...minimal, tie_word_embeddings: true, attention_bias: true, mlp_bias: true, num_key_value_heads: 2 }),
      parseConfig({ ...minimal, model_type: 'qwen2' }),
      parseConfig({ ...minimal, model_type: 'qwen3', head_dim: 32, num_key_value_heads: 1 }),
      parseConfig({ ...minimal, model_type: 'mistral' }),
    ];
    for (const c of cases) {
      const listed = [...paramShapes(c).values()].reduce((a, s) => a + s.reduce((x, y) => x * y, 1), 0);
      expect(parameterCount(c), c.model_type).toBe(listed);
    }
    // SmolLM2-135M's published size: 134,515,008 parameters.
    const smol = parseConfig({ model_type: 'llama', vocab_size: 49152, hidden_size: 576, intermediate_size: 1536, num_hidden_layers: 30, num_attention_heads: 9, num_key_value_heads: 3, tie_word_embeddings: true });
    expect(parameterCount(smol)).toBe(134515008);
  });

  it('writes back config.json fields that parse to the same config', () => {
    for (const json of [
      { ...minimal, attention_bias: true, mlp_bias: true },
      { ...minimal, model_type: 'qwen2', use_sliding_window: true, sliding_window: 128 },
      { ...minimal, model_type: 'qwen3', head_dim: 16 },
      { ...minimal, model_type: 'mistral', sliding_window: 256, rope_scaling: { rope_type: 'linear', factor: 2 } },
    ]) {
      const c = parseConfig(json);
      expect(parseConfig(toHfConfig(c))).toEqual(c);
    }
  });
});

