import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../../scripts/lib/nodeBackend';
import { forwardLogits, maskedLoss, responseMask, rmsNorm, swiGlu } from '../../../src/core/model/llama';
import type { MatMulMode } from '../../../src/core/model/linear';
import { initParams } from '../../../src/core/model/params';
import { loadReferenceCases, TINY_CONFIG } from './tinyModel';

beforeAll(async () => {
  await useNodeBackend('wasm');
});

describe('forwardLogits against the numpy reference of HF LlamaForCausalLM', () => {
  const modes: MatMulMode[] = ['native', 'transposed'];
  for (const mode of modes) {
    it(`matches the reference logits and loss within 1e-4 (${mode} matMul)`, () => {
      for (const c of loadReferenceCases()) {
        const ids = tf.tensor2d(c.ids, undefined, 'int32');
        const mask = tf.tensor2d(c.labelMask);
        const [logits, loss] = tf.tidy(() => {
          const l = forwardLogits(c.config, c.params, ids, { mode });
          return [l.arraySync(), maskedLoss(l, ids, mask).dataSync()[0]] as const;
        });
        let worst = 0;
        logits.forEach((row, b) => row.forEach((v, t) => v.forEach((x, k) => {
          worst = Math.max(worst, Math.abs(x - c.logits[b][t][k]));
        })));
        expect(worst, `${c.name}: max |Δlogit|`).toBeLessThan(1e-4);
        expect(Math.abs(loss - c.loss), `${c.name}: |Δloss|`).toBeLessThan(1e-4);
        tf.dispose([ids, mask, ...c.params.values()]);
      }
    });
  }

  it('gives each row of a batch the logits it has alone (rows do not interact)', () => {
    const c = loadReferenceCases()[0];
    const both = tf.tidy(() => forwardLogits(c.config, c.params, tf.tensor2d(c.ids, undefined, 'int32')).arraySync());
    const second = tf.tidy(() => forwardLogits(c.config, c.params, tf.tensor2d([c.ids[1]], undefined, 'int32')).arraySync());
    second[0].forEach((v, t) => v.forEach((x, k) => expect(Math.abs(x - both[1][t][k])).toBeLessThan(1e-5)));
  });

  it('is causal: changing a later token leaves earlier logits unchanged (within 1e-6)', () => {
    const params = initParams(TINY_CONFIG, 3);
    const a = tf.tidy(() => forwardLogits(TINY_CONFIG, params, tf.tensor2d([[1, 2, 3, 4, 5, 6]], undefined, 'int32')).arraySync());
    const b = tf.tidy(() => forwardLogits(TINY_CONFIG, params, tf.tensor2d([[1, 2, 3, 9, 9, 9]], undefined, 'int32')).arraySync());
    for (let t = 0; t < 3; t++) a[0][t].forEach((x, k) => expect(Math.abs(x - b[0][t][k])).toBeLessThan(1e-6));
    expect(a[0][3].some((x, k) => Math.abs(x - b[0][3][k]) > 1e-6)).toBe(true);
  });
});

describe('maskedLoss', () => {
  let params: ReturnType<typeof initParams>;
  beforeAll(() => {
    params = initParams(TINY_CONFIG, 7);
  });
  const lossOf = (ids: number[], responseStart: number) =>
    tf.tidy(() => {
      const t = tf.tensor2d([ids], undefined, 'int32');
      return maskedLoss(forwardLogits(TINY_CONFIG, params, t), t, responseMask(ids.length, responseStart)).dataSync()[0];
    });

  it('ignores the labels of prompt tokens: changing the label of a prompt token leaves the loss unchanged', () => {
    // Logits are held fixed, so only the labels change: with the response starting at token 3,
    // tokens 0–2 are prompt labels (ignored) and tokens 3–5 are response labels (counted).
    const ids = [3, 1, 4, 1, 5, 9];
    const logits = tf.tidy(() => forwardLogits(TINY_CONFIG, params, tf.tensor2d([ids], undefined, 'int32')));
    const mask = responseMask(6, 3);
    const withLabels = (labels: number[]) => tf.tidy(() => maskedLoss(logits, tf.tensor2d([labels], undefined, 'int32'), mask).dataSync()[0]);
    const base = withLabels(ids);
    expect(withLabels([0, 7, 8, 1, 5, 9])).toBe(base);
    expect(withLabels([3, 1, 4, 2, 5, 9])).not.toBe(base);
    expect(withLabels([3, 1, 4, 1, 5, 10])).not.toBe(base);
    tf.dispose([logits, mask]);
  });

  it('equals the mean cross-entropy of the response labels computed by hand (within 1e-5)', () => {
    const ids = [3, 1, 4, 1, 5, 9];
    const logits = tf.tidy(() => forwardLogits(TINY_CONFIG, params, tf.tensor2d([ids], undefined, 'int32')).arraySync()[0]);
    let sum = 0;
    for (let t = 2; t < 5; t++) {
      const row = logits[t];
      const mx = Math.max(...row);
      const lse = mx + Math.log(row.reduce((s, x) => s + Math.exp(x - mx), 0));
      sum += lse - row[ids[t + 1]];
    }
    expect(Math.abs(lossOf(ids, 3) - sum / 3)).toBeLessThan(1e-5);
  });

  it('returns 0 when no label counts', () => {
    expect(lossOf([3, 1, 4], 3)).toBe(0);
  });
});

/** Largest |a − b| over two tensors' entries. */
function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

describe('ops with their gradients written out', () => {
  it('rmsNorm gives the value and the input and weight gradients of autodiff through its steps (within 1e-6)', () => {
    tf.tidy(() => {
      const x = tf.randomNormal([7, 12], 0, 2, 'float32', 1) as tf.Tensor2D;
      const w = tf.randomNormal([12], 1, 0.3, 'float32', 2);
      const dy = tf.randomNormal([7, 12], 0, 1, 'float32', 3);
      const steps = (a: tf.Tensor, b: tf.Tensor) => tf.mul(b, tf.mul(a, tf.rsqrt(tf.add(tf.mean(tf.square(a), -1, true), 1e-5))));
      const ours = tf.grads((a: tf.Tensor, b: tf.Tensor) => rmsNorm(a as tf.Tensor2D, b, 1e-5))([x, w], dy);
      const reference = tf.grads(steps)([x, w], dy);
      expect(maxAbsDiff(rmsNorm(x, w, 1e-5), steps(x, w))).toBeLessThan(1e-6);
      expect(maxAbsDiff(ours[0], reference[0]), 'd x').toBeLessThan(1e-6);
      expect(maxAbsDiff(ours[1], reference[1]), 'd weight').toBeLessThan(1e-5);
    });
  });

  it('rmsNorm with a constant weight gives the same value and input gradient as with the weight differentiated', () => {
    tf.tidy(() => {
      const x = tf.randomNormal([7, 12], 0, 2, 'float32', 7) as tf.Tensor2D;
      const w = tf.randomNormal([12], 1, 0.3, 'float32', 8);
      const dy = tf.randomNormal([7, 12], 0, 1, 'float32', 9);
      const constant = tf.grad((a: tf.Tensor) => rmsNorm(a as tf.Tensor2D, w, 1e-5, false))(x, dy);
      const differentiated = tf.grads((a: tf.Tensor, b: tf.Tensor) => rmsNorm(a as tf.Tensor2D, b, 1e-5))([x, w], dy)[0];
      expect(maxAbsDiff(rmsNorm(x, w, 1e-5, false), rmsNorm(x, w, 1e-5))).toBe(0);
      expect(maxAbsDiff(constant, differentiated), 'd x').toBe(0);
    });
  });

  it('swiGlu gives the value and both gradients of autodiff through SiLU(gate) · up (within 1e-6)', () => {
    tf.tidy(() => {
      const gate = tf.randomNormal([5, 9], 0, 3, 'float32', 4) as tf.Tensor2D;
      const up = tf.randomNormal([5, 9], 0, 1, 'float32', 5) as tf.Tensor2D;
      const dy = tf.randomNormal([5, 9], 0, 1, 'float32', 6);
      const steps = (g: tf.Tensor, u: tf.Tensor) => tf.mul(tf.mul(g, tf.sigmoid(g)), u);
      const ours = tf.grads((g: tf.Tensor, u: tf.Tensor) => swiGlu(g as tf.Tensor2D, u as tf.Tensor2D))([gate, up], dy);
      const reference = tf.grads(steps)([gate, up], dy);
      expect(maxAbsDiff(swiGlu(gate, up), steps(gate, up))).toBe(0);
      expect(maxAbsDiff(ours[0], reference[0]), 'd gate').toBeLessThan(1e-6);
      expect(maxAbsDiff(ours[1], reference[1]), 'd up').toBeLessThan(1e-6);
    });
  });
});
