/**
 * How much memory one sample's statistics take, estimated from the config and the
 * sample length before anything is allocated, so a user hears "this will not fit" with
 * a number instead of a crash (a wasm heap of 4 GB at most; a browser tab a few GB).
 *
 * Terms, all float32 (4 bytes):
 * - weights: every parameter;
 * - activations: what tfjs keeps for the backward pass inside one tf.tidy, per layer
 *   about ACT_PER_TOKEN floats per token (norms, projections, rotary copies, MLP) and
 *   ACT_PER_SCORE per attention score (scores, mask add, softmax), plus the logits at
 *   response positions only (LOGIT_COPIES copies of R × V: logits, log-softmax,
 *   one-hot, their gradients);
 * - gradients: the selected matrices' gradients (q/k/v/o), their factors Δ and X, and
 *   the copies read out to JavaScript for the singular values.
 * The constants were fitted to tf.profile's peak bytes on the wasm backend (the bench's
 * checkpoint section prints estimate against measured peak).
 */
import { headDim, parameterCount, type LlamaConfig } from './config';

/** Default budget: the largest wasm heap tfjs can grow to, less room for the runtime. */
export const DEFAULT_MEMORY_BUDGET = 3 * 1024 ** 3;

const FLOAT = 4;
/** Floats kept per token and layer, in units of (hidden, intermediate, q width, kv width). */
const ACT_PER_TOKEN = { hidden: 14, intermediate: 8, q: 12, kv: 8 };
/** Floats kept per attention score (query × key × head) and layer. */
const ACT_PER_SCORE = 5;
/** Copies of the R × V response logits alive at the peak. */
const LOGIT_COPIES = 5;

/** Bytes by term for one sample of `seqLen` tokens with `responseTokens` scored positions. */
export interface MemoryEstimate {
  weights: number;
  activations: number;
  gradients: number;
  total: number;
}

/**
 * Estimated peak bytes of one sample: see the module comment for the terms.
 * `responseTokens` defaults to the whole sample (the worst case). Example: SmolLM2-135M
 * (30 × 576, vocabulary 49,152) at T = 256: ~0.54 GB of weights, the total under 1 GB.
 */
export function estimateMemory(config: LlamaConfig, seqLen: number, responseTokens = seqLen): MemoryEstimate {
  const t = seqLen;
  const d = config.hidden_size;
  const hd = headDim(config);
  const q = config.num_attention_heads * hd;
  const kv = config.num_key_value_heads * hd;
  const layers = config.num_hidden_layers;
  const perToken = ACT_PER_TOKEN.hidden * d + ACT_PER_TOKEN.intermediate * config.intermediate_size + ACT_PER_TOKEN.q * q + ACT_PER_TOKEN.kv * kv;
  const perScore = ACT_PER_SCORE * config.num_attention_heads * t * t;
  const activations = FLOAT * (layers * (t * perToken + perScore) + LOGIT_COPIES * responseTokens * config.vocab_size + t * d);
  // q/k/v/o gradients (twice: tfjs's and the copy read out), and their factors Δ [T, out] and X [T, in].
  const selected = layers * (2 * d * q + 2 * d * kv);
  const factors = layers * t * (q + d + kv + d + kv + d + d + q);
  const gradients = FLOAT * (2 * selected + factors);
  const weights = FLOAT * parameterCount(config);
  return { weights, activations, gradients, total: weights + activations + gradients };
}

/**
 * The longest sample that fits `budget` bytes (0 when the weights alone do not), found
 * by bisection on estimateMemory; never above `cap` (the model's own maximum).
 */
export function maxLengthWithin(config: LlamaConfig, budget: number, cap: number): number {
  if (estimateMemory(config, 1).total > budget) return 0;
  let lo = 1;
  let hi = cap;
  if (estimateMemory(config, hi).total <= budget) return hi;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (estimateMemory(config, mid).total <= budget) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Bytes as a short human string: "512 B", "3.4 MB", "1.20 GB" (powers of 1000). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return String(bytes);
  if (bytes < 1000) return `${Math.round(bytes)} B`;
  const units = ['kB', 'MB', 'GB', 'TB', 'PB'];
  let v = bytes;
  let i = -1;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${units[i]}`;
}

/** One line for a user: "weights 0.54 GB + activations 0.21 GB + gradients 0.03 GB = 0.78 GB". */
export function describeEstimate(e: MemoryEstimate): string {
  return `weights ${formatBytes(e.weights)} + activations ${formatBytes(e.activations)} + gradients ${formatBytes(e.gradients)} = ${formatBytes(e.total)}`;
}

/** The longest sample a job will run: its tokens and its scored (response) positions. */
export interface SampleShape {
  tokens: number;
  responseTokens: number;
}

/**
 * Checks a sample length against the model's maximum and the budget; returns null when
 * it fits, else one line saying what to change. `maxLength` is the user's choice; the
 * budget is checked at `longest` (the job's longest sample after truncation) when
 * given, else at maxLength with every position scored (the worst case).
 */
export function checkSampleLength(config: LlamaConfig, modelMax: number, maxLength: number, budget: number, longest?: SampleShape): string | null {
  if (!Number.isSafeInteger(maxLength) || maxLength < 1) return `maximum length must be a positive integer, got ${maxLength}`;
  if (maxLength > modelMax) return `maximum length ${maxLength} is above what the model takes (${modelMax} tokens: max_position_embeddings${config.sliding_window ? ' / sliding_window' : ''})`;
  const shape = longest ?? { tokens: maxLength, responseTokens: maxLength };
  const e = estimateMemory(config, shape.tokens, shape.responseTokens);
  if (e.total > budget) {
    const fits = maxLengthWithin(config, budget, modelMax);
    return `a ${shape.tokens}-token sample needs about ${formatBytes(e.total)} (${describeEstimate(e)}), above the memory budget of ${formatBytes(budget)}; ${fits > 0 ? `samples up to ${fits} tokens fit (lower the maximum length), or raise the budget` : 'raise the budget'}`;
  }
  return null;
}
