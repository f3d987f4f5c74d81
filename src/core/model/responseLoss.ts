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
  const targets = tf.reshape(tf.slice(ids, [0, from + 1], [1, to - from]), [to - from]); // [R]
  const logp = tf.logSoftmax(logits, -1); // [R, V]
  const picked = tf.sum(tf.mul(logp, tf.oneHot(tf.cast(targets, 'int32'), config.vocab_size)), -1); // [R]
  return tf.neg(tf.mean(picked)) as tf.Scalar;
}
