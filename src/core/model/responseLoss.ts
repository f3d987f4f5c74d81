/**
 * The study's loss for one sample, computed only where it counts: the mean
 * cross-entropy of the response tokens (HF's `labels` with the prompt set to -100),
 * with logits taken at the positions that predict them alone. At a vocabulary of
 * 128k–152k the full [T, V] logits and their softmax would dominate memory; these are
 * [R, V] for R response tokens.
 */
import * as tf from '@tensorflow/tfjs';
import type { LlamaConfig } from './config';
import { forwardLogits, type ForwardOptions } from './llama';
import type { Params } from './params';

/**
 * Mean cross-entropy of logits [R, V] against targets [R], with a gradient written
 * out ((softmax − one-hot) / R) instead of taped through log-softmax: the tape would
 * keep about 16 [R, V] tensors alive (log-softmax's steps, a one-hot, a product, and
 * each one's gradient), this keeps the logits and, during backward, the softmax.
 */
function crossEntropy(targets: tf.Tensor1D, vocab: number): (logits: tf.Tensor2D) => tf.Scalar {
  return tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [logits, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    const rows = logits.shape[0];
    save([logits, targets]); // saved, so the targets outlive the forward pass's scope
    const value = tf.tidy(() => {
      const flat = tf.add(tf.mul(tf.range(0, rows, 1, 'int32'), tf.scalar(vocab, 'int32')), targets); // [R] indices into the flattened logits
      const picked = tf.gather(tf.reshape(logits, [rows * vocab]), flat); // [R]
      return tf.mean(tf.sub(tf.logSumExp(logits, -1), picked)) as tf.Scalar;
    });
    return {
      value,
      gradFunc: (dy: tf.Scalar, saved: tf.Tensor[]) =>
        tf.tidy(() => [tf.mul(tf.sub(tf.softmax(saved[0], -1), tf.oneHot(saved[1] as tf.Tensor1D, vocab)), tf.div(dy, rows))]),
    };
  }) as (logits: tf.Tensor2D) => tf.Scalar;
}

/**
 * Mean cross-entropy over the response of ids [1, T]: position t predicts ids[t + 1],
 * which counts when t + 1 ≥ responseStart (and t + 1 ≥ 1: the first token is never
 * predicted). The same value as maskedLoss(forwardLogits(ids), ids, responseMask(T,
 * responseStart)). Throws when no token counts (the caller reports the sample as NaN).
 * Call inside tf.tidy.
 */
export function responseLoss(config: LlamaConfig, params: Params, ids: tf.Tensor2D, responseStart: number, options: ForwardOptions = {}): tf.Scalar {
  const t = ids.shape[1];
  const from = Math.max(responseStart, 1) - 1; // first predicting position
  const to = t - 1; // the last position predicts nothing
  if (ids.shape[0] !== 1) throw new Error('responseLoss takes one sample');
  if (to <= from) throw new Error(`no response token to score (responseStart ${responseStart}, ${t} tokens)`);
  const logits = tf.reshape(forwardLogits(config, params, ids, { ...options, logitRows: [from, to] }), [to - from, config.vocab_size]); // [R, V]
  const targets = tf.cast(tf.reshape(tf.slice(ids, [0, from + 1], [1, to - from]), [to - from]), 'int32') as tf.Tensor1D; // [R]
  return crossEntropy(targets, config.vocab_size)(logits as tf.Tensor2D);
}
