// Per-position contributions: a linear layer's weight gradient is G = Σₜ δₜ xₜᵀ, and the
// Frobenius norm of the term of position t is ‖δₜ‖ ‖xₜ‖ = cₜ. Checked on every family the
// live path supports (Llama with attention and MLP biases, Qwen2's q/k/v biases, Qwen3's
// q/k norm, Mistral; tests/fixtures/model/family_reference.json), on the tiny Llama, and
// on a config where every matrix is square (lm_head taken at the response positions only):
// the factors the statistics capture, summed position by position in float64, give the
// weight gradient that tfjs's own autodiff computes (the native matMul gradient, no
// capture) and torch's float64 reference; and each written cₜ is the norm of its term
// computed entry by entry.
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../../scripts/lib/nodeBackend';
import { parseConfig, type LlamaConfig } from '../../../src/core/model/config';
import { disposeParams, initParams, type Params } from '../../../src/core/model/params';
import { responseLoss } from '../../../src/core/model/responseLoss';
import { sampleGradients, sampleStats, selectedMatrices, type EncodedSample } from '../../../src/core/model/sampleStats';
import { positionNorms, tokenNorms } from '../../../src/core/model/tokenNorms';
import { TINY_CONFIG } from './tinyModel';

interface RawCase {
  name: string;
  config: unknown;
  params: Record<string, { shape: number[]; data: number[] }>;
  grads: Record<string, number[]>;
}
const fixture = JSON.parse(readFileSync(fileURLToPath(new URL('../../fixtures/model/family_reference.json', import.meta.url)), 'utf8')) as {
  ids: number[];
  response_start: number;
  cases: RawCase[];
};

const TEXT = { instruction: 'q', input: '', output: 'a' };
const SQUARE = parseConfig({ ...TINY_CONFIG, vocab_size: 16, hidden_size: 16, intermediate_size: 16, num_attention_heads: 2, num_key_value_heads: 2 });

interface Case {
  name: string;
  config: LlamaConfig;
  params: Params;
  sample: EncodedSample;
  /** torch's float64 gradients, where the fixture has them. */
  torch?: Record<string, number[]>;
}
const cases: Case[] = [];

/** Larger weights than HF's 0.02, so gradients are far from float32 noise. */
function scaled(config: LlamaConfig, seed: number): Params {
  const p = initParams(config, seed);
  for (const [n, t] of p) if (t.rank === 2) p.set(n, tf.tidy(() => tf.mul(t, 20)));
  return p;
}

beforeAll(async () => {
  await useNodeBackend('wasm');
  for (const c of fixture.cases) {
    cases.push({
      name: c.name,
      config: parseConfig(c.config),
      params: new Map(Object.entries(c.params).map(([n, p]) => [n, tf.tensor(p.data, p.shape, 'float32')])),
      sample: { ids: fixture.ids, responseStart: fixture.response_start },
      torch: c.grads,
    });
  }
  cases.push({ name: 'tiny llama', config: TINY_CONFIG, params: scaled(TINY_CONFIG, 11), sample: { ids: [5, 3, 11, 0, 7, 2, 9], responseStart: 3 } });
  cases.push({ name: 'all square (lm_head selected)', config: SQUARE, params: scaled(SQUARE, 4), sample: { ids: [5, 3, 11, 0, 7, 2, 9, 1], responseStart: 4 } });
});
afterAll(() => cases.forEach((c) => disposeParams(c.params)));

/** tfjs's own gradients of the selected matrices: native matMul gradients, no factor capture, every weight differentiated. */
function autodiffGradients(c: Case, names: string[]): Float32Array[] {
  return tf.tidy(() => {
    const t = c.sample.ids.length;
    const ids = tf.tensor2d([c.sample.ids], [1, t], 'int32');
    const gather = !names.includes('model.embed_tokens.weight');
    return tf
      .grads((...ws: tf.Tensor[]) => {
        const q = new Map(c.params);
        names.forEach((n, i) => q.set(n, ws[i]));
        return responseLoss(c.config, q, ids, c.sample.responseStart, { mode: 'native', gatherEmbedding: gather });
      })(names.map((n) => c.params.get(n)!))
      .map((g) => g.dataSync() as Float32Array);
  });
}

/** Σₜ δₜ xₜᵀ by a plain loop in float64: [rows, cols] row-major. */
function sumOfTerms(delta: Float32Array, x: Float32Array, rows: number, cols: number): Float64Array {
  const tokens = delta.length / rows;
  const g = new Float64Array(rows * cols);
  for (let t = 0; t < tokens; t++) for (let r = 0; r < rows; r++) for (let k = 0; k < cols; k++) g[r * cols + k] += delta[t * rows + r] * x[t * cols + k];
  return g;
}

/** ‖a − b‖_F / ‖b‖_F. */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / den);
}

describe('tokenNorms', () => {
  it('multiplies the norms of each position\'s two factors', () => {
    expect(Array.from(tokenNorms([3, 4, 0, 0], [1, 0, 0, 2, 2, 1], 2))).toEqual([5, 0]);
    expect(Array.from(tokenNorms([1, 1], [1, 1, 1, 1], 1))).toEqual([Math.SQRT2 * 2]);
  });

  it('gives an empty array for no positions and NaN where a factor holds NaN', () => {
    expect(tokenNorms([], [], 0).length).toBe(0);
    const c = tokenNorms([NaN, 1, 1, 1], [1, 1], 2);
    expect(Number.isNaN(c[0])).toBe(true);
    expect(c[1]).toBeCloseTo(Math.SQRT2, 12);
  });

  it('places factors of fewer rows at their positions, zero elsewhere, and refuses rows that do not fit', () => {
    expect(positionNorms([1, 0, 0, 2], [3, 4], 2, 1, 4)).toEqual([0, 3, 8, 0]);
    expect(() => positionNorms([1, 0], [3], 2, 3, 4)).toThrow(RangeError);
  });

  it('leaves the inputs unchanged', () => {
    const d = Float32Array.of(1, 2, 3, 4);
    const x = Float32Array.of(5, 6);
    tokenNorms(d, x, 2);
    expect(Array.from(d)).toEqual([1, 2, 3, 4]);
    expect(Array.from(x)).toEqual([5, 6]);
  });
});

describe('per-position terms of each selected matrix', () => {
  const names = [...fixture.cases.map((c) => c.name), 'tiny llama', 'all square (lm_head selected)'];
  for (const name of names) {
    it(`sum to the computed weight gradient, and cₜ is each term's norm (${name})`, () => {
      const c = cases.find((k) => k.name === name)!;
      const selected = selectedMatrices(c.config);
      const reference = autodiffGradients(c, selected);
      const { grads } = sampleGradients(c.config, c.params, c.sample);
      const record = sampleStats(c.config, c.params, c.sample, TEXT, { tokenNorms: true });
      const norms = record.token_norms as Record<string, number[]>;
      const T = c.sample.ids.length;
      let checked = 0;
      selected.forEach((matrix, i) => {
        const { g, rows, cols, delta, x } = grads.get(matrix)!;
        if (matrix === 'model.embed_tokens.weight') {
          // A square embedding's gradient gathers rows by token id: no Σ δₜ xₜᵀ, so no cₜ.
          expect(delta, matrix).toBeUndefined();
          expect(norms[matrix], matrix).toBeUndefined();
          return;
        }
        expect(delta, matrix).toBeDefined();
        const sum = sumOfTerms(delta!, x!, rows, cols);
        expect(relativeError(sum, reference[i]), `${matrix}: Σₜ δₜ xₜᵀ against tfjs autodiff`).toBeLessThanOrEqual(1e-5);
        expect(relativeError(sum, g), `${matrix}: Σₜ δₜ xₜᵀ against the statistics' G`).toBeLessThanOrEqual(1e-5);
        if (c.torch?.[matrix]) expect(relativeError(sum, c.torch[matrix]), `${matrix}: against torch (float64)`).toBeLessThanOrEqual(1e-4);

        const written = norms[matrix];
        expect(written, matrix).toHaveLength(T);
        const tokens = delta!.length / rows;
        const first = tokens === T ? 0 : Math.max(c.sample.responseStart, 1) - 1;
        for (let p = 0; p < T; p++) {
          const t = p - first;
          if (t < 0 || t >= tokens) {
            expect(written[p], `${matrix} position ${p}: no row, no contribution`).toBe(0);
            continue;
          }
          // ‖δₜ xₜᵀ‖_F entry by entry.
          let s = 0;
          for (let r = 0; r < rows; r++) for (let k = 0; k < cols; k++) s += (delta![t * rows + r] * x![t * cols + k]) ** 2;
          const norm = Math.sqrt(s);
          // A zero term (position 0's query: a softmax over one key passes no gradient) is written as 0.
          if (norm === 0) expect(written[p], `${matrix} c at position ${p}`).toBe(0);
          else expect(Math.abs(written[p] - norm) / norm, `${matrix} c at position ${p}`).toBeLessThanOrEqual(1e-6);
        }
        checked++;
      });
      expect(checked).toBeGreaterThanOrEqual(4 * c.config.num_hidden_layers);
      expect(record.input_ids).toEqual(c.sample.ids);
      expect(record.response_start).toBe(c.sample.responseStart);
    });
  }

  it('reaches every prompt position through attention, not only the response', () => {
    const c = cases.find((k) => k.name === 'qwen2')!;
    const norms = sampleStats(c.config, c.params, c.sample, TEXT, { tokenNorms: true }).token_norms as Record<string, number[]>;
    const q0 = norms['model.layers.0.self_attn.q_proj.weight'];
    const v0 = norms['model.layers.0.self_attn.v_proj.weight'];
    // Position 0's key and value are read by every later query: its k/v rows carry gradient.
    expect(v0[0]).toBeGreaterThan(0);
    for (let p = 1; p < c.sample.responseStart; p++) expect(q0[p], `q at prompt position ${p}`).toBeGreaterThan(0);
    // The last position predicts nothing and no later query reads it: nothing flows back to it.
    expect(q0[q0.length - 1]).toBe(0);
  });

  it('writes NaN at every position when no response token is left, as the statistics are', () => {
    const c = cases.find((k) => k.name === 'tiny llama')!;
    const record = sampleStats(c.config, c.params, { ids: [5, 3, 11], responseStart: 3 }, TEXT, { tokenNorms: true });
    const norms = record.token_norms as Record<string, number[]>;
    expect(Object.keys(norms)).toEqual(selectedMatrices(c.config));
    for (const v of Object.values(norms)) expect(v.map(Number.isNaN)).toEqual([true, true, true]);
  });

  it('leaves no tensors behind', () => {
    const c = cases.find((k) => k.name === 'mistral')!;
    const before = tf.memory().numTensors;
    sampleStats(c.config, c.params, c.sample, TEXT, { tokenNorms: true });
    expect(tf.memory().numTensors).toBe(before);
  });
});
