// Every family against an independent reference, and its gradients against finite
// differences. The reference (tests/fixtures/model/family_reference.json) is written by
// scripts/fixtures/make_family_fixture.py: plain torch in float64 from transformers'
// Llama (attention and MLP biases, llama3 rope scaling), Qwen2 (q/k/v biases), Qwen3
// (per-head q/k norm, head_dim ≠ hidden/heads) and Mistral modeling code, 2 layers,
// d = 16, grouped-query heads, weights ~N(0, 0.3²), biases ~N(0, 0.1²).
// Finite differences as in llamaGradient.test.ts: central, ε = 3e-3 along a random
// direction (the biases and norms here curve the loss more than 1e-2 allows), relative
// 2e-2 of the larger side plus 2e-4 absolute (float32 rounding of L / 2ε ≈ 1e-4).
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../../scripts/lib/nodeBackend';
import { parseConfig, type LlamaConfig } from '../../../src/core/model/config';
import { forwardLogits } from '../../../src/core/model/llama';
import type { Params } from '../../../src/core/model/params';
import { responseLoss } from '../../../src/core/model/responseLoss';
import { sampleGradients } from '../../../src/core/model/sampleStats';

const EPS = 3e-3;

interface RawCase {
  name: string;
  config: unknown;
  params: Record<string, { shape: number[]; data: number[] }>;
  logits: number[][];
  loss: number;
  grads: Record<string, number[]>;
}
const raw = JSON.parse(readFileSync(fileURLToPath(new URL('../../fixtures/model/family_reference.json', import.meta.url)), 'utf8')) as {
  ids: number[];
  response_start: number;
  cases: RawCase[];
};

let cases: Array<{ raw: RawCase; config: LlamaConfig; params: Params }> = [];
beforeAll(async () => {
  await useNodeBackend('wasm');
  cases = raw.cases.map((c) => ({
    raw: c,
    config: parseConfig(c.config),
    params: new Map(Object.entries(c.params).map(([n, p]) => [n, tf.tensor(p.data, p.shape, 'float32')])),
  }));
});
afterAll(() => cases.forEach((c) => tf.dispose([...c.params.values()])));

const caseOf = (name: string) => cases.find((c) => c.raw.name === name)!;
const T = raw.ids.length;
const lossOf = (config: LlamaConfig, params: Params) => {
  const ids = tf.tensor2d([raw.ids], [1, T], 'int32');
  return responseLoss(config, params, ids, raw.response_start, { gatherEmbedding: true });
};

for (const name of raw.cases.map((c) => c.name)) {
  describe(`${name} against the torch reference`, () => {
    it('gives the same logits at every position (within 1e-4 of the largest)', () => {
      const { config, params, raw: ref } = caseOf(name);
      const got = tf.tidy(() => forwardLogits(config, params, tf.tensor2d([raw.ids], [1, T], 'int32')).arraySync()[0]);
      const scale = Math.max(...ref.logits.flat().map(Math.abs));
      let worst = 0;
      got.forEach((row, t) => row.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - ref.logits[t][j])))));
      expect(worst / scale).toBeLessThan(1e-4);
    });

    it('gives the same response loss (relative 1e-5)', () => {
      const { config, params, raw: ref } = caseOf(name);
      const loss = tf.tidy(() => lossOf(config, params).dataSync()[0]);
      expect(Math.abs(loss - ref.loss) / ref.loss).toBeLessThan(1e-5);
    });

    it('gives the same q/k/v/o gradients through the statistics path (within 1e-4 of each largest)', () => {
      const { config, params, raw: ref } = caseOf(name);
      const { grads } = sampleGradients(config, params, { ids: raw.ids, responseStart: raw.response_start });
      expect([...grads.keys()].sort()).toEqual(Object.keys(ref.grads).sort());
      for (const [n, want] of Object.entries(ref.grads)) {
        const got = grads.get(n)!.g;
        const scale = Math.max(...want.map(Math.abs));
        let worst = 0;
        want.forEach((v, i) => (worst = Math.max(worst, Math.abs(got[i] - v))));
        expect(worst / scale, n).toBeLessThan(1e-4);
      }
    });
  });

  describe(`${name}: gradients against central finite differences`, () => {
    const matrices = [0, 1].flatMap((i) =>
      ['self_attn.q_proj', 'self_attn.k_proj', 'self_attn.v_proj', 'self_attn.o_proj', 'mlp.gate_proj', 'mlp.up_proj', 'mlp.down_proj'].map((m) => `model.layers.${i}.${m}.weight`),
    );
    for (const m of matrices) {
      it(`${m} matches the directional derivative`, () => {
        const { config, params } = caseOf(name);
        const w = params.get(m)!;
        const [fd, analytic] = tf.tidy(() => {
          const dir = tf.randomNormal(w.shape, 0, 1, 'float32', m.length * 17 + 3);
          const at = (eps: number) => {
            const p = new Map(params);
            p.set(m, tf.add(w, tf.mul(dir, eps)));
            return lossOf(config, p).dataSync()[0];
          };
          const fdValue = (at(EPS) - at(-EPS)) / (2 * EPS);
          const grad = tf.grads((x: tf.Tensor) => {
            const p = new Map(params);
            p.set(m, x);
            return lossOf(config, p);
          })([w])[0];
          return [fdValue, tf.sum(tf.mul(grad, dir)).dataSync()[0]];
        });
        const scale = Math.max(Math.abs(fd), Math.abs(analytic));
        expect(Math.abs(fd - analytic), `fd ${fd} vs analytic ${analytic}`).toBeLessThanOrEqual(2e-2 * scale + 2e-4);
        expect(scale).toBeGreaterThan(1e-3);
      });
    }
  });
}
