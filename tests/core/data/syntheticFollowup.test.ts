import { describe, expect, it } from 'vitest';
import { syntheticFollowupLines } from '../../../src/core/data/syntheticFollowup.ts';
import { parsePythonJson } from '../../../src/core/format/jsonl.ts';
import { parseRun } from '../../../src/core/format/runParser.ts';
import { computeCurve } from '../../../src/core/stats/computeCurve.ts';

const LAYERS = 8;
const file = (quality: 'highest' | 'lowest', seed = 4) => [...syntheticFollowupLines({ samples: 12, layers: LAYERS, quality, seed })].join('\n');
const read = (text: string) => parseRun('grads/synthetic_16/ifd_gpt2/grads_wiz_10k_highest_12.jsonl', new TextEncoder().encode(text));

describe('syntheticFollowupLines', () => {
  it('writes the same lines for the same seed, others for another', () => {
    expect(file('highest')).toBe(file('highest'));
    expect(file('highest', 5)).not.toBe(file('highest'));
  });

  it("writes the follow-up's record: per matrix the four fields and S_list, then the two cosine blocks", () => {
    const record = parsePythonJson(file('lowest').split('\n')[0]) as Record<string, unknown>;
    const keys = Object.keys(record);
    expect(keys.slice(0, 4)).toEqual(['instruction', 'input', 'output', 'loss']);
    expect(keys.slice(-2)).toEqual(['cosine_sim', 'cosine_sim_qkvo']);
    expect(Object.keys(record['model.layers.3.self_attn.k_proj.weight'] as object)).toEqual(['M_mean', 'M_max', 'M_min', 'frobenius_norm', 'S_list']);
  });

  it('gives cosine_sim matrices that read back symmetric with a unit diagonal (to the 1e-9 guard)', () => {
    const run = read(file('highest'));
    expect([...(run.cosineSim?.keys() ?? [])]).toEqual(['self_attn.q_proj', 'self_attn.k_proj', 'self_attn.v_proj', 'self_attn.o_proj']);
    let cells = 0;
    for (const c of run.cosineSim?.values() ?? []) {
      for (let s = 0; s < run.sampleCount; s++) {
        const base = s * LAYERS * LAYERS;
        for (let i = 0; i < LAYERS; i++) {
          expect(Math.abs(c[base + i * LAYERS + i] - 1)).toBeLessThan(1e-8);
          for (let j = 0; j < LAYERS; j++) {
            expect(c[base + i * LAYERS + j]).toBe(c[base + j * LAYERS + i]);
            expect(Math.abs(c[base + i * LAYERS + j])).toBeLessThanOrEqual(1);
            cells++;
          }
        }
      }
    }
    expect(cells).toBe(4 * 12 * LAYERS * LAYERS);
  });

  it('gives the highest subset lower nuclear norms and higher effective ranks than the lowest, as the follow-up found', () => {
    const high = read(file('highest'));
    const low = read(file('lowest'));
    for (const module of ['self_attn.q_proj', 'self_attn.v_proj']) {
      const mean = (run: typeof high, stat: string) => computeCurve(run, module, stat).mean.reduce((a, b) => a + b, 0) / LAYERS;
      expect(mean(high, 'S_sum')).toBeLessThan(mean(low, 'S_sum'));
      expect(mean(high, 'effective_rank')).toBeGreaterThan(mean(low, 'effective_rank'));
    }
  });
});
