// Shared helpers for the model tests: the numpy reference fixture and a tiny config.
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseConfig, type LlamaConfig } from '../../../src/core/model/config';
import type { Params } from '../../../src/core/model/params';

export interface ReferenceCase {
  name: string;
  config: LlamaConfig;
  params: Params;
  ids: number[][];
  labelMask: number[][];
  logits: number[][][];
  loss: number;
}

interface RawCase {
  name: string;
  config: unknown;
  params: Record<string, { shape: number[]; data: number[] }>;
  ids: number[][];
  label_mask: number[][];
  logits: number[][][];
  loss: number;
}

/** The cases of tests/fixtures/model/llama_reference.json (made by scripts/fixtures/make_llama_fixture.py). */
export function loadReferenceCases(): ReferenceCase[] {
  const path = fileURLToPath(new URL('../../fixtures/model/llama_reference.json', import.meta.url));
  const raw = JSON.parse(readFileSync(path, 'utf8')) as { cases: RawCase[] };
  return raw.cases.map((c) => ({
    name: c.name,
    config: parseConfig(c.config),
    params: new Map(Object.entries(c.params).map(([n, p]) => [n, tf.tensor(p.data, p.shape, 'float32')])),
    ids: c.ids,
    labelMask: c.label_mask,
    logits: c.logits,
    loss: c.loss,
  }));
}

/** 2 layers, d = 8, 2 heads over 1 kv head, intermediate 12, vocab 16. */
export const TINY_CONFIG: LlamaConfig = parseConfig({
  model_type: 'llama',
  vocab_size: 16,
  hidden_size: 8,
  intermediate_size: 12,
  num_hidden_layers: 2,
  num_attention_heads: 2,
  num_key_value_heads: 1,
  rms_norm_eps: 1e-6,
  rope_theta: 10000,
  max_position_embeddings: 64,
  tie_word_embeddings: false,
  hidden_act: 'silu',
});
