// The per-head attention (2-D matMuls per head, key/value heads indexed) against the
// batched form it replaced (rank-4 matMuls over [B, H, T, hd], key/value heads tiled as
// HF's repeat_kv does): same loss and gradient of every matrix, with grouped-query
// attention (4 query heads over 2 key/value heads, a batch of two; 2 over 1, one sequence).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { useNodeBackend } from '../../../scripts/lib/nodeBackend';
import type { AttentionContext } from '../../../src/core/model/attention';
import { headDim, parseConfig, type LlamaConfig } from '../../../src/core/model/config';
import { forwardLogits, maskedLoss } from '../../../src/core/model/llama';
import { linear, matMul, matMulBT, type MatMulMode } from '../../../src/core/model/linear';
import { getParam, initParams, paramShapes, type Params } from '../../../src/core/model/params';
import { rotateHalf } from '../../../src/core/model/rope';

// forwardLogits calls attention.selfAttention; the mock routes it to the batched form when asked.
const route = vi.hoisted(() => ({ batched: null as null | ((...args: never[]) => unknown) }));
vi.mock('../../../src/core/model/attention', async (importOriginal) => {
  const mod = await importOriginal<typeof import('../../../src/core/model/attention')>();
  const selfAttention = (...args: Parameters<typeof mod.selfAttention>) =>
    route.batched ? (route.batched as typeof mod.selfAttention)(...args) : mod.selfAttention(...args);
  return { ...mod, selfAttention };
});

const configOf = (heads: number, kvHeads: number): LlamaConfig =>
  parseConfig({
    model_type: 'llama', vocab_size: 32, hidden_size: 32, intermediate_size: 48,
    num_hidden_layers: 2, num_attention_heads: heads, num_key_value_heads: kvHeads,
  });

/** The batched attention, as gradlens computed it before per-head matMuls (and as HF writes it). */
function batchedAttention(
  config: LlamaConfig, params: Params, layer: number, h: tf.Tensor2D, b: number, t: number, ctx: AttentionContext,
): tf.Tensor2D {
  const p = `model.layers.${layer}.self_attn`;
  const hd = headDim(config);
  const nH = config.num_attention_heads;
  const nKv = config.num_key_value_heads;
  const lin = (x: tf.Tensor2D, n: string) => linear(x, getParam(params, `${p}.${n}.weight`) as tf.Tensor2D, ctx.mode, `${p}.${n}.weight`, ctx.linear);
  const cos = tf.reshape(ctx.cos, [t, hd]);
  const sin = tf.reshape(ctx.sin, [t, hd]);
  const heads = (x: tf.Tensor2D, n: number) => tf.transpose(tf.reshape(x, [b, t, n, hd]), [0, 2, 1, 3]) as tf.Tensor4D; // [B, n, T, hd]
  const rope = (x: tf.Tensor4D) => tf.add(tf.mul(x, cos), tf.mul(rotateHalf(x), sin)) as tf.Tensor4D;
  const repeatKv = (x: tf.Tensor4D) =>
    tf.reshape(tf.tile(tf.reshape(x, [b, nKv, 1, t * hd]), [1, 1, nH / nKv, 1]), [b, nH, t, hd]) as tf.Tensor4D;
  const q = rope(heads(lin(h, 'q_proj'), nH));
  const k = repeatKv(rope(heads(lin(h, 'k_proj'), nKv)));
  const v = repeatKv(heads(lin(h, 'v_proj'), nKv));
  const scores = tf.add(tf.mul(matMulBT(q, k, ctx.mode), 1 / Math.sqrt(hd)), ctx.mask);
  const out = matMul(tf.softmax(scores, -1), v, ctx.mode);
  return lin(tf.reshape(tf.transpose(out, [0, 2, 1, 3]), [b * t, nH * hd]) as tf.Tensor2D, 'o_proj');
}

const IDS = [
  [3, 9, 1, 30, 7, 7, 12, 0, 5],
  [8, 2, 2, 19, 4, 11, 25, 6, 31],
];
const MASK = [
  [0, 0, 0, 1, 1, 1, 1, 1, 1],
  [0, 0, 0, 0, 0, 1, 1, 1, 1],
];

const CASES = [
  { label: '4 query heads over 2 key/value heads, 2 sequences', config: configOf(4, 2), ids: IDS, mask: MASK },
  { label: '2 query heads over 1 key/value head, 1 sequence', config: configOf(2, 1), ids: IDS.slice(1), mask: MASK.slice(1) },
];

beforeAll(async () => {
  await useNodeBackend('wasm');
});

function lossAndGrads(c: (typeof CASES)[number], mode: MatMulMode, batched: boolean): { loss: number; grads: Float32Array[] } {
  route.batched = batched ? batchedAttention : null;
  return tf.tidy(() => {
    // Larger weights than HF's 0.02 so attention is far from uniform and gradients far from 0.
    const params = new Map([...initParams(c.config, 3)].map(([n, w]) => [n, w.shape.length === 2 ? tf.mul(w, 20) : w]));
    const ids = tf.tensor2d(c.ids, undefined, 'int32');
    const mask = tf.tensor2d(c.mask);
    const f = (...ws: tf.Tensor[]) => {
      const p = new Map(params);
      matricesOf(c.config).forEach((n, i) => p.set(n, ws[i]));
      return maskedLoss(forwardLogits(c.config, p, ids, { mode }), ids, mask);
    };
    const { value, grads } = tf.valueAndGrads(f)(matricesOf(c.config).map((n) => params.get(n)!));
    return { loss: value.dataSync()[0], grads: grads.map((g) => g.dataSync() as Float32Array) };
  });
}

const matricesOf = (config: LlamaConfig) => [...paramShapes(config)].filter(([, s]) => s.length === 2).map(([n]) => n);

for (const c of CASES) for (const mode of ['native', 'transposed'] as MatMulMode[]) {
  describe(`per-head attention against the batched one (${c.label}, ${mode} matMul)`, () => {
    it('gives the same loss (within 1e-5) and the same gradient of every matrix (within 1e-5 of its largest entry)', () => {
      const perHead = lossAndGrads(c, mode, false);
      const batched = lossAndGrads(c, mode, true);
      expect(Math.abs(perHead.loss - batched.loss)).toBeLessThan(1e-5);
      matricesOf(c.config).forEach((name, i) => {
        const a = perHead.grads[i];
        const b = batched.grads[i];
        const scale = b.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
        expect(scale, `${name}: gradient is not ~0`).toBeGreaterThan(1e-4);
        const worst = a.reduce((m, x, j) => Math.max(m, Math.abs(x - b[j])), 0);
        expect(worst, name).toBeLessThanOrEqual(1e-5 * scale);
      });
    });
  });
}
