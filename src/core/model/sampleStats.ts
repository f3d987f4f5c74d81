/**
 * Per-sample gradient statistics, the study's protocol (MingLiiii/Layer_Gradient,
 * code_gradient/get_gradient_values.py): batch of one, mean cross-entropy over the
 * response tokens only, gradients of every 2-D parameter that is square or whose name
 * contains `self_attn`, and per matrix the mean/max/min entry, Frobenius norm and
 * singular-value sum/max/min, plus the effective rank.
 */
import * as tf from '@tensorflow/tfjs';
import { cosineBlocks } from '../format/followupBlocks';
import { matrixStatsAndSpectrum } from '../linalg/matrixStats';
import type { LlamaConfig } from './config';
import type { FactorCapture } from './linear';
import { paramShapes, type Params } from './params';
import { responseLoss } from './responseLoss';
import { positionNorms } from './tokenNorms';

/** The statistic fields written per matrix, in file order. */
export const MATRIX_STAT_FIELDS = ['M_mean', 'M_max', 'M_min', 'frobenius_norm', 'S_sum', 'S_max', 'S_min', 'effective_rank'] as const;

/** One matrix's statistics as written in a Layer_Gradient record. */
export type MatrixStatRecord = Record<(typeof MATRIX_STAT_FIELDS)[number], number>;

/**
 * The file formats a computation writes: `layer-gradient`, the study's per-matrix
 * statistics plus effective_rank; `unified`, the follow-up's (arXiv 2504.10766,
 * Gradient_Unified): per matrix M_mean, M_max, M_min, frobenius_norm and S_list (every
 * singular value, largest first), then the `cosine_sim` and `cosine_sim_qkvo` blocks.
 */
export type StatsFormat = 'layer-gradient' | 'unified';

/** The fields of one matrix in the follow-up's format, in its order. */
export const UNIFIED_FIELDS = ['M_mean', 'M_max', 'M_min', 'frobenius_norm'] as const;

/**
 * The matrices whose gradients the study takes, in parameter order. Its script sets
 * `requires_grad` on `len(shape) > 1 and (shape[0] == shape[1] or 'self_attn' in name)`
 * (get_gradient_values.py, checked against the public repository): q/k/v/o always;
 * gate/up/down, embeddings and lm_head only when square.
 */
export function selectedMatrices(config: LlamaConfig): string[] {
  const out: string[] = [];
  for (const [name, shape] of paramShapes(config)) {
    if (shape.length > 1 && (shape[0] === shape[1] || name.includes('self_attn'))) out.push(name);
  }
  return out;
}

/** A tokenized sample: ids and the index of the first response token. */
export interface EncodedSample {
  ids: number[];
  responseStart: number;
}

/** The text of a sample, copied into its record. */
export interface SampleTextFields {
  instruction: string;
  input: string;
  output: string;
}

/** Options of sampleStats. */
export interface SampleStatsOptions {
  /** Add `input_ids` and `response_start` to the record. */
  withTokens?: boolean;
  /** What to write (default `layer-gradient`). */
  format?: StatsFormat;
  /** Add `token_norms` (each position's cₜ per matrix, tokenNorms.ts); implies `withTokens`. */
  tokenNorms?: boolean;
}

function nanStats(): MatrixStatRecord {
  return Object.fromEntries(MATRIX_STAT_FIELDS.map((f) => [f, Number.NaN])) as MatrixStatRecord;
}

/**
 * Which linear layers' factors sampleGradients reads back: all of them, or only those
 * the statistics use (`useful`: fewer positions than the matrix's smaller side, where
 * singular values come from the factors; elsewhere the dense route ignores them, and
 * reading them cost two [T, d] copies per matrix and their garbage).
 */
export type FactorChoice = 'all' | 'useful';

/**
 * Loss and gradients of the selected matrices for one sample. Returns the loss and, per
 * matrix, the gradient G [out, in] (row-major) and, for linear layers (all of them, or
 * the `useful` ones: FactorChoice), the factors Δ [T, out] and X [T, in] with G = Δᵀ X.
 * No tensors stay allocated.
 */
export function sampleGradients(
  config: LlamaConfig,
  params: Params,
  sample: EncodedSample,
  factorChoice: FactorChoice = 'all',
): { loss: number; grads: Map<string, { g: Float32Array; rows: number; cols: number; delta?: Float32Array; x?: Float32Array }> } {
  const names = selectedMatrices(config);
  const shapes = paramShapes(config);
  const t = sample.ids.length;
  // Positions each layer sees: T, or the response rows for lm_head (logits are taken there only).
  const positions = (n: string) => (n === 'lm_head.weight' ? t - Math.max(sample.responseStart, 1) : t);
  // The embedding is used through a one-hot product (and twice when tied), so its gradient
  // is not a single Δᵀ X: it goes down the general path.
  const factorNames = new Set(
    names.filter((n) => n !== 'model.embed_tokens.weight' && (factorChoice === 'all' || positions(n) < Math.min(...shapes.get(n)!))),
  );
  const factors = new Map<string, { dy: tf.Tensor2D; x: tf.Tensor2D }>();
  const capture: FactorCapture = {
    names: factorNames,
    sink: (name, dy, x) => {
      const old = factors.get(name);
      if (old) tf.dispose([old.dy, old.x]);
      factors.set(name, { dy, x });
    },
  };
  const weightGrads = new Set(names);
  let result: { value: tf.Scalar; grads: tf.Tensor[] } | undefined;
  try {
    // The tidy returns tensors, read after it: returning the dataSync() arrays makes tfjs
    // walk every element of them looking for tensors to keep.
    result = tf.tidy(() => {
      const ids = tf.tensor2d([sample.ids], [1, t], 'int32');
      // The embedding is gathered unless its own gradient is taken (only when square).
      const gatherEmbedding = !names.includes('model.embed_tokens.weight');
      const f = (...ws: tf.Tensor[]) => {
        const p = new Map(params);
        names.forEach((n, i) => p.set(n, ws[i]));
        return responseLoss(config, p, ids, sample.responseStart, { capture, gatherEmbedding, weightGrads });
      };
      return tf.valueAndGrads(f)(names.map((n) => params.get(n)!));
    });
    const { value, grads: gradTensors } = result;
    const loss = value.dataSync()[0];
    const grads = new Map<string, { g: Float32Array; rows: number; cols: number; delta?: Float32Array; x?: Float32Array }>();
    names.forEach((n, i) => {
      const [rows, cols] = shapes.get(n)!;
      const fac = factors.get(n);
      grads.set(n, { g: gradTensors[i].dataSync() as Float32Array, rows, cols, delta: fac?.dy.dataSync() as Float32Array | undefined, x: fac?.x.dataSync() as Float32Array | undefined });
    });
    return { loss, grads };
  } finally {
    if (result) tf.dispose([result.value, ...result.grads]);
    for (const { dy, x } of factors.values()) tf.dispose([dy, x]);
  }
}

/**
 * One Layer_Gradient record for one sample: `instruction`, `input`, `output`, `loss`, then
 * one entry per selected matrix (HF name) with the 8 statistic fields; with `withTokens`,
 * `input_ids` and `response_start`; with `tokenNorms`, those and `token_norms` (per
 * matrix but a square embedding, cₜ at each of the T positions: tokenNorms.ts). When no response token is left (the prompt fills
 * the maximum length), loss and every statistic are NaN, as the study's HF loss is.
 * Throws a RangeError for a token id outside the vocabulary.
 */
export function sampleStats(
  config: LlamaConfig,
  params: Params,
  sample: EncodedSample,
  text: SampleTextFields,
  options: SampleStatsOptions = {},
): Record<string, unknown> {
  const bad = sample.ids.find((id) => !Number.isInteger(id) || id < 0 || id >= config.vocab_size);
  // A one-hot of an out-of-range id is a zero row: a silent wrong answer, so refuse it.
  if (bad !== undefined) throw new RangeError(`token id ${bad} is outside the vocabulary (0…${config.vocab_size - 1})`);
  const record: Record<string, unknown> = { instruction: text.instruction, input: text.input, output: text.output };
  const unified = options.format === 'unified';
  const labels = sample.ids.length - Math.max(sample.responseStart, 1);
  const names = selectedMatrices(config);
  let norms: Record<string, number[]> | undefined;
  if (labels <= 0) {
    record.loss = Number.NaN;
    for (const n of names) record[n] = unified ? { M_mean: NaN, M_max: NaN, M_min: NaN, frobenius_norm: NaN, S_list: [] } : nanStats();
    if (unified) Object.assign(record, cosineBlocks(names, () => null));
    if (options.tokenNorms) norms = Object.fromEntries(factorMatrices(config).map((n) => [n, new Array<number>(sample.ids.length).fill(Number.NaN)]));
  } else {
    const { loss, grads } = sampleGradients(config, params, sample, options.tokenNorms ? 'all' : 'useful');
    record.loss = loss;
    if (options.tokenNorms) norms = sampleTokenNorms(grads, sample);
    for (const [name, { g, rows, cols, delta, x }] of grads) {
      // Factors have one row per position the layer saw: T, or the response rows for lm_head.
      const tokens = delta !== undefined ? delta.length / rows : sample.ids.length;
      // The T×T route pays only when T < min(rows, cols); otherwise the d×d Gram of G is cheaper.
      const useFactors = delta !== undefined && x !== undefined && tokens < Math.min(rows, cols);
      const { stats: s, sigma } = matrixStatsAndSpectrum(g, rows, cols, useFactors ? { delta, x, tokens } : undefined);
      if (unified) {
        const entry: Record<string, unknown> = {};
        for (const f of UNIFIED_FIELDS) entry[f] = s[f];
        entry.S_list = Array.from(sigma);
        record[name] = entry;
        continue;
      }
      const entry = {} as MatrixStatRecord;
      for (const f of MATRIX_STAT_FIELDS) entry[f] = s[f];
      record[name] = entry;
    }
    // Cosines of the flattened gradients ([out, in] row-major, as torch's view(-1)), read while the sample's gradients are held.
    if (unified) Object.assign(record, cosineBlocks(names, (n) => grads.get(n)?.g ?? null));
  }
  if (options.withTokens || norms) {
    record.input_ids = sample.ids.slice();
    record.response_start = sample.responseStart;
  }
  if (norms) record.token_norms = norms;
  return record;
}

/**
 * The selected matrices whose gradient is one sum over positions, Δᵀ X: every one but a
 * square embedding, whose gradient gathers rows by token id (and adds the head's when tied).
 */
function factorMatrices(config: LlamaConfig): string[] {
  return selectedMatrices(config).filter((n) => n !== 'model.embed_tokens.weight');
}

/** cₜ of every position for each matrix with factors (positionNorms), in selection order. */
function sampleTokenNorms(grads: ReturnType<typeof sampleGradients>['grads'], sample: EncodedSample): Record<string, number[]> {
  const length = sample.ids.length;
  const out: Record<string, number[]> = {};
  for (const [name, { rows, delta, x }] of grads) {
    if (delta === undefined || x === undefined) continue;
    const tokens = delta.length / rows;
    // Only lm_head sees fewer rows: the positions predicting the response, from max(start, 1) − 1 on.
    const first = tokens === length ? 0 : Math.max(sample.responseStart, 1) - 1;
    out[name] = positionNorms(delta, x, tokens, first, length);
  }
  return out;
}
