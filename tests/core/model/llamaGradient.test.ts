// Gradient check of the Llama model: for each q/k/v/o/gate/up/down matrix W, the
// directional derivative of the masked loss along a random direction D,
// (L(W + εD) − L(W − εD)) / 2ε, must equal ⟨∂L/∂W, D⟩. tfjs computes in float32, so
// ε = 1e-2 (central differences: truncation error O(ε²)); tolerance: relative 2e-2
// of max(|fd|, |analytic|), plus an absolute 2e-4 floor for float32 rounding of L / 2ε.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../../scripts/lib/nodeBackend';
import { forwardLogits, maskedLoss, responseMask } from '../../../src/core/model/llama';
import type { MatMulMode } from '../../../src/core/model/linear';
import type { Params } from '../../../src/core/model/params';
import { loadReferenceCases, type ReferenceCase } from './tinyModel';

const EPS = 1e-2;
const REL_TOL = 2e-2;
const ABS_TOL = 2e-4;
const IDS = [[5, 3, 11, 0, 7, 2]]; // T = 6
const RESPONSE_START = 2;

let ref: ReferenceCase;
beforeAll(async () => {
  await useNodeBackend('wasm');
  ref = loadReferenceCases()[0]; // 2 layers, d = 8, 2 heads over 1 kv head, ff 12, vocab 16, weights ~N(0, 0.4²)
});
afterAll(() => tf.dispose([...ref.params.values()]));

function lossWith(params: Params, mode: MatMulMode): tf.Scalar {
  const ids = tf.tensor2d(IDS, undefined, 'int32');
  return maskedLoss(forwardLogits(ref.config, params, ids, { mode }), ids, responseMask(IDS[0].length, RESPONSE_START));
}

// The reference case has 2 layers; one labelled check per matrix.
const MATRICES: string[] = [0, 1].flatMap((i) =>
  ['self_attn.q_proj', 'self_attn.k_proj', 'self_attn.v_proj', 'self_attn.o_proj', 'mlp.gate_proj', 'mlp.up_proj', 'mlp.down_proj'].map(
    (m) => `model.layers.${i}.${m}.weight`,
  ),
);

for (const mode of ['native', 'transposed'] as MatMulMode[]) {
  describe(`gradient of maskedLoss against central finite differences (${mode} matMul)`, () => {
    for (const name of MATRICES) {
      it(`${name} matches the finite-difference directional derivative`, () => {
        const w = ref.params.get(name)!;
        const [fd, analytic] = tf.tidy(() => {
          const d = tf.randomNormal(w.shape, 0, 1, 'float32', name.length * 31 + 7);
          const at = (delta: number) => {
            const p = new Map(ref.params);
            p.set(name, tf.add(w, tf.mul(d, delta)));
            return lossWith(p, mode).dataSync()[0];
          };
          const fdValue = (at(EPS) - at(-EPS)) / (2 * EPS);
          const grad = tf.grads((x: tf.Tensor) => {
            const p = new Map(ref.params);
            p.set(name, x);
            return lossWith(p, mode);
          })([w])[0];
          return [fdValue, tf.sum(tf.mul(grad, d)).dataSync()[0]];
        });
        const scale = Math.max(Math.abs(fd), Math.abs(analytic));
        expect(Math.abs(fd - analytic), `fd ${fd} vs analytic ${analytic}`).toBeLessThanOrEqual(REL_TOL * scale + ABS_TOL);
        expect(scale).toBeGreaterThan(1e-3); // the check is not vacuous
      });
    }
  });
}

describe('the two matMul flavours', () => {
  it('give the same gradients for every matrix (within 1e-5 absolute)', () => {
    const names = MATRICES;
    const gradsOf = (mode: MatMulMode) =>
      tf.tidy(() =>
        tf.grads((...xs: tf.Tensor[]) => {
          const p = new Map(ref.params);
          names.forEach((n, i) => p.set(n, xs[i]));
          return lossWith(p, mode);
        })(names.map((n) => ref.params.get(n)!)).map((g) => g.dataSync()),
      );
    const a = gradsOf('native');
    const b = gradsOf('transposed');
    names.forEach((n, i) => a[i].forEach((x, j) => expect(Math.abs(x - b[i][j]), n).toBeLessThan(1e-5)));
  });
});
