import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../../scripts/lib/nodeBackend';
import { applyRope, applyRopeGradient, ropeInvFreq, ropeTables, rotateHalf } from '../../../src/core/model/rope';

beforeAll(async () => {
  await useNodeBackend('wasm');
});

describe('rotary embeddings', () => {
  it('rotate_half maps [x1, x2] to [-x2, x1] on the last axis', () => {
    expect(tf.tidy(() => rotateHalf(tf.tensor1d([1, 2, 3, 4])).arraySync())).toEqual([-3, -4, 1, 2]);
  });

  it('tables hold cos/sin of t·θ^(-2j/d), repeated for the second half (within 1e-6)', () => {
    const { cos, sin } = ropeTables(3, 4, 100);
    const c = cos.arraySync();
    const s = sin.arraySync();
    const freqs = [1, 1 / 10]; // 100^(0/4), 100^(-2/4)
    for (let t = 0; t < 3; t++) {
      for (let j = 0; j < 4; j++) {
        expect(Math.abs(c[t][j] - Math.cos(t * freqs[j % 2]))).toBeLessThan(1e-6);
        expect(Math.abs(s[t][j] - Math.sin(t * freqs[j % 2]))).toBeLessThan(1e-6);
      }
    }
    tf.dispose([cos, sin]);
  });

  it('leaves position 0 unchanged and keeps each pair\'s norm (within 1e-6)', () => {
    const x = tf.randomNormal([1, 2, 5, 8], 0, 1, 'float32', 3) as tf.Tensor4D;
    const { cos, sin } = ropeTables(5, 8, 10000);
    const y = applyRope(x, cos, sin);
    const xs = x.arraySync()[0];
    const ys = y.arraySync()[0];
    for (let h = 0; h < 2; h++) {
      xs[h][0].forEach((v, j) => expect(Math.abs(ys[h][0][j] - v)).toBeLessThan(1e-6));
      for (let t = 0; t < 5; t++) {
        for (let j = 0; j < 4; j++) {
          const before = Math.hypot(xs[h][t][j], xs[h][t][j + 4]);
          const after = Math.hypot(ys[h][t][j], ys[h][t][j + 4]);
          expect(Math.abs(before - after)).toBeLessThan(1e-5);
        }
      }
    }
    tf.dispose([x, y, cos, sin]);
  });
});

describe('ropeInvFreq', () => {
  it("scales Llama 3.2's frequencies as transformers' _compute_llama3_parameters does (torch 1.13 values, relative 1e-6)", () => {
    // head_dim 64, rope_theta 5e5, factor 32, low 1, high 4, original 8192: Llama-3.2-1B's config.
    const f = ropeInvFreq(64, 500000, { rope_type: 'llama3', factor: 32, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 8192 });
    const expected: [number, number][] = [
      [0, 1.0], [5, 0.12868738174438477], [10, 0.016560440883040428], [13, 0.00483942124992609],
      [14, 0.0032114461064338684], [15, 0.0012905480107292533], [16, 0.000429556705057621],
      [20, 8.570255886297673e-6], [31, 9.418306490260875e-8],
    ];
    for (const [j, want] of expected) expect(Math.abs(f[j] - want) / want, `j = ${j}`).toBeLessThan(1e-6);
  });

  it('divides every frequency by the factor for linear scaling and leaves them alone without scaling', () => {
    const plain = ropeInvFreq(8, 10000);
    const linear = ropeInvFreq(8, 10000, { rope_type: 'linear', factor: 4 });
    plain.forEach((v, j) => expect(linear[j]).toBeCloseTo(v / 4, 12));
    expect(plain[0]).toBe(1);
    expect(plain[1]).toBeCloseTo(0.1, 7);
  });

  it('applyRopeGradient is the gradient autodiff takes through applyRope (within 1e-6)', () => {
    tf.tidy(() => {
      const x = tf.randomNormal([1, 6, 3, 8], 0, 1, 'float32', 7) as tf.Tensor4D;
      const dy = tf.randomNormal([1, 6, 3, 8], 0, 1, 'float32', 8) as tf.Tensor4D;
      const { cos, sin } = ropeTables(6, 8, 10000);
      const c = tf.reshape(cos, [6, 1, 8]);
      const s = tf.reshape(sin, [6, 1, 8]);
      const reference = tf.grad((a: tf.Tensor) => applyRope(a, c, s))(x, dy);
      const worst = tf.max(tf.abs(tf.sub(applyRopeGradient(dy, c, s), reference))).dataSync()[0];
      expect(worst).toBeLessThan(1e-6);
    });
  });
});

