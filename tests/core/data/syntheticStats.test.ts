import { describe, expect, it } from 'vitest';
import { syntheticStatsLines } from '../../../src/core/data/syntheticStats.ts';
import type { SyntheticStatsOptions } from '../../../src/core/data/syntheticStats.ts';
import { BASE_STATS, sampleText } from '../../../src/core/format/run.ts';
import type { Run } from '../../../src/core/format/run.ts';
import { parseRun } from '../../../src/core/format/runParser.ts';

const read = (opts: SyntheticStatsOptions) => parseRun('s.jsonl', new TextEncoder().encode([...syntheticStatsLines(opts)].join('\n')));

/** Mean S_sum per layer over NaN-free rows (the study's curve). */
function curve(run: Run, module: string): number[] {
  const col = run.values.get(module)?.get('S_sum') as Float64Array;
  const L = run.layerCount;
  const out = new Array<number>(L).fill(0);
  let kept = 0;
  for (let s = 0; s < run.sampleCount; s++) {
    const row = col.subarray(s * L, s * L + L);
    if (row.some(Number.isNaN)) continue;
    kept++;
    row.forEach((v, l) => (out[l] += v));
  }
  return out.map((v) => v / kept);
}
const mad = (c: number[]) => c.slice(1).reduce((sum, v, i) => sum + Math.abs(v - c[i]), 0) / (c.length - 1);
const relDiff = (a: number[], b: number[]) => a.reduce((sum, v, i) => sum + Math.abs(v - b[i]) / Math.abs(v), 0) / a.length;
const Q = 'self_attn.q_proj';

describe('syntheticStatsLines', () => {
  it('writes records the reader takes whole: every base stat for q, k, v, o at every layer', () => {
    const run = read({ samples: 5, layers: 6, setting: 'simplified', correctness: 'correct', seed: 1 });
    expect(run.sampleCount).toBe(5);
    expect(run.layerCount).toBe(6);
    expect(run.modules).toEqual(['self_attn.q_proj', 'self_attn.k_proj', 'self_attn.v_proj', 'self_attn.o_proj']);
    expect(run.stats).toEqual([...BASE_STATS]);
    expect(run.skipped).toEqual([]);
    for (const byStat of run.values.values()) for (const column of byStat.values()) expect(column.every(Number.isFinite)).toBe(true);
    expect(run.loss.every((l) => l > 0)).toBe(true);
    expect(sampleText(run, 0).instruction.length).toBeGreaterThan(100);
  });

  it('takes other module keys', () => {
    const run = read({ samples: 2, layers: 3, modules: ['mlp.up_proj', 'self_attn.q_proj'], setting: 'none', correctness: 'correct', seed: 1 });
    expect(run.modules).toEqual(['self_attn.q_proj', 'mlp.up_proj']);
  });

  it('gives the same lines for the same seed and different ones for another', () => {
    const opts = { samples: 3, layers: 4, setting: 'detailed', correctness: 'correct', seed: 42 } as const;
    expect([...syntheticStatsLines(opts)]).toEqual([...syntheticStatsLines(opts)]);
    expect([...syntheticStatsLines({ ...opts, seed: 43 })]).not.toEqual([...syntheticStatsLines(opts)]);
  });

  it.each([
    [0, 4],
    [4, 0],
    [-1, 4],
    [NaN, 4],
  ])('yields nothing for %d samples × %d layers', (samples, layers) => {
    expect([...syntheticStatsLines({ samples, layers, setting: 'none', correctness: 'correct', seed: 1 })]).toEqual([]);
  });

  it('writes bare NaN tokens at the asked rate, which the reader turns into NaN', () => {
    const all = read({ samples: 20, layers: 4, setting: 'none', correctness: 'correct', seed: 3, nanRate: 1 });
    const none = read({ samples: 20, layers: 4, setting: 'none', correctness: 'correct', seed: 3 });
    const nanCount = (run: Run) => [...run.values.values()].reduce((n, byStat) => n + (byStat.get('S_sum') as Float64Array).filter(Number.isNaN).length, 0);
    expect(nanCount(all)).toBe(20);
    expect(nanCount(none)).toBe(0);
  });

  it('prints floats as Python does (two-digit exponents) and escapes text like json.dumps', () => {
    const [line] = syntheticStatsLines({ samples: 1, layers: 2, setting: 'detailed', correctness: 'correct', seed: 5 });
    expect(line.startsWith('{"instruction": "')).toBe(true);
    expect(line).toMatch(/"M_mean": -?\d\.\d+e-\d\d,/);
    expect(line).not.toMatch(/e-\d,|e-\d}/);
  });

  it('is about as large as the release files: ~34 KB per 32-layer sample', () => {
    const bytes = [...syntheticStatsLines({ samples: 50, layers: 32, setting: 'detailed', correctness: 'correct', seed: 1 })].join('\n').length;
    expect(bytes * 10).toBeGreaterThan(15e6);
    expect(bytes * 10).toBeLessThan(20e6);
  });
});

describe('syntheticStatsLines mimics the study', () => {
  const runs = {
    none: read({ samples: 200, layers: 28, setting: 'none', correctness: 'correct', seed: 11 }),
    noneIrr: read({ samples: 200, layers: 28, setting: 'none', correctness: 'irrelevant', seed: 12 }),
    detailed: read({ samples: 200, layers: 28, setting: 'detailed', correctness: 'correct', seed: 13 }),
    detailedIrr: read({ samples: 200, layers: 28, setting: 'detailed', correctness: 'irrelevant', seed: 14 }),
  };
  const c = Object.fromEntries(Object.entries(runs).map(([k, run]) => [k, curve(run, Q)])) as Record<keyof typeof runs, number[]>;

  it('gives fast thinking larger nuclear norms than detailed CoT at every layer', () => {
    c.none.forEach((v, l) => expect(v).toBeGreaterThan(c.detailed[l]));
  });

  it('gives fast thinking larger norms in early layers than in late ones', () => {
    expect(c.none[0]).toBeGreaterThan(2 * c.none[c.none.length - 1]);
  });

  it('makes fast thinking bumpier across layers (larger MAD) than detailed CoT', () => {
    expect(mad(c.none)).toBeGreaterThan(5 * mad(c.detailed));
  });

  it('separates correct from irrelevant clearly only for detailed CoT', () => {
    expect(relDiff(c.detailed, c.detailedIrr)).toBeGreaterThan(0.4);
    expect(relDiff(c.none, c.noneIrr)).toBeLessThan(0.12);
  });
});
