/**
 * Parameters of the Llama model, keyed by Hugging Face names, with HF shapes
 * (linear weights are [out, in]).
 */
import * as tf from '@tensorflow/tfjs';
import { headDim, type LlamaConfig } from './config';

/** Parameters by HF name; linear weights [out, in]; may hold tf.Variables when training. */
export type Params = Map<string, tf.Tensor>;

/**
 * Every parameter's name and shape, in HF order: embed_tokens, then per layer
 * input_layernorm, q/k/v/o_proj, post_attention_layernorm, gate/up/down_proj, then
 * model.norm and lm_head (absent when embeddings are tied).
 */
export function paramShapes(config: LlamaConfig): Map<string, number[]> {
  const d = config.hidden_size;
  const hd = headDim(config);
  const qOut = config.num_attention_heads * hd;
  const kvOut = config.num_key_value_heads * hd;
  const ff = config.intermediate_size;
  const shapes = new Map<string, number[]>();
  shapes.set('model.embed_tokens.weight', [config.vocab_size, d]);
  for (let i = 0; i < config.num_hidden_layers; i++) {
    const p = `model.layers.${i}`;
    shapes.set(`${p}.input_layernorm.weight`, [d]);
    shapes.set(`${p}.self_attn.q_proj.weight`, [qOut, d]);
    shapes.set(`${p}.self_attn.k_proj.weight`, [kvOut, d]);
    shapes.set(`${p}.self_attn.v_proj.weight`, [kvOut, d]);
    shapes.set(`${p}.self_attn.o_proj.weight`, [d, qOut]);
    shapes.set(`${p}.post_attention_layernorm.weight`, [d]);
    shapes.set(`${p}.mlp.gate_proj.weight`, [ff, d]);
    shapes.set(`${p}.mlp.up_proj.weight`, [ff, d]);
    shapes.set(`${p}.mlp.down_proj.weight`, [d, ff]);
  }
  shapes.set('model.norm.weight', [d]);
  if (!config.tie_word_embeddings) shapes.set('lm_head.weight', [config.vocab_size, d]);
  return shapes;
}

/**
 * Fresh parameters as Hugging Face initialises Llama: matrices (and embeddings) from
 * N(0, 0.02²), norm weights 1. Deterministic for a seed on every backend (tfjs draws
 * random numbers in JS). The caller owns (and disposes) the tensors.
 */
export function initParams(config: LlamaConfig, seed: number): Params {
  const params: Params = new Map();
  let k = 0;
  for (const [name, shape] of paramShapes(config)) {
    const t = shape.length === 1 ? tf.ones(shape, 'float32') : tf.randomNormal(shape, 0, 0.02, 'float32', seed * 100003 + k);
    params.set(name, t);
    k++;
  }
  return params;
}

/** Dispose every tensor of a parameter map. */
export function disposeParams(params: Params): void {
  for (const t of params.values()) t.dispose();
}

/** Look a parameter up, failing with its name when missing. */
export function getParam(params: Params, name: string): tf.Tensor {
  const t = params.get(name);
  if (!t) throw new Error(`missing parameter ${name}`);
  return t;
}
