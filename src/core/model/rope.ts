/**
 * Rotary position embeddings as Hugging Face's Llama applies them (`rotate_half`
 * layout: the first half of each head's channels pairs with the second half).
 */
import * as tf from '@tensorflow/tfjs';

/**
 * cos and sin tables [T, headDim] for positions 0…T-1: angle(t, j) = t · θ^(-2j/headDim)
 * for j < headDim/2, repeated for the second half (HF's `cat(freqs, freqs)`).
 */
export function ropeTables(seqLen: number, headDim: number, theta: number): { cos: tf.Tensor2D; sin: tf.Tensor2D } {
  const half = headDim / 2;
  const cos = new Float32Array(seqLen * headDim);
  const sin = new Float32Array(seqLen * headDim);
  for (let j = 0; j < half; j++) {
    // HF computes inv_freq in float32; Math.fround keeps the same rounding of the frequency.
    const invFreq = Math.fround(1 / Math.pow(theta, (2 * j) / headDim));
    for (let t = 0; t < seqLen; t++) {
      const a = Math.fround(t * invFreq);
      const c = Math.cos(a);
      const s = Math.sin(a);
      cos[t * headDim + j] = c;
      cos[t * headDim + j + half] = c;
      sin[t * headDim + j] = s;
      sin[t * headDim + j + half] = s;
    }
  }
  return { cos: tf.tensor2d(cos, [seqLen, headDim]), sin: tf.tensor2d(sin, [seqLen, headDim]) };
}

/** HF `rotate_half`: x = [x1, x2] on the last axis → [-x2, x1]. */
export function rotateHalf(x: tf.Tensor): tf.Tensor {
  const [x1, x2] = tf.split(x, 2, -1);
  return tf.concat([tf.neg(x2), x1], -1);
}

/** Apply rotary embeddings to x [B, H, T, hd] with tables [T, hd]: x·cos + rotate_half(x)·sin. */
export function applyRope(x: tf.Tensor4D, cos: tf.Tensor2D, sin: tf.Tensor2D): tf.Tensor4D {
  return tf.add(tf.mul(x, cos), tf.mul(rotateHalf(x), sin)) as tf.Tensor4D;
}
