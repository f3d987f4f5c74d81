import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../../scripts/lib/nodeBackend';
import { toJsonlLine } from '../../../src/core/format/jsonl';
import { parseRun } from '../../../src/core/format/runParser';
import { singularValues } from '../../../src/core/linalg';
import { parseConfig } from '../../../src/core/model/config';
import { disposeParams, initParams, type Params } from '../../../src/core/model/params';
import { sampleGradients, sampleStats, selectedMatrices } from '../../../src/core/model/sampleStats';
import { TINY_CONFIG } from './tinyModel';

const SAMPLE = { ids: [5, 3, 11, 0, 7, 2, 9, 4, 1], responseStart: 3 };
const TEXT = { instruction: 'Add 2 and 3.', input: '', output: '5' };
// Three layers, so the cosine maps have off-diagonal pairs that are not adjacent; GQA (k/v narrower than q/o).
const CONFIG = parseConfig({ ...TINY_CONFIG, num_hidden_layers: 3, num_attention_heads: 4, num_key_value_heads: 2 });

let params: Params;
beforeAll(async () => {
  await useNodeBackend('wasm');
  params = initParams(CONFIG, 5);
  for (const [n, t] of params) if (t.rank === 2) params.set(n, tf.tidy(() => tf.mul(t, 20)));
});
afterAll(() => disposeParams(params));

/** The follow-up's cosine written as a plain loop over the flattened gradients, in float64. */
function plainCosine(a: Float32Array, b: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / (Math.sqrt(aa) * Math.sqrt(bb) + 1e-9);
}

describe("sampleStats in the follow-up's format (--format unified)", () => {
  const record = () => sampleStats(CONFIG, params, SAMPLE, TEXT, { format: 'unified' });

  it('writes per matrix M_mean, M_max, M_min, frobenius_norm and S_list, then cosine_sim and cosine_sim_qkvo, as the follow-up does', () => {
    const r = record();
    expect(Object.keys(r)).toEqual(['instruction', 'input', 'output', 'loss', ...selectedMatrices(CONFIG), 'cosine_sim', 'cosine_sim_qkvo']);
    const q0 = r['model.layers.0.self_attn.q_proj.weight'] as Record<string, unknown>;
    expect(Object.keys(q0)).toEqual(['M_mean', 'M_max', 'M_min', 'frobenius_norm', 'S_list']);
    const cos = r.cosine_sim as Record<string, { layer_indices: number[]; matrix: number[][] }>;
    expect(Object.keys(cos)).toEqual(['q_proj', 'k_proj', 'v_proj', 'o_proj']);
    expect(cos.q_proj.layer_indices).toEqual([0, 1, 2]);
    expect(Object.keys(r.cosine_sim_qkvo as object)).toEqual(['0', '1', '2']);
    expect(Object.keys((r.cosine_sim_qkvo as Record<string, object>)['1'])).toEqual(['q_proj_x_o_proj', 'k_proj_x_v_proj']);
  });

  it('gives cosine maps equal to a plain loop over the flattened gradients (float64, within 1e-9)', () => {
    const r = record();
    const { grads } = sampleGradients(CONFIG, params, SAMPLE);
    const g = (layer: number, m: string) => grads.get(`model.layers.${layer}.self_attn.${m}.weight`)!.g;
    const cos = r.cosine_sim as Record<string, { matrix: number[][] }>;
    let checked = 0;
    for (const m of ['q_proj', 'k_proj', 'v_proj', 'o_proj']) {
      for (let i = 0; i < 3; i++) {
        for (let j = 0; j < 3; j++) {
          expect(Math.abs(cos[m].matrix[i][j] - plainCosine(g(i, m), g(j, m))), `${m} ${i},${j}`).toBeLessThanOrEqual(1e-9);
          checked++;
        }
      }
    }
    const qkvo = r.cosine_sim_qkvo as Record<string, Record<string, number>>;
    for (let l = 0; l < 3; l++) {
      expect(Math.abs(qkvo[l].q_proj_x_o_proj - plainCosine(g(l, 'q_proj'), g(l, 'o_proj')))).toBeLessThanOrEqual(1e-9);
      expect(Math.abs(qkvo[l].k_proj_x_v_proj - plainCosine(g(l, 'k_proj'), g(l, 'v_proj')))).toBeLessThanOrEqual(1e-9);
    }
    expect(checked).toBe(36);
    // Not trivially 0 or 1: the map says something about these gradients.
    expect(Math.abs(cos.q_proj.matrix[0][1])).toBeGreaterThan(1e-3);
    expect(Math.abs(cos.q_proj.matrix[0][1])).toBeLessThan(0.999);
  });

  it('writes S_list as every singular value of the gradient, largest first, and the reader derives the study statistics from it', () => {
    const r = record();
    const { grads } = sampleGradients(CONFIG, params, SAMPLE);
    const name = 'model.layers.1.self_attn.k_proj.weight';
    const { g, rows, cols } = grads.get(name)!;
    const list = (r[name] as { S_list: number[] }).S_list;
    const sigma = singularValues(g, rows, cols);
    expect(list).toHaveLength(Math.min(rows, cols));
    for (let i = 0; i < list.length; i++) expect(Math.abs(list[i] - sigma[i])).toBeLessThanOrEqual(1e-9 * sigma[0]);
    for (let i = 1; i < list.length; i++) expect(list[i]).toBeLessThanOrEqual(list[i - 1]);
    const run = parseRun('u.jsonl', new TextEncoder().encode(toJsonlLine(r)));
    const sSum = list.reduce((a, b) => a + b, 0);
    expect(run.values.get('self_attn.k_proj')?.get('S_sum')?.[1]).toBe(sSum);
    const layerGradient = sampleStats(CONFIG, params, SAMPLE, TEXT);
    expect(Math.abs(sSum - (layerGradient[name] as { S_sum: number }).S_sum)).toBeLessThanOrEqual(1e-12 * sSum);
  });

  it('reads back as symmetric cosine maps with a unit diagonal (to the 1e-9 guard)', () => {
    const run = parseRun('u.jsonl', new TextEncoder().encode(toJsonlLine(record())));
    for (const [module, c] of run.cosineSim ?? []) {
      for (let i = 0; i < 3; i++) {
        expect(Math.abs(c[i * 3 + i] - 1), `${module} diagonal ${i}`).toBeLessThan(1e-8);
        for (let j = 0; j < 3; j++) expect(c[i * 3 + j]).toBe(c[j * 3 + i]);
      }
    }
    expect([...(run.cosineSim?.keys() ?? [])]).toHaveLength(4);
  });

  it('writes NaN cosines and empty lists for a sample with no response token', () => {
    const r = sampleStats(CONFIG, params, { ids: [5, 3, 11], responseStart: 3 }, TEXT, { format: 'unified' });
    expect((r['model.layers.0.self_attn.q_proj.weight'] as { S_list: number[] }).S_list).toEqual([]);
    expect((r.cosine_sim as Record<string, { matrix: number[][] }>).q_proj.matrix[0][1]).toBeNaN();
    expect((r.cosine_sim_qkvo as Record<string, Record<string, number>>)['0'].q_proj_x_o_proj).toBeNaN();
  });
});
