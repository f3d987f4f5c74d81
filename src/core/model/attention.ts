/**
 * Causal self-attention of a Llama layer: q/k/v projections, rotary positions,
 * grouped-query heads (HF `repeat_kv`), softmax(q kᵀ / √hd + mask) v, o projection.
 */
import * as tf from '@tensorflow/tfjs';
import { headDim, type LlamaConfig } from './config';
import { linear, matMul, matMulBT, type FactorCapture, type MatMulMode } from './linear';
import { headRmsNorm } from './headNorm';
import { getParam, withBias, type Params } from './params';
import { applyRope } from './rope';

/** Per-call constants shared by all layers: rotary tables and the additive causal mask. */
export interface AttentionContext {
  cos: tf.Tensor2D; // [T, hd]
  sin: tf.Tensor2D; // [T, hd]
  mask: tf.Tensor2D; // [T, T], 0 on and below the diagonal, -1e9 above
  mode: MatMulMode;
  capture?: FactorCapture;
}

/** Additive causal mask [T, T]: 0 where key ≤ query, -1e9 above the diagonal (exp underflows to 0 exactly). */
export function causalMask(seqLen: number): tf.Tensor2D {
  const m = new Float32Array(seqLen * seqLen);
  for (let i = 0; i < seqLen; i++) for (let j = i + 1; j < seqLen; j++) m[i * seqLen + j] = -1e9;
  return tf.tensor2d(m, [seqLen, seqLen]);
}

/** [B*T, heads*hd] → [B, heads, T, hd]. */
function splitHeads(x: tf.Tensor2D, b: number, t: number, heads: number, hd: number): tf.Tensor4D {
  return tf.transpose(tf.reshape(x, [b, t, heads, hd]), [0, 2, 1, 3]);
}

/** HF `repeat_kv`: [B, KV, T, hd] → [B, KV·nRep, T, hd], query head h reads kv head ⌊h / nRep⌋. */
function repeatKv(x: tf.Tensor4D, nRep: number): tf.Tensor4D {
  if (nRep === 1) return x;
  const [b, kv, t, hd] = x.shape;
  // tile, not gather: gather's gradient (UnsortedSegmentSum) has no wasm kernel.
  // rank 4, because tile's gradient is implemented up to rank 4 only.
  const tiled = tf.tile(tf.reshape(x, [b, kv, 1, t * hd]), [1, 1, nRep, 1]); // [B, KV, nRep, T*hd]
  return tf.reshape(tiled, [b, kv * nRep, t, hd]);
}

/** Self-attention of layer `layer` on normed input h [B*T, d] → [B*T, d] (before the residual add). */
export function selfAttention(
  config: LlamaConfig,
  params: Params,
  layer: number,
  h: tf.Tensor2D,
  b: number,
  t: number,
  ctx: AttentionContext,
): tf.Tensor2D {
  const p = `model.layers.${layer}.self_attn`;
  const hd = headDim(config);
  const nH = config.num_attention_heads;
  const nKv = config.num_key_value_heads;
  const w = (n: string) => getParam(params, `${p}.${n}.weight`) as tf.Tensor2D;
  const lin = (x: tf.Tensor2D, n: string) => withBias(linear(x, w(n), ctx.mode, `${p}.${n}.weight`, ctx.capture), params, `${p}.${n}.bias`);
  // Qwen3: per-head RMSNorm of q and k before the rotation.
  const norm = (x: tf.Tensor2D, n: string) => (config.qk_norm ? headRmsNorm(x, getParam(params, `${p}.${n}.weight`), hd, config.rms_norm_eps) : x);

  const q = applyRope(splitHeads(norm(lin(h, 'q_proj'), 'q_norm'), b, t, nH, hd), ctx.cos, ctx.sin); // [B, H, T, hd]
  const k = repeatKv(applyRope(splitHeads(norm(lin(h, 'k_proj'), 'k_norm'), b, t, nKv, hd), ctx.cos, ctx.sin), nH / nKv); // [B, H, T, hd]
  const v = repeatKv(splitHeads(lin(h, 'v_proj'), b, t, nKv, hd), nH / nKv); // [B, H, T, hd]

  const scores = tf.add(tf.mul(matMulBT(q, k, ctx.mode), 1 / Math.sqrt(hd)), ctx.mask); // [B, H, T, T]
  const probs = tf.softmax(scores, -1); // [B, H, T, T]
  const out = matMul(probs, v, ctx.mode); // [B, H, T, hd]
  const merged = tf.reshape(tf.transpose(out, [0, 2, 1, 3]), [b * t, nH * hd]) as tf.Tensor2D; // [B*T, H*hd]
  return lin(merged, 'o_proj'); // [B*T, d]
}
