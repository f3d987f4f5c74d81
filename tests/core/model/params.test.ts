import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../../scripts/lib/nodeBackend';
import { parseConfig } from '../../../src/core/model/config';
import { disposeParams, initParams, paramShapes } from '../../../src/core/model/params';
import { TINY_CONFIG } from './tinyModel';

beforeAll(async () => {
  await useNodeBackend('wasm');
});

describe('paramShapes', () => {
  it('gives HF names and [out, in] shapes, with grouped kv heads', () => {
    const s = paramShapes(TINY_CONFIG);
    expect(s.get('model.embed_tokens.weight')).toEqual([16, 8]);
    expect(s.get('model.layers.1.self_attn.q_proj.weight')).toEqual([8, 8]);
    expect(s.get('model.layers.1.self_attn.k_proj.weight')).toEqual([4, 8]);
    expect(s.get('model.layers.1.self_attn.v_proj.weight')).toEqual([4, 8]);
    expect(s.get('model.layers.1.self_attn.o_proj.weight')).toEqual([8, 8]);
    expect(s.get('model.layers.0.mlp.gate_proj.weight')).toEqual([12, 8]);
    expect(s.get('model.layers.0.mlp.down_proj.weight')).toEqual([8, 12]);
    expect(s.get('model.layers.0.input_layernorm.weight')).toEqual([8]);
    expect(s.get('lm_head.weight')).toEqual([16, 8]);
    expect(s.size).toBe(1 + 2 * 9 + 2);
  });

  it('has no lm_head when embeddings are tied', () => {
    const tied = parseConfig({ ...TINY_CONFIG, tie_word_embeddings: true });
    expect(paramShapes(tied).has('lm_head.weight')).toBe(false);
  });
});

describe('initParams', () => {
  it('draws matrices from N(0, 0.02²) and sets norms to 1, the same for the same seed', () => {
    const a = initParams(TINY_CONFIG, 5);
    const b = initParams(TINY_CONFIG, 5);
    const c = initParams(TINY_CONFIG, 6);
    const w = Array.from(a.get('model.embed_tokens.weight')!.dataSync());
    const mean = w.reduce((s, x) => s + x, 0) / w.length;
    const std = Math.sqrt(w.reduce((s, x) => s + (x - mean) ** 2, 0) / w.length);
    expect(std).toBeGreaterThan(0.015); // 128 draws: std within ±25% of 0.02
    expect(std).toBeLessThan(0.025);
    expect(Array.from(a.get('model.norm.weight')!.dataSync())).toEqual(new Array(8).fill(1));
    expect(Array.from(b.get('model.layers.0.self_attn.q_proj.weight')!.dataSync())).toEqual(Array.from(a.get('model.layers.0.self_attn.q_proj.weight')!.dataSync()));
    expect(Array.from(c.get('model.layers.0.self_attn.q_proj.weight')!.dataSync())).not.toEqual(Array.from(a.get('model.layers.0.self_attn.q_proj.weight')!.dataSync()));
    const before = tf.memory().numTensors;
    [a, b, c].forEach(disposeParams);
    expect(tf.memory().numTensors).toBe(before - 3 * a.size);
  });
});
