import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../../scripts/lib/nodeBackend';
import { singularValues } from '../../../src/core/linalg';
import { parseConfig } from '../../../src/core/model/config';
import { forwardLogits, maskedLoss, responseMask } from '../../../src/core/model/llama';
import { disposeParams, initParams, type Params } from '../../../src/core/model/params';
import { MATRIX_STAT_FIELDS, sampleGradients, sampleStats, selectedMatrices } from '../../../src/core/model/sampleStats';
import { TINY_CONFIG } from './tinyModel';

const SAMPLE = { ids: [5, 3, 11, 0, 7, 2, 9], responseStart: 3 };
const TEXT = { instruction: 'Add 2 and 3.', input: '', output: '5' };
// vocab = hidden = intermediate = 16: embeddings, lm_head and every MLP matrix are square.
const SQUARE = parseConfig({ ...TINY_CONFIG, vocab_size: 16, hidden_size: 16, intermediate_size: 16, num_attention_heads: 2, num_key_value_heads: 2 });
const SQUARE_TIED = parseConfig({ ...SQUARE, tie_word_embeddings: true });

let params: Params;
beforeAll(async () => {
  await useNodeBackend('wasm');
  params = initParams(TINY_CONFIG, 11);
  // Larger weights than HF's 0.02 so gradients are far from float32 noise.
  for (const [n, t] of params) if (t.rank === 2) params.set(n, tf.tidy(() => tf.mul(t, 20)));
});
afterAll(() => disposeParams(params));

describe('selectedMatrices', () => {
  it('takes q/k/v/o always and nothing else when no other matrix is square (the study\'s rule)', () => {
    expect(selectedMatrices(TINY_CONFIG)).toEqual(
      [0, 1].flatMap((i) => ['q', 'k', 'v', 'o'].map((m) => `model.layers.${i}.self_attn.${m}_proj.weight`)),
    );
  });

  it('adds square MLP matrices, embeddings and lm_head', () => {
    const s = selectedMatrices(SQUARE);
    expect(s).toContain('model.embed_tokens.weight');
    expect(s).toContain('model.layers.1.mlp.down_proj.weight');
    expect(s).toContain('lm_head.weight');
    expect(s).toHaveLength(1 + 2 * 7 + 1);
  });
});

describe('sampleStats', () => {
  it('writes text, loss and the 8 finite statistics of every selected matrix, in order', () => {
    const r = sampleStats(TINY_CONFIG, params, SAMPLE, TEXT);
    expect(Object.keys(r)).toEqual(['instruction', 'input', 'output', 'loss', ...selectedMatrices(TINY_CONFIG)]);
    expect(r.instruction).toBe(TEXT.instruction);
    expect(Number.isFinite(r.loss)).toBe(true);
    for (const name of selectedMatrices(TINY_CONFIG)) {
      const s = r[name] as Record<string, number>;
      expect(Object.keys(s)).toEqual([...MATRIX_STAT_FIELDS]);
      for (const f of MATRIX_STAT_FIELDS) expect(Number.isFinite(s[f]), `${name}.${f}`).toBe(true);
      expect(s.S_sum).toBeGreaterThanOrEqual(s.S_max);
      expect(s.S_max).toBeGreaterThanOrEqual(s.S_min);
      expect(s.S_min).toBeGreaterThanOrEqual(0);
      expect(s.M_max).toBeGreaterThanOrEqual(s.M_mean);
      expect(s.M_mean).toBeGreaterThanOrEqual(s.M_min);
      expect(s.frobenius_norm).toBeGreaterThan(0);
    }
  });

  it('reports the same loss as maskedLoss on the response tokens (within 1e-6)', () => {
    const r = sampleStats(TINY_CONFIG, params, SAMPLE, TEXT);
    const t = SAMPLE.ids.length;
    const loss = tf.tidy(() => {
      const ids = tf.tensor2d([SAMPLE.ids], [1, t], 'int32');
      return maskedLoss(forwardLogits(TINY_CONFIG, params, ids), ids, responseMask(t, SAMPLE.responseStart)).dataSync()[0];
    });
    expect(Math.abs((r.loss as number) - loss)).toBeLessThan(1e-6);
  });

  it('has frobenius_norm² = Σσ² of the gradient (relative 1e-5)', () => {
    const { grads } = sampleGradients(TINY_CONFIG, params, SAMPLE);
    const r = sampleStats(TINY_CONFIG, params, SAMPLE, TEXT);
    for (const [name, { g, rows, cols }] of grads) {
      const sigma = singularValues(g, rows, cols);
      const sumSq = sigma.reduce((s, x) => s + x * x, 0);
      const fro = (r[name] as Record<string, number>).frobenius_norm;
      expect(Math.abs(fro * fro - sumSq) / sumSq, name).toBeLessThan(1e-5);
      expect(Math.abs((r[name] as Record<string, number>).S_sum - sigma.reduce((s, x) => s + x, 0)) / fro, name).toBeLessThan(1e-4);
    }
  });

  it('adds input_ids and response_start with withTokens', () => {
    const r = sampleStats(TINY_CONFIG, params, SAMPLE, TEXT, { withTokens: true });
    expect(r.input_ids).toEqual(SAMPLE.ids);
    expect(r.response_start).toBe(3);
  });

  it('writes NaN loss and statistics when truncation left no response token, as the study\'s HF loss does', () => {
    const r = sampleStats(TINY_CONFIG, params, { ids: [1, 2, 3], responseStart: 3 }, TEXT);
    expect(r.loss).toBeNaN();
    for (const n of selectedMatrices(TINY_CONFIG)) for (const f of MATRIX_STAT_FIELDS) expect((r[n] as Record<string, number>)[f]).toBeNaN();
  });

  it('refuses token ids outside the vocabulary', () => {
    expect(() => sampleStats(TINY_CONFIG, params, { ids: [1, 2, 16], responseStart: 1 }, TEXT)).toThrow(/outside the vocabulary/);
    expect(() => sampleStats(TINY_CONFIG, params, { ids: [1, -1, 3], responseStart: 1 }, TEXT)).toThrow(RangeError);
  });

  it('leaves no tensors behind', () => {
    const before = tf.memory().numTensors;
    sampleStats(TINY_CONFIG, params, SAMPLE, TEXT);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('sampleGradients factors', () => {
  it('are read only where the statistics use them when asked for the useful ones (fewer positions than the smaller side)', () => {
    const p = initParams(TINY_CONFIG, 5);
    const all = sampleGradients(TINY_CONFIG, p, SAMPLE, 'all').grads;
    const useful = sampleGradients(TINY_CONFIG, p, SAMPLE, 'useful').grads;
    let kept = 0;
    let dropped = 0;
    for (const [name, { g, rows, cols, delta }] of useful) {
      expect(Array.from(g), name).toEqual(Array.from(all.get(name)!.g));
      const wanted = all.get(name)!.delta !== undefined && SAMPLE.ids.length < Math.min(rows, cols);
      expect(delta !== undefined, name).toBe(wanted);
      if (wanted) kept++;
      else if (all.get(name)!.delta !== undefined) dropped++;
    }
    // The tiny model has both kinds (q/o 8 × 8 keep theirs at T = 7, k/v do not), so the test can fail either way.
    expect(kept, 'kept').toBeGreaterThan(0);
    expect(dropped, 'dropped').toBeGreaterThan(0);
    disposeParams(p);
  });

  for (const [label, config] of [['untied', SQUARE], ['tied', SQUARE_TIED]] as const) {
    it(`give G = Δᵀ X equal to tfjs's own gradient for every linear layer (${label}, within 1e-5 of max |G|)`, () => {
      const p = initParams(config, 4);
      for (const [n, t] of p) if (t.rank === 2) p.set(n, tf.tidy(() => tf.mul(t, 20)));
      const { grads } = sampleGradients(config, p, SAMPLE);
      const names = selectedMatrices(config);
      const t = SAMPLE.ids.length;
      const reference = tf.tidy(() => {
        const ids = tf.tensor2d([SAMPLE.ids], [1, t], 'int32');
        const mask = responseMask(t, SAMPLE.responseStart);
        return tf.grads((...ws: tf.Tensor[]) => {
          const q = new Map(p);
          names.forEach((n, i) => q.set(n, ws[i]));
          return maskedLoss(forwardLogits(config, q, ids, { mode: 'native' }), ids, mask);
        })(names.map((n) => p.get(n)!)).map((g) => g.dataSync());
      });
      names.forEach((name, i) => {
        const { g, rows, cols, delta, x } = grads.get(name)!;
        const ref = reference[i];
        const scale = Math.max(...Array.from(ref, Math.abs));
        expect(scale, name).toBeGreaterThan(0);
        for (let j = 0; j < g.length; j++) expect(Math.abs(g[j] - ref[j]) / scale, `${name} tfjs`).toBeLessThan(1e-5);
        if (name === 'model.embed_tokens.weight') {
          expect(delta, 'embeddings have no single Δᵀ X').toBeUndefined();
          return;
        }
        expect(delta, name).toBeDefined();
        for (let r = 0; r < rows; r++) {
          for (let c = 0; c < cols; c++) {
            let s = 0;
            for (let k = 0; k < delta!.length / rows; k++) s += delta![k * rows + r] * x![k * cols + c];
            expect(Math.abs(s - ref[r * cols + c]) / scale, `${name} [${r}, ${c}]`).toBeLessThan(1e-5);
          }
        }
      });
      disposeParams(p);
    });
  }
});
