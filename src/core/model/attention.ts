/**
 * Causal self-attention of a Llama layer: q/k/v projections, rotary positions,
 * grouped-query heads (HF `repeat_kv`: query head h reads key/value head ⌊h / nRep⌋),
 * softmax(q kᵀ / √hd + mask) v, o projection.
 *
 * Each (sequence, head) pair is its own pair of 2-D matMuls on slices of the
 * projections, and a key/value head is indexed by the query heads that read it, never
 * tiled: tfjs-wasm multiplies rank-2 matrices ~10× faster than batched rank-4 ones, and
 * a shared key/value head then gets its gradient summed by autodiff instead of through
 * a tile's gradient. A head is one custom-gradient op that keeps only its probabilities
 * P [T, T] for the backward pass (autodiff kept the scores and the masked scores too,
 * three T×T matrices per head alive until the end of the sample).
 */
import * as tf from '@tensorflow/tfjs';
import { headDim, type LlamaConfig } from './config';
import { headRmsNorm } from './headNorm';
import { linear, wantsWeightGrad, type LinearOptions, type MatMulMode } from './linear';
import { getParam, withBias, type Params } from './params';
import { applyRope, applyRopeGradient } from './rope';

/** Per-call constants shared by all layers: rotary tables and the additive causal mask. */
export interface AttentionContext {
  cos: tf.Tensor3D; // [T, 1, hd], broadcast over heads
  sin: tf.Tensor3D; // [T, 1, hd]
  mask: tf.Tensor2D; // [T, T], 0 on and below the diagonal, -1e9 above
  mode: MatMulMode;
  linear: LinearOptions;
}

/** Additive causal mask [T, T]: 0 where key ≤ query, -1e9 above the diagonal (exp underflows to 0 exactly). */
export function causalMask(seqLen: number): tf.Tensor2D {
  const m = new Float32Array(seqLen * seqLen);
  for (let i = 0; i < seqLen; i++) for (let j = i + 1; j < seqLen; j++) m[i * seqLen + j] = -1e9;
  return tf.tensor2d(m, [seqLen, seqLen]);
}

/** a·b with a and/or b transposed: explicit transposes in `transposed` mode (tfjs-wasm), tfjs's flags otherwise. */
function product(a: tf.Tensor2D, b: tf.Tensor2D, transposeA: boolean, transposeB: boolean, mode: MatMulMode): tf.Tensor2D {
  if (mode === 'native') return tf.matMul(a, b, transposeA, transposeB);
  return tf.matMul(transposeA ? tf.transpose(a) : a, transposeB ? tf.transpose(b) : b);
}

/**
 * One head's causal attention, softmax(q kᵀ + mask) v, with its gradient written out:
 * q [T, hd] (already scaled by 1/√hd), kT [hd, T], v [T, hd] → [T, hd]. With P the
 * probabilities and dO the output's gradient: dV = Pᵀ dO, dP = dO Vᵀ,
 * dS = P ⊙ (dP − rowsum(dP ⊙ P)) (the softmax's Jacobian), dQ = dS K, dKᵀ = Qᵀ dS.
 * In `transposed` mode a T×T matrix is always the left operand: tfjs-wasm's matMul
 * (XNNPACK) packs its right operand afresh for every new tensor, which for Qᵀ dS
 * ([hd, T] · [T, T]) cost twice the product itself; transposing P and dS (a SIMD
 * kernel, wasmCopyKernels.ts) and packing only [T, hd] halved these products' time.
 */
function attentionHead(mask: tf.Tensor2D, mode: MatMulMode): (q: tf.Tensor2D, kT: tf.Tensor2D, v: tf.Tensor2D) => tf.Tensor2D {
  return tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [q, kT, v, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
    // Scores and masked scores die here, not at the end of the forward pass.
    const probs = tf.tidy(() => tf.softmax(tf.add(tf.matMul(q, kT), mask), -1) as tf.Tensor2D); // [T, T]
    save([q, kT, v, probs]);
    return {
      value: tf.matMul(probs, v) as tf.Tensor2D, // [T, hd]
      // tfjs runs a custom gradient outside any tidy of its own, so without this one every
      // T×T step of every head stayed allocated until the whole backward pass ended.
      gradFunc: (dO: tf.Tensor2D, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const [sq, skT, sv, p] = saved as tf.Tensor2D[];
          const dV = product(p, dO, true, false, mode); // [T, hd]
          const dP = product(dO, sv, false, true, mode); // [T, T]
          const dS = tf.mul(p, tf.sub(dP, tf.sum(tf.mul(dP, p), -1, true))) as tf.Tensor2D; // [T, T]
          const dQ = product(dS, skT, false, true, mode); // [T, hd]
          // dKᵀ = Qᵀ dS, taken as (dSᵀ Q)ᵀ in `transposed` mode (see the comment above).
          const dKT = mode === 'native' ? tf.matMul(sq, dS, true, false) : tf.transpose(tf.matMul(tf.transpose(dS), sq)); // [hd, T]
          return [dQ, dKT, dV];
        }),
    };
  }) as (q: tf.Tensor2D, kT: tf.Tensor2D, v: tf.Tensor2D) => tf.Tensor2D;
}

/** x split into n equal parts along an axis (tfjs's split of one part breaks its gradient). */
function parts(x: tf.Tensor2D, n: number, axis: number): tf.Tensor2D[] {
  return n === 1 ? [x] : tf.split(x, n, axis);
}

/**
 * Rotary positions on a projection x [B*T, n*hd] (n heads side by side), times `scale`
 * → [B*T, n*hd]. One op with its gradient written out (applyRopeGradient): the rotation
 * is linear, so backward needs no saved tensor, where autodiff taped its seven steps.
 */
function rope(x: tf.Tensor2D, b: number, t: number, n: number, hd: number, ctx: AttentionContext, scale = 1): tf.Tensor2D {
  const shape4: [number, number, number, number] = [b, t, n, hd];
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [input] = args as [tf.Tensor2D];
    const rotated = tf.reshape(applyRope(tf.reshape(input, shape4), ctx.cos, ctx.sin), [b * t, n * hd]);
    return {
      value: (scale === 1 ? rotated : tf.mul(rotated, scale)) as tf.Tensor2D,
      gradFunc: (dy: tf.Tensor2D) =>
        tf.tidy(() => {
          const d = tf.reshape(scale === 1 ? dy : tf.mul(dy, scale), shape4);
          return [tf.reshape(applyRopeGradient(d, ctx.cos, ctx.sin), [b * t, n * hd])];
        }),
    };
  }) as (input: tf.Tensor2D) => tf.Tensor2D;
  return op(x);
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
  const nRep = nH / nKv;
  const lin = (x: tf.Tensor2D, n: string) =>
    withBias(linear(x, getParam(params, `${p}.${n}.weight`) as tf.Tensor2D, ctx.mode, `${p}.${n}.weight`, ctx.linear), params, `${p}.${n}.bias`);
  // Qwen3: per-head RMSNorm of q and k before the rotation.
  const norm = (x: tf.Tensor2D, n: string) =>
    config.qk_norm ? headRmsNorm(x, getParam(params, `${p}.${n}.weight`), hd, config.rms_norm_eps, wantsWeightGrad(ctx.linear, `${p}.${n}.weight`)) : x;

  // The 1/√hd of the scores is folded into q: one scale of [B*T, H*hd] instead of H of [T, T].
  const q = rope(norm(lin(h, 'q_proj'), 'q_norm'), b, t, nH, hd, ctx, 1 / Math.sqrt(hd)); // [B*T, H*hd]
  const kT = tf.transpose(rope(norm(lin(h, 'k_proj'), 'k_norm'), b, t, nKv, hd, ctx)) as tf.Tensor2D; // [KV*hd, B*T]
  const v = lin(h, 'v_proj'); // [B*T, KV*hd]

  const qs = parts(q, b, 0); // per sequence [T, H*hd]
  const kTs = parts(kT, b, 1); // per sequence [KV*hd, T]
  const vs = parts(v, b, 0); // per sequence [T, KV*hd]
  const head = attentionHead(ctx.mask, ctx.mode);
  const outputs: tf.Tensor2D[] = [];
  for (let s = 0; s < b; s++) {
    const qHeads = parts(qs[s], nH, 1); // H × [T, hd]
    const kHeads = parts(kTs[s], nKv, 0); // KV × [hd, T]
    const vHeads = parts(vs[s], nKv, 1); // KV × [T, hd]
    const heads = qHeads.map((qh, h) => head(qh, kHeads[Math.floor(h / nRep)], vHeads[Math.floor(h / nRep)])); // H × [T, hd]
    outputs.push(nH === 1 ? heads[0] : tf.concat(heads, 1)); // [T, H*hd]
  }
  const merged = b === 1 ? outputs[0] : (tf.concat(outputs, 0) as tf.Tensor2D); // [B*T, H*hd]
  return lin(merged, 'o_proj'); // [B*T, d]
}
