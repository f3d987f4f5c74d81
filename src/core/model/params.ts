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
 * input_layernorm, q/k/v/o_proj (with their biases when the config has them, and
 * Qwen3's q_norm/k_norm), post_attention_layernorm, gate/up/down_proj, then
 * model.norm and lm_head (absent when embeddings are tied). Lists every layer: check
 * the config against a budget first (parameterCount).
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
    const linear = (name: string, out: number, inp: number, bias: boolean | undefined) => {
      shapes.set(`${p}.${name}.weight`, [out, inp]);
      if (bias) shapes.set(`${p}.${name}.bias`, [out]);
    };
    linear('self_attn.q_proj', qOut, d, config.qkv_bias);
    linear('self_attn.k_proj', kvOut, d, config.qkv_bias);
    linear('self_attn.v_proj', kvOut, d, config.qkv_bias);
    linear('self_attn.o_proj', d, qOut, config.o_bias);
    if (config.qk_norm) {
      shapes.set(`${p}.self_attn.q_norm.weight`, [hd]);
      shapes.set(`${p}.self_attn.k_norm.weight`, [hd]);
    }
    shapes.set(`${p}.post_attention_layernorm.weight`, [d]);
    linear('mlp.gate_proj', ff, d, config.mlp_bias);
    linear('mlp.up_proj', ff, d, config.mlp_bias);
    linear('mlp.down_proj', d, ff, config.mlp_bias);
  }
  shapes.set('model.norm.weight', [d]);
  if (!config.tie_word_embeddings) shapes.set('lm_head.weight', [config.vocab_size, d]);
  return shapes;
}

/**
 * Fresh parameters as Hugging Face initialises Llama: matrices (and embeddings) from
 * N(0, 0.02²), norm weights 1, biases 0. Deterministic for a seed on every backend (tfjs draws
 * random numbers in JS). The caller owns (and disposes) the tensors.
 */
export function initParams(config: LlamaConfig, seed: number): Params {
  const params: Params = new Map();
  let k = 0;
  for (const [name, shape] of paramShapes(config)) {
    const t =
      shape.length > 1
        ? tf.randomNormal(shape, 0, 0.02, 'float32', seed * 100003 + k)
        : name.endsWith('.bias')
          ? tf.zeros(shape, 'float32')
          : tf.ones(shape, 'float32');
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

/**
 * y + the bias named `name` when the model has it (Qwen2's q/k/v, Llama's
 * attention_bias/mlp_bias), else y unchanged: y [N, out], bias [out].
 */
export function withBias(y: tf.Tensor2D, params: Params, name: string): tf.Tensor2D {
  const b = params.get(name);
  return b ? (tf.add(y, b) as tf.Tensor2D) : y;
}
