/**
 * Qwen3's q/k norm: an RMSNorm over each head's channels (weight [head_dim], shared by
 * all heads), applied to the q and k projections before the rotation, as
 * Qwen3Attention does (`q_norm(q_proj(x).view(..., head_dim))`).
 */
import * as tf from '@tensorflow/tfjs';
import { rmsNorm } from './llama';

/** x [N, heads·hd] → the same shape, each hd-wide head normalised and scaled by weight [hd] (a constant when not `weightGrad`, as rmsNorm). */
export function headRmsNorm(x: tf.Tensor2D, weight: tf.Tensor, headDim: number, eps: number, weightGrad = true): tf.Tensor2D {
  const [n, width] = x.shape;
  const perHead = tf.reshape(x, [(n * width) / headDim, headDim]) as tf.Tensor2D; // [N·heads, hd]
  return tf.reshape(rmsNorm(perHead, weight, eps, weightGrad), [n, width]) as tf.Tensor2D;
}
