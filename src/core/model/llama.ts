/**
 * The Llama decoder (the same function as Hugging Face's LlamaForCausalLM for the
 * same weights) and the response-masked language-model loss.
 */
import * as tf from '@tensorflow/tfjs';
import type { LlamaConfig } from './config';
import { headDim } from './config';
import { causalMask, selfAttention, type AttentionContext } from './attention';
import { defaultMatMulMode, linear, matMul, wantsWeightGrad, type LinearOptions, type MatMulMode } from './linear';
import { getParam, withBias, type Params } from './params';
import { ropeTables } from './rope';

/**
 * Options of the forward pass: matMul flavour (defaults to the fastest for the
 * backend), factor capture for statistics, and which weights will be differentiated
 * (see LinearOptions).
 */
export interface ForwardOptions extends LinearOptions {
  mode?: MatMulMode;
  /**
   * Embed by gather instead of a one-hot product: T·d instead of T·V floats, but with no
   * gradient for the embedding (gather's gradient has no wasm kernel); for callers that
   * do not differentiate it (statistics take it only when square).
   */
  gatherEmbedding?: boolean;
  /** Compute logits only for rows [start, end) of the flattened [B·T] positions (the response); the result is then [1, end − start, V]. */
  logitRows?: [number, number];
}

/**
 * HF LlamaRMSNorm: weight · x / √(mean(x²) + eps) over the last axis; x [N, d], weight [d].
 * One op with its gradient written out: with r = 1/√(mean(x²) + eps), x̂ = x r and
 * g = dy · weight, dx = r (g − x̂ mean(g x̂)) and dweight = Σ_rows dy x̂. Autodiff of
 * its six steps taped each one, kept a copy of every input it saved and ran ~20
 * kernels backward; this keeps x̂ and r and runs 8. With `weightGrad` false the weight
 * is a constant of the op (statistics differentiate no norm weight): backward computes
 * dx alone, not the column sum of dy x̂ nobody reads.
 */
export function rmsNorm(x: tf.Tensor2D, weight: tf.Tensor, eps: number, weightGrad = true): tf.Tensor2D {
  return weightGrad ? rmsNormOp(eps)(x, weight) : constantWeightRmsNorm(weight, eps)(x);
}

/** dx of RMSNorm: r (g − x̂ mean(g x̂)) with g = dy · weight. */
function rmsNormInputGrad(dy: tf.Tensor, normed: tf.Tensor, r: tf.Tensor, weight: tf.Tensor): tf.Tensor {
  const g = tf.mul(dy, weight); // [N, d]
  return tf.mul(r, tf.sub(g, tf.mul(normed, tf.mean(tf.mul(g, normed), -1, true))));
}

/** x̂ = x / √(mean(x²) + eps) and r = 1/√(mean(x²) + eps) [N, 1]. */
function rmsNormalize(x: tf.Tensor2D, eps: number): { normed: tf.Tensor2D; r: tf.Tensor } {
  const r = tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), eps)); // [N, 1]
  return { normed: tf.mul(x, r) as tf.Tensor2D, r };
}

function constantWeightRmsNorm(weight: tf.Tensor, eps: number): (x: tf.Tensor2D) => tf.Tensor2D {
  return tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    const { normed, r } = rmsNormalize(x, eps);
    save([normed, r]);
    return {
      value: tf.mul(weight, normed) as tf.Tensor2D,
      gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => tf.tidy(() => [rmsNormInputGrad(dy, saved[0], saved[1], weight)]),
    };
  }) as (x: tf.Tensor2D) => tf.Tensor2D;
}

function rmsNormOp(eps: number): (x: tf.Tensor2D, weight: tf.Tensor) => tf.Tensor2D {
  return tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x, weight, save] = args as [tf.Tensor2D, tf.Tensor, tf.GradSaveFunc];
    const { normed, r } = rmsNormalize(x, eps);
    save([normed, r, weight]);
    return {
      value: tf.mul(weight, normed) as tf.Tensor2D,
      gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const [sx, sr, sw] = saved;
          const dx = rmsNormInputGrad(dy, sx, sr, sw);
          const dw = tf.reshape(tf.sum(tf.mul(dy, sx), 0), sw.shape);
          return [dx, dw];
        }),
    };
  }) as (x: tf.Tensor2D, weight: tf.Tensor) => tf.Tensor2D;
}

/**
 * Llama's gated MLP activation SiLU(gate) · up, as one op: backward, with s = σ(gate),
 * d gate = dy · up · s (1 + gate (1 − s)) and d up = dy · gate · s (autodiff taped three
 * steps and saved five tensors).
 */
export const swiGlu = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [gate, up, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([gate, up]);
  return {
    value: tf.mul(tf.mul(gate, tf.sigmoid(gate)), up) as tf.Tensor2D,
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) =>
      tf.tidy(() => {
        const [g, u] = saved;
        const s = tf.sigmoid(g);
        const dUp = tf.mul(dy, tf.mul(g, s));
        const dGate = tf.mul(tf.mul(dy, u), tf.mul(s, tf.add(1, tf.mul(g, tf.sub(1, s)))));
        return [dGate, dUp];
      }),
  };
}) as (gate: tf.Tensor2D, up: tf.Tensor2D) => tf.Tensor2D;

/**
 * Logits of a causal Llama: ids [B, T] int32 → [B, T, V]. Differentiable w.r.t. every
 * parameter (plain tensors or tf.Variables), or only those `options.weightGrads` lists
 * among the linear weights. Call inside tf.tidy (or dispose the result).
 */
export function forwardLogits(config: LlamaConfig, params: Params, ids: tf.Tensor2D, options: ForwardOptions = {}): tf.Tensor3D {
  const [b, t] = ids.shape;
  const mode = options.mode ?? defaultMatMulMode();
  const eps = config.rms_norm_eps;
  const hd = headDim(config);
  const { cos, sin } = ropeTables(t, hd, config.rope_theta, config.rope_scaling); // [T, hd]
  const linearOptions: LinearOptions = { capture: options.capture, weightGrads: options.weightGrads };
  const ctx: AttentionContext = {
    cos: tf.reshape(cos, [t, 1, hd]),
    sin: tf.reshape(sin, [t, 1, hd]),
    mask: causalMask(t),
    mode,
    linear: linearOptions,
  };
  const lin = (x: tf.Tensor2D, name: string) =>
    withBias(linear(x, getParam(params, name) as tf.Tensor2D, mode, name, linearOptions), params, name.replace(/weight$/, 'bias'));

  const norm = (x: tf.Tensor2D, name: string) => rmsNorm(x, getParam(params, name), eps, wantsWeightGrad(linearOptions, name));

  const embed = getParam(params, 'model.embed_tokens.weight'); // [V, d]
  const flatIds = tf.reshape(tf.cast(ids, 'int32'), [b * t]);
  // One-hot product unless asked to gather: gather's gradient (UnsortedSegmentSum) has no wasm kernel.
  let x = (options.gatherEmbedding ? tf.gather(embed, flatIds) : matMul(tf.cast(tf.oneHot(flatIds, config.vocab_size), 'float32'), embed, mode)) as tf.Tensor2D; // [B*T, d]
  for (let i = 0; i < config.num_hidden_layers; i++) {
    const p = `model.layers.${i}`;
    const h = norm(x, `${p}.input_layernorm.weight`); // [B*T, d]
    x = tf.add(x, selfAttention(config, params, i, h, b, t, ctx)) as tf.Tensor2D;
    const h2 = norm(x, `${p}.post_attention_layernorm.weight`); // [B*T, d]
    const gate = lin(h2, `${p}.mlp.gate_proj.weight`); // [B*T, ff]
    const up = lin(h2, `${p}.mlp.up_proj.weight`); // [B*T, ff]
    const act = swiGlu(gate, up); // SiLU(gate) · up
    x = tf.add(x, lin(act, `${p}.mlp.down_proj.weight`)) as tf.Tensor2D; // [B*T, d]
  }
  const rows = options.logitRows;
  const last = rows ? tf.slice(x, [rows[0], 0], [rows[1] - rows[0], -1]) : x; // [R, d]
  const hf = norm(last, 'model.norm.weight'); // [R, d]
  const headName = config.tie_word_embeddings ? 'model.embed_tokens.weight' : 'lm_head.weight';
  const logits = lin(hf, headName); // [R, V]
  return rows ? tf.reshape(logits, [1, rows[1] - rows[0], config.vocab_size]) : tf.reshape(logits, [b, t, config.vocab_size]);
}

/**
 * Mean cross-entropy over counted labels, with HF's shift: logits[:, t] predicts
 * ids[:, t+1], which counts when labelMask[:, t+1] = 1 (response tokens; 0 for prompt
 * and padding). logits [B, T, V], ids and labelMask [B, T]. Returns 0 when no label
 * counts (HF would return NaN; 0 keeps a training step harmless).
 */
export function maskedLoss(logits: tf.Tensor3D, ids: tf.Tensor2D, labelMask: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const [b, t, v] = logits.shape;
    if (t < 2) return tf.scalar(0);
    const pred = tf.slice(logits, [0, 0, 0], [b, t - 1, v]); // [B, T-1, V]
    const targets = tf.slice(ids, [0, 1], [b, t - 1]); // [B, T-1]
    const mask = tf.cast(tf.slice(labelMask, [0, 1], [b, t - 1]), 'float32'); // [B, T-1]
    const logp = tf.logSoftmax(pred, -1); // [B, T-1, V]
    const nll = tf.neg(tf.sum(tf.mul(logp, tf.oneHot(tf.cast(targets, 'int32'), v)), -1)); // [B, T-1]
    const count = tf.sum(mask);
    return tf.div(tf.sum(tf.mul(nll, mask)), tf.maximum(count, 1)) as tf.Scalar;
  });
}

/** labelMask [1, T] for one sample: 1 from `responseStart` on, 0 before. */
export function responseMask(length: number, responseStart: number): tf.Tensor2D {
  const m = new Float32Array(length);
  for (let i = Math.max(0, responseStart); i < length; i++) m[i] = 1;
  return tf.tensor2d(m, [1, length]);
}
