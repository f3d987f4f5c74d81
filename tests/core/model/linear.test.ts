import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../../scripts/lib/nodeBackend';
import { linear, matMul, matMulBT, type FactorCapture, type LinearOptions } from '../../../src/core/model/linear';

beforeAll(async () => {
  await useNodeBackend('wasm');
});

const close = (a: number[], b: number[], tol: number) => a.forEach((x, i) => expect(Math.abs(x - b[i])).toBeLessThan(tol));

describe('matMul flavours', () => {
  it('give the same products and gradients, batched over leading axes (within 1e-4)', () => {
    const a = tf.randomNormal([2, 3, 4, 5], 0, 1, 'float32', 1);
    const b = tf.randomNormal([2, 3, 5, 6], 0, 1, 'float32', 2); // for a @ b
    const c = tf.randomNormal([2, 3, 6, 5], 0, 1, 'float32', 3); // for a @ cᵀ
    const cases: [string, tf.Tensor, (x: tf.Tensor, y: tf.Tensor, m: 'native' | 'transposed') => tf.Tensor][] = [
      ['a @ b', b, (x, y, m) => matMul(x, y, m)],
      ['a @ cᵀ', c, (x, y, m) => matMulBT(x, y, m)],
    ];
    for (const [label, other, f] of cases) {
      const run = (mode: 'native' | 'transposed') =>
        tf.tidy(() => {
          const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(f(x, y, mode))))([a, other]);
          return [Array.from(f(a, other, mode).dataSync()), Array.from(ga.dataSync()), Array.from(gb.dataSync())];
        });
      const n = run('native');
      const t = run('transposed');
      expect(n[0].length, label).toBe(2 * 3 * 4 * 6);
      n.forEach((arr, i) => close(arr, t[i], 1e-4));
    }
    tf.dispose([a, b, c]);
  });
});

describe('linear with factor capture', () => {
  it('computes x Wᵀ and hands Δ [N, out] and X [N, in] with Δᵀ X equal to the weight gradient (within 1e-5)', () => {
    const x = tf.randomNormal([4, 3], 0, 1, 'float32', 4) as tf.Tensor2D;
    const w = tf.randomNormal([2, 3], 0, 1, 'float32', 5) as tf.Tensor2D;
    const got: { dy: tf.Tensor2D; x: tf.Tensor2D }[] = [];
    const capture: FactorCapture = { names: new Set(['w']), sink: (_n, dy, xx) => got.push({ dy, x: xx }) };
    const y = tf.tidy(() => linear(x, w, 'native', 'w', { capture }).arraySync());
    const ref = tf.tidy(() => (tf.matMul(x, w, false, true) as tf.Tensor2D).arraySync());
    y.forEach((row, i) => close(row, ref[i], 1e-6));
    const gw = tf.tidy(() => tf.grads((ww: tf.Tensor) => tf.sum(tf.sin(linear(x, ww as tf.Tensor2D, 'native', 'w', { capture }))))([w])[0].arraySync() as number[][]);
    expect(got).toHaveLength(1);
    expect(got[0].dy.shape).toEqual([4, 2]);
    expect(got[0].x.shape).toEqual([4, 3]);
    const product = tf.tidy(() => (tf.matMul(got[0].dy, got[0].x, true, false) as tf.Tensor2D).arraySync());
    product.forEach((row, i) => close(row, gw[i], 1e-5));
    tf.dispose([x, w, got[0].dy, got[0].x]);
  });

  it('does not capture layers it is not asked for', () => {
    const got: string[] = [];
    const capture: FactorCapture = { names: new Set(['other']), sink: (n, dy, x) => (got.push(n), tf.dispose([dy, x])) };
    const w = tf.ones([2, 2]) as tf.Tensor2D;
    tf.tidy(() => tf.grads((ww: tf.Tensor) => tf.sum(linear(tf.ones([1, 2]) as tf.Tensor2D, ww as tf.Tensor2D, 'transposed', 'w', { capture })))([w]));
    expect(got).toEqual([]);
    w.dispose();
  });
});

describe('linear with weightGrads', () => {
  it('gives a weight left out the same input gradient and no gradient of its own (transposed matMul)', () => {
    const x = tf.randomNormal([5, 3], 0, 1, 'float32', 6) as tf.Tensor2D;
    const w = tf.randomNormal([4, 3], 0, 1, 'float32', 7) as tf.Tensor2D;
    const dx = (options: LinearOptions) =>
      tf.tidy(() => Array.from(tf.grad((xx: tf.Tensor) => tf.sum(tf.sin(linear(xx as tf.Tensor2D, w, 'transposed', 'w', options))))(x).dataSync()));
    const reference = tf.tidy(() => Array.from(tf.grad((xx: tf.Tensor) => tf.sum(tf.sin(tf.matMul(xx, w, false, true))))(x).dataSync()));
    close(dx({ weightGrads: new Set(['other']) }), reference, 1e-5);
    close(dx({}), reference, 1e-5);
    // Left out, W is a constant of the layer: tfjs finds no path from it to the output.
    expect(() => tf.tidy(() => tf.grad((ww: tf.Tensor) => tf.sum(linear(x, ww as tf.Tensor2D, 'transposed', 'w', { weightGrads: new Set() })))(w))).toThrow(
      /Cannot compute gradient/,
    );
    const listed = tf.tidy(() => Array.from(tf.grad((ww: tf.Tensor) => tf.sum(linear(x, ww as tf.Tensor2D, 'transposed', 'w', { weightGrads: new Set(['w']) })))(w).dataSync()));
    const expected = tf.tidy(() => Array.from(tf.matMul(tf.ones([5, 4]), x, true, false).dataSync()));
    close(listed, expected, 1e-5);
    tf.dispose([x, w]);
  });
});
