/**
 * One training step of the Llama model and what it needs: the learning-rate schedule
 * (linear warmup, then cosine decay), AdamW with global-norm gradient clipping, and the
 * held-out loss. Pure: batches come in as arrays, parameters as tensors; no I/O.
 */
import * as tf from '@tensorflow/tfjs';
import type { LlamaConfig } from './config';
import { forwardLogits, maskedLoss } from './llama';
import type { Params } from './params';

/** A batch: ids and label mask, both [B, T] (mask 1 where a label counts; HF shift applies). */
export interface Batch {
  ids: number[][];
  mask: number[][];
}

/** Hyper-parameters of the optimizer and schedule. */
export interface TrainHyper {
  peakLr: number;
  warmupSteps: number;
  totalSteps: number;
  /** The schedule ends at peakLr · minLrRatio. */
  minLrRatio: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** Decoupled weight decay, applied to matrices only (not norm weights). */
  weightDecay: number;
  /** Clip the global gradient norm to this (0 = no clipping). */
  clipNorm: number;
}

/** Defaults that train the shipped models: peak 3e-3, 5% warmup, cosine to 10%, β = (0.9, 0.95), decay 0.05, clip 1. */
export const DEFAULT_HYPER: TrainHyper = {
  peakLr: 3e-3,
  warmupSteps: 50,
  totalSteps: 1000,
  minLrRatio: 0.1,
  beta1: 0.9,
  beta2: 0.95,
  eps: 1e-8,
  weightDecay: 0.05,
  clipNorm: 1,
};

/**
 * Learning rate at a 0-based step: linear warmup from peakLr/warmup to peakLr over
 * `warmupSteps`, then cosine decay to peakLr·minLrRatio at `totalSteps`; constant at the
 * floor after that. Example: peak 1, warmup 10, total 110, ratio 0 → step 0: 0.1,
 * step 9: 1, step 60: 0.5, step 110: 0.
 */
export function learningRate(step: number, h: Pick<TrainHyper, 'peakLr' | 'warmupSteps' | 'totalSteps' | 'minLrRatio'>): number {
  if (step < h.warmupSteps) return (h.peakLr * (step + 1)) / h.warmupSteps;
  const span = Math.max(1, h.totalSteps - h.warmupSteps);
  const progress = Math.min(1, (step - h.warmupSteps) / span);
  const floor = h.peakLr * h.minLrRatio;
  return floor + 0.5 * (h.peakLr - floor) * (1 + Math.cos(Math.PI * progress));
}

/** AdamW state: steps taken and first/second moments by parameter name. */
export interface AdamState {
  step: number;
  m: Params;
  v: Params;
}

/** Zero moments for every parameter (the caller owns and disposes them). */
export function initAdam(params: Params): AdamState {
  const m: Params = new Map();
  const v: Params = new Map();
  for (const [name, t] of params) {
    m.set(name, tf.zerosLike(t));
    v.set(name, tf.zerosLike(t));
  }
  return { step: 0, m, v };
}

/** Result of a training step. */
export interface StepResult {
  params: Params;
  adam: AdamState;
  loss: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
}

/**
 * One AdamW step on a batch at learning rate `lr`. Returns new parameters and optimizer
 * state and disposes the old ones (do not reuse them). A non-finite loss or gradient
 * skips the update (parameters kept, step not counted) and reports the loss as is.
 */
export function trainStep(config: LlamaConfig, params: Params, adam: AdamState, batch: Batch, lr: number, h: TrainHyper): StepResult {
  const names = [...params.keys()];
  let lossValue = NaN;
  let normValue = NaN;
  // [p, m, v] per parameter, in `names` order; empty when the step is skipped.
  const next: tf.Tensor[] = tf.tidy(() => {
    const ids = tf.tensor2d(batch.ids, undefined, 'int32'); // [B, T]
    const mask = tf.tensor2d(batch.mask, undefined, 'float32'); // [B, T]
    const lossOf = (...ts: tf.Tensor[]): tf.Scalar => {
      const p: Params = new Map(names.map((n, i) => [n, ts[i]]));
      return maskedLoss(forwardLogits(config, p, ids), ids, mask);
    };
    const { value, grads } = tf.valueAndGrads(lossOf)(names.map((n) => params.get(n)!));
    normValue = tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))).dataSync()[0];
    lossValue = value.dataSync()[0];
    if (!Number.isFinite(normValue) || !Number.isFinite(lossValue)) return [];
    const scale = h.clipNorm > 0 && normValue > h.clipNorm ? h.clipNorm / normValue : 1;
    const t = adam.step + 1;
    const c1 = 1 - h.beta1 ** t;
    const c2 = 1 - h.beta2 ** t;
    return names.flatMap((name, i) => {
      const p = params.get(name)!;
      const g = scale === 1 ? grads[i] : tf.mul(grads[i], scale);
      const m = tf.add(tf.mul(adam.m.get(name)!, h.beta1), tf.mul(g, 1 - h.beta1));
      const v = tf.add(tf.mul(adam.v.get(name)!, h.beta2), tf.mul(tf.square(g), 1 - h.beta2));
      const update = tf.div(tf.div(m, c1), tf.add(tf.sqrt(tf.div(v, c2)), h.eps));
      const decayed = p.rank > 1 && h.weightDecay > 0 ? tf.mul(p, 1 - lr * h.weightDecay) : p;
      return [tf.sub(decayed, tf.mul(update, lr)), m, v];
    });
  });
  if (next.length === 0) return { params, adam, loss: lossValue, gradNorm: normValue };
  const newParams: Params = new Map();
  const m: Params = new Map();
  const v: Params = new Map();
  names.forEach((name, i) => {
    newParams.set(name, next[3 * i]);
    m.set(name, next[3 * i + 1]);
    v.set(name, next[3 * i + 2]);
  });
  tf.dispose([...params.values(), ...adam.m.values(), ...adam.v.values()]);
  return { params: newParams, adam: { step: adam.step + 1, m, v }, loss: lossValue, gradNorm: normValue };
}

/**
 * Mean cross-entropy (nats per counted token) over all counted labels of the batches,
 * each token weighted equally. NaN when no label counts (empty input).
 */
export function evalLoss(config: LlamaConfig, params: Params, batches: readonly Batch[]): number {
  let total = 0;
  let count = 0;
  for (const batch of batches) {
    const n = batch.mask.reduce((s, row) => s + row.slice(1).reduce((a, b) => a + b, 0), 0);
    if (n === 0) continue;
    const loss = tf.tidy(() => {
      const ids = tf.tensor2d(batch.ids, undefined, 'int32');
      return maskedLoss(forwardLogits(config, params, ids), ids, tf.tensor2d(batch.mask, undefined, 'float32')).dataSync()[0];
    });
    total += loss * n;
    count += n;
  }
  return count > 0 ? total / count : NaN;
}
