/**
 * How much memory one sample's statistics take, estimated from the config and the
 * sample length before anything is allocated, so a user hears "this will not fit" with
 * a number instead of a crash ("memory access out of bounds" when tfjs-wasm's heap
 * passes its 4 GB ceiling).
 *
 * Terms, all float32 (4 bytes):
 * - weights: every parameter;
 * - activations: the tensors tfjs holds at the peak of one forward + backward inside
 *   one tf.tidy, beyond the weights. Fitted to tf.profile's peakBytes on the wasm
 *   backend (shapes from 2 × 192 to SmolLM2-135M's 30 × 576: over by 4–23%, never
 *   under): per layer, ACT_PER_HIDDEN floats per hidden unit and ACT_PER_FF per
 *   intermediate unit for each token, ACT_PER_SCORE per head per query-key pair, and
 *   WEIGHT_COPIES of the layer's weights (explicit transposes kept for the backward
 *   pass); plus LOGIT_COPIES copies of the R × V response logits (responseLoss writes
 *   the cross-entropy's gradient out, so the tape holds few of them) and HEAD_COPIES
 *   V × d copies of the LM head;
 * - gradients: the selected matrices' gradients and their factors Δ and X, read out of
 *   tfjs into JavaScript arrays for the singular values (outside the wasm heap).
 * The budget applies to weights + activations (the part that must fit the tfjs heap).
 * The bench's checkpoint section prints estimate against measured peak.
 */
import { headDim, parameterCount, type LlamaConfig } from './config';

/** Default budget: tfjs-wasm's heap ceiling (emscripten's getHeapMax, 4,294,901,760 bytes). */
export const DEFAULT_MEMORY_BUDGET = 4_294_901_760;

const FLOAT = 4;
const ACT_PER_HIDDEN = 100;
const ACT_PER_FF = 8;
const ACT_PER_SCORE = 6;
const WEIGHT_COPIES = 0.66;
const LOGIT_COPIES = 7;
const HEAD_COPIES = 3;

/** Bytes by term for one sample; `heap` (weights + activations) is what the budget limits. */
export interface MemoryEstimate {
  weights: number;
  activations: number;
  gradients: number;
  heap: number;
  total: number;
}

/**
 * Estimated peak bytes of one sample of `seqLen` tokens with `responseTokens` scored
 * positions (default: all of them, the worst case): see the module comment for the
 * terms. Example: SmolLM2-135M (30 × 576, vocabulary 49,152) at T = 256 with 243
 * response tokens: weights 538 MB + activations ~3.7 GB (measured peak 4.11 GB in all).
 */
export function estimateMemory(config: LlamaConfig, seqLen: number, responseTokens = seqLen): MemoryEstimate {
  const t = seqLen;
  const d = config.hidden_size;
  const hd = headDim(config);
  const q = config.num_attention_heads * hd;
  const kv = config.num_key_value_heads * hd;
  const ff = config.intermediate_size;
  const layers = config.num_hidden_layers;
  const layerWeights = 2 * d * q + 2 * d * kv + 3 * d * ff;
  const perLayer = t * (ACT_PER_HIDDEN * d + ACT_PER_FF * ff) + ACT_PER_SCORE * config.num_attention_heads * t * t + WEIGHT_COPIES * layerWeights;
  const activations = FLOAT * (layers * perLayer + LOGIT_COPIES * responseTokens * config.vocab_size + HEAD_COPIES * config.vocab_size * d);
  // q/k/v/o gradients read out, and their factors Δ [T, out] and X [T, in].
  const selected = layers * (2 * d * q + 2 * d * kv);
  const factors = layers * t * (q + d + kv + d + kv + d + d + q);
  const gradients = FLOAT * (selected + factors);
  const weights = FLOAT * parameterCount(config);
  return { weights, activations, gradients, heap: weights + activations, total: weights + activations + gradients };
}

/**
 * The longest sample that fits `budget` bytes (0 when the weights alone do not), found
 * by bisection on estimateMemory; never above `cap` (the model's own maximum).
 */
export function maxLengthWithin(config: LlamaConfig, budget: number, cap: number): number {
  if (estimateMemory(config, 1).heap > budget) return 0;
  let lo = 1;
  let hi = cap;
  if (estimateMemory(config, hi).heap <= budget) return hi;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (estimateMemory(config, mid).heap <= budget) lo = mid;
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

/** One line for a user: "weights 538 MB + activations 3.73 GB = 4.27 GB in the tfjs heap, + gradients 331 MB read out". */
export function describeEstimate(e: MemoryEstimate): string {
  return `weights ${formatBytes(e.weights)} + activations ${formatBytes(e.activations)} = ${formatBytes(e.heap)} in the tfjs heap, + gradients ${formatBytes(e.gradients)} read out`;
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
  if (e.heap > budget) {
    const fits = maxLengthWithin(config, budget, modelMax);
    return `a ${shape.tokens}-token sample needs about ${formatBytes(e.heap)} (${describeEstimate(e)}), above the memory budget of ${formatBytes(budget)}; ${fits > 0 ? `samples up to ${fits} tokens fit (lower the maximum length), or raise the budget` : 'raise the budget'}`;
  }
  return null;
}
