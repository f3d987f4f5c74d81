import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../../scripts/lib/nodeBackend';
import { parseConfig } from '../../../src/core/model/config';
import { disposeParams, initParams, type Params } from '../../../src/core/model/params';
import { DEFAULT_HYPER, evalLoss, initAdam, learningRate, trainStep, type Batch } from '../../../src/core/model/train';
import { countedLabels, documentRow, mulberry32, packDocuments, packedBatch, padRows, responseRow, sampledBatch, stepSeed, toBatches } from '../../../src/core/model/trainData';
import { ByteTokenizer, DEFAULT_SPECIAL_TOKENS } from '../../../src/core/model/tokenizer';
import { CachedDecoder, finalNumber, greedyDecode, sameNumber } from '../../../src/core/model/trainEval';
import { forwardLogits } from '../../../src/core/model/llama';

const tok = new ByteTokenizer(DEFAULT_SPECIAL_TOKENS);
const config = parseConfig({
  model_type: 'llama', vocab_size: 262, hidden_size: 16, intermediate_size: 24, num_hidden_layers: 2,
  num_attention_heads: 2, max_position_embeddings: 64, tie_word_embeddings: true,
});

beforeAll(async () => {
  await useNodeBackend('wasm');
});

describe('learningRate', () => {
  const h = { peakLr: 1, warmupSteps: 10, totalSteps: 110, minLrRatio: 0 };
  it.each([
    [0, 0.1],
    [4, 0.5],
    [9, 1],
    [10, 1],
    [60, 0.5],
    [110, 0],
    [500, 0],
  ])('warms up linearly and decays by a cosine (step %i → %f, |Δ| < 1e-12)', (step, lr) => {
    expect(Math.abs(learningRate(step, h) - lr)).toBeLessThan(1e-12);
  });

  it('ends at the floor peakLr · minLrRatio', () => {
    expect(learningRate(110, { ...h, minLrRatio: 0.1 })).toBeCloseTo(0.1, 12);
  });
});

describe('trainStep', () => {
  it('applies one AdamW update as written out by hand (|Δ| < 1e-6)', () => {
    // One parameter set; first step: m = (1-β1) g, v = (1-β2) g², m̂ = g, v̂ = g², update = g / (|g| + eps) ≈ sign(g).
    const params = initParams(config, 3);
    const before = new Map([...params].map(([n, t]) => [n, Float32Array.from(t.dataSync())]));
    const adam = initAdam(params);
    const batch: Batch = { ids: [[256, 72, 105, 33, 257]], mask: [[1, 1, 1, 1, 1]] };
    const h = { ...DEFAULT_HYPER, clipNorm: 0, weightDecay: 0.1 };
    const lr = 0.01;
    const r = trainStep(config, params, adam, batch, lr, h);
    expect(r.adam.step).toBe(1);
    for (const [name, t] of r.params) {
      const p0 = before.get(name)!;
      const p1 = t.dataSync();
      const v = r.adam.v.get(name)!.dataSync();
      const m = r.adam.m.get(name)!.dataSync();
      let worst = 0;
      for (let i = 0; i < p0.length; i++) {
        const g = m[i] / (1 - h.beta1);
        expect(Math.abs(v[i] - (1 - h.beta2) * g * g)).toBeLessThanOrEqual(1e-5 * v[i] + 1e-12); // float32 relative
        const decay = t.rank > 1 ? 1 - lr * h.weightDecay : 1;
        const want = p0[i] * decay - lr * (g / (Math.abs(g) + h.eps));
        worst = Math.max(worst, Math.abs(p1[i] - want));
      }
      expect(worst, name).toBeLessThan(1e-6);
    }
    disposeParams(r.params);
    disposeParams(r.adam.m);
    disposeParams(r.adam.v);
  });

  it('disposes the old parameters and moments and leaks no tensors over steps', () => {
    let params: Params = initParams(config, 1);
    let adam = initAdam(params);
    const batch: Batch = { ids: [[256, 1, 2, 3]], mask: [[1, 1, 1, 1]] };
    const first = trainStep(config, params, adam, batch, 1e-3, DEFAULT_HYPER);
    const old = params.get('model.norm.weight')!;
    expect(old.isDisposed).toBe(true);
    params = first.params;
    adam = first.adam;
    const count = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) ({ params, adam } = trainStep(config, params, adam, batch, 1e-3, DEFAULT_HYPER));
    expect(tf.memory().numTensors).toBe(count);
    disposeParams(params);
    disposeParams(adam.m);
    disposeParams(adam.v);
  });

  it('memorises a short text: loss falls below a third of its start in 60 steps', () => {
    let params: Params = initParams(config, 2);
    let adam = initAdam(params);
    const row = documentRow(tok, 'gradients are larger for fast thinking', 64);
    const batch = padRows(tok, [row]);
    const h = { ...DEFAULT_HYPER, peakLr: 1e-2, warmupSteps: 5, totalSteps: 60 };
    const start = evalLoss(config, params, [batch]);
    for (let s = 0; s < 60; s++) ({ params, adam } = trainStep(config, params, adam, batch, learningRate(s, h), h));
    const end = evalLoss(config, params, [batch]);
    expect(start).toBeGreaterThan(5); // ≈ ln 262 = 5.57 at initialisation
    expect(end).toBeLessThan(start / 3);
    disposeParams(params);
    disposeParams(adam.m);
    disposeParams(adam.v);
  });

  it('skips the update when the loss is not finite', () => {
    const params = initParams(config, 1);
    params.set('model.norm.weight', tf.fill([16], NaN));
    const adam = initAdam(params);
    const r = trainStep(config, params, adam, { ids: [[256, 1, 2]], mask: [[1, 1, 1]] }, 1e-3, DEFAULT_HYPER);
    expect(Number.isNaN(r.loss)).toBe(true);
    expect(r.params).toBe(params);
    expect(r.adam.step).toBe(0);
    disposeParams(params);
    disposeParams(adam.m);
    disposeParams(adam.v);
  });
});

describe('evalLoss', () => {
  it('weights every counted token equally across batches of different sizes (|Δ| < 1e-5)', () => {
    const params = initParams(config, 5);
    const rows = ['abc', 'a much longer document here', 'xy'].map((d) => documentRow(tok, d, 64));
    const together = evalLoss(config, params, [padRows(tok, rows)]);
    const apart = evalLoss(config, params, rows.map((r) => padRows(tok, [r])));
    expect(Math.abs(together - apart)).toBeLessThan(1e-5);
    disposeParams(params);
  });

  it('is NaN when nothing counts', () => {
    const params = initParams(config, 5);
    expect(evalLoss(config, params, [])).toBeNaN();
    expect(evalLoss(config, params, [{ ids: [[1, 2]], mask: [[0, 0]] }])).toBeNaN();
    disposeParams(params);
  });
});

describe('training batches', () => {
  it('packs documents as <|bos|> text <|eos|> back to back', () => {
    expect(packDocuments(tok, ['a', 'bc'])).toEqual([256, 97, 257, 256, 98, 99, 257]);
    expect(packDocuments(tok, [])).toEqual([]);
  });

  it('cuts windows of the stream with every label counted', () => {
    const stream = Array.from({ length: 50 }, (_, i) => i);
    const b = packedBatch(stream, 3, 8, mulberry32(1));
    expect(b.ids.length).toBe(3);
    for (const row of b.ids) {
      expect(row.length).toBe(8);
      expect(row[7] - row[0]).toBe(7); // contiguous
    }
    expect(b.mask.flat().every((m) => m === 1)).toBe(true);
    expect(() => packedBatch([1, 2], 1, 8, mulberry32(1))).toThrow(/shorter than one window/);
  });

  it('gives the same batch for the same seed and step, and another for the next step', () => {
    const stream = Array.from({ length: 1000 }, (_, i) => i % 256);
    const at = (step: number) => packedBatch(stream, 2, 16, mulberry32(stepSeed(7, step)));
    expect(at(3)).toEqual(at(3));
    expect(at(3)).not.toEqual(at(4));
  });

  it('counts labels on responses only, ends them with <|end|> and pads with <|pad|> (mask 0)', () => {
    const a = responseRow(tok, { instruction: 'Q', output: 'A' }, 'chat', 64);
    expect(a.ids).toEqual([256, 259, 81, 261, 260, 65, 261]);
    expect(a.mask).toEqual([0, 0, 0, 0, 0, 1, 1]);
    const b = padRows(tok, [a, responseRow(tok, { instruction: 'Q', output: 'ABC' }, 'chat', 64)]);
    expect(b.ids[0]).toEqual([256, 259, 81, 261, 260, 65, 261, 258, 258]);
    expect(b.mask[0]).toEqual([0, 0, 0, 0, 0, 1, 1, 0, 0]);
    expect(countedLabels(b)).toBe(2 + 4);
  });

  it('groups rows into padded batches in order, the last one smaller', () => {
    const rows = ['a', 'b', 'c'].map((d) => documentRow(tok, d, 8));
    const batches = toBatches(tok, rows, 2);
    expect(batches.map((b) => b.ids.length)).toEqual([2, 1]);
    expect(sampledBatch(tok, rows, 5, mulberry32(3)).ids.length).toBe(5);
    expect(() => sampledBatch(tok, [], 1, mulberry32(3))).toThrow(/no rows/);
  });

  it('draws uniform numbers in [0, 1) reproducibly from a seed', () => {
    const r = mulberry32(42);
    const xs = Array.from({ length: 1000 }, r);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(Math.abs(xs.reduce((a, b) => a + b) / 1000 - 0.5)).toBeLessThan(0.05);
    expect(mulberry32(42)()).toBe(xs[0]);
  });
});

describe('CachedDecoder and greedyDecode', () => {
  const gqa = parseConfig({ ...config, num_attention_heads: 4, num_key_value_heads: 2, tie_word_embeddings: false });
  const fullLogits = (cfg: typeof config, params: Params, ids: number[]) =>
    tf.tidy(() => forwardLogits(cfg, params, tf.tensor2d([ids], undefined, 'int32')).arraySync()[0]);

  for (const [label, cfg] of [['tied, no GQA', config], ['untied, GQA 4/2', gqa]] as const) {
    it(`gives each left-padded row the logits of forwardLogits on its own ids (${label}, |Δ| < 1e-4)`, () => {
      const params = initParams(cfg, 9);
      const rows = [[256, 72, 105, 33, 10, 200, 5], [256, 9, 8], [256, 1, 2, 3, 4]];
      const width = 7;
      const pads = rows.map((r) => width - r.length);
      const dec = new CachedDecoder(cfg, params, 16, pads);
      const got: Float32Array[][] = [];
      for (let j = 0; j < width; j++) got.push(dec.step(rows.map((r, i) => (j < pads[i] ? 0 : r[j - pads[i]]))));
      rows.forEach((r, i) => {
        const full = fullLogits(cfg, params, r);
        for (let t = 0; t < r.length; t++) {
          let worst = 0;
          got[pads[i] + t][i].forEach((x, k) => (worst = Math.max(worst, Math.abs(x - full[t][k]))));
          expect(worst, `row ${i}, position ${t}`).toBeLessThan(1e-4);
        }
      });
      dec.dispose();
      disposeParams(params);
    });
  }

  it('continues prompts as repeated full forward passes would, batched or not, and stops at a stop id', () => {
    const params = initParams(config, 9);
    const slowDecode = (prompt: number[], n: number) => {
      const ids = [...prompt];
      for (let i = 0; i < n; i++) {
        const full = fullLogits(config, params, ids);
        const last = full[ids.length - 1];
        ids.push(last.indexOf(Math.max(...last)));
      }
      return ids.slice(prompt.length);
    };
    const prompts = [[256, 72, 105], [256, 1, 2, 3, 4, 5], [256]];
    const want = prompts.map((p) => slowDecode(p, 5));
    expect(greedyDecode(config, params, prompts, { stopIds: [], maxNewTokens: 5 })).toEqual(want);
    expect(greedyDecode(config, params, prompts, { stopIds: [], maxNewTokens: 5, batchSize: 2 })).toEqual(want);
    const stopped = greedyDecode(config, params, [prompts[0]], { stopIds: [want[0][2]], maxNewTokens: 5 })[0];
    expect(stopped).toEqual(want[0].slice(0, want[0].indexOf(want[0][2])));
    expect(greedyDecode(config, params, [], { stopIds: [], maxNewTokens: 5 })).toEqual([]);
    expect(() => greedyDecode(config, params, [[]], { stopIds: [], maxNewTokens: 5 })).toThrow(/at least one/);
    disposeParams(params);
  });

  it('leaks no tensors', () => {
    const params = initParams(config, 9);
    const before = tf.memory().numTensors;
    greedyDecode(config, params, [[256, 1], [256]], { stopIds: [], maxNewTokens: 4 });
    expect(tf.memory().numTensors).toBe(before);
    disposeParams(params);
  });
});

describe('finalNumber and sameNumber', () => {
  it.each([
    ['The answer is 42.', '42'],
    ['3 + 4 = 7\nAnswer: 1,250', '1250'],
    ['-5 degrees', '-5'],
    ['costs 2.50 dollars', '2.50'],
    ['no digits here', null],
    ['', null],
  ])('extracts the last number of %j', (text, want) => {
    expect(finalNumber(text)).toBe(want);
  });

  it.each([
    ['7', '7.0', true],
    ['7', '8', false],
    [null, '7', false],
    ['-3', '-3', true],
  ] as const)('compares %s and %s as numbers', (a, b, same) => {
    expect(sameNumber(a, b)).toBe(same);
  });
});
