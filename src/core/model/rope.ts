/**
 * Rotary position embeddings as Hugging Face's Llama applies them (`rotate_half`
 * layout: the first half of each head's channels pairs with the second half).
 */
import * as tf from '@tensorflow/tfjs';
import type { RopeScaling } from './config';

/**
 * Inverse frequencies θ^(-2j/headDim), j < headDim/2, rounded to float32 as HF computes
 * them, then scaled as transformers' rope utils do: `linear` divides by the factor;
 * `llama3` (`_compute_llama3_parameters`) divides low frequencies (wavelength above
 * original_max_position_embeddings / low_freq_factor) by the factor, keeps high ones
 * (wavelength below original / high_freq_factor), and blends in between with
 * smooth = (original / wavelength − low) / (high − low):
 * (1 − smooth) · f / factor + smooth · f.
 */
export function ropeInvFreq(headDim: number, theta: number, scaling?: RopeScaling): Float64Array {
  const half = headDim / 2;
  const out = new Float64Array(half);
  for (let j = 0; j < half; j++) {
    const f = Math.fround(1 / Math.pow(theta, (2 * j) / headDim));
    out[j] = f;
    if (!scaling) continue;
    if (scaling.rope_type === 'linear') {
      out[j] = Math.fround(f / scaling.factor);
      continue;
    }
    const { factor, low_freq_factor: low, high_freq_factor: high, original_max_position_embeddings: old } = scaling;
    const wavelen = (2 * Math.PI) / f;
    if (wavelen < old / high) continue;
    if (wavelen > old / low) {
      out[j] = Math.fround(f / factor);
      continue;
    }
    const smooth = (old / wavelen - low) / (high - low);
    out[j] = Math.fround((1 - smooth) * (f / factor) + smooth * f);
  }
  return out;
}

/**
 * cos and sin tables [T, headDim] for positions 0…T-1: angle(t, j) = t · invFreq[j]
 * (θ^(-2j/headDim), scaled as ropeInvFreq says) for j < headDim/2, repeated for the
 * second half (HF's `cat(freqs, freqs)`).
 */
export function ropeTables(seqLen: number, headDim: number, theta: number, scaling?: RopeScaling): { cos: tf.Tensor2D; sin: tf.Tensor2D } {
  const half = headDim / 2;
  const cos = new Float32Array(seqLen * headDim);
  const sin = new Float32Array(seqLen * headDim);
  // HF computes inv_freq in float32; ropeInvFreq keeps the same rounding of each frequency.
  const freqs = ropeInvFreq(headDim, theta, scaling);
  for (let j = 0; j < half; j++) {
    const invFreq = freqs[j];
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

/**
 * Apply rotary embeddings, x·cos + rotate_half(x)·sin, to x [..., hd] with tables that
 * broadcast against it: [T, hd] for x [B, H, T, hd], or [T, 1, hd] for x [B, T, H, hd].
 */
export function applyRope<T extends tf.Tensor>(x: T, cos: tf.Tensor, sin: tf.Tensor): T {
  return tf.add(tf.mul(x, cos), tf.mul(rotateHalf(x), sin)) as T;
}

/**
 * The gradient of applyRope with respect to x, given the output's gradient dy (same
 * shapes and tables): dy·cos + rotate_halfᵀ(dy·sin), where rotate_halfᵀ([y1, y2]) =
 * [y2, −y1] (the rotation's transpose).
 */
export function applyRopeGradient<T extends tf.Tensor>(dy: T, cos: tf.Tensor, sin: tf.Tensor): T {
  const [y1, y2] = tf.split(tf.mul(dy, sin), 2, -1);
  return tf.add(tf.mul(dy, cos), tf.concat([y2, tf.neg(y1)], -1)) as T;
}
