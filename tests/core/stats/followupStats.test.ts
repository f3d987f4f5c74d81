import { describe, expect, it } from 'vitest';
import { parseRun } from '../../../src/core/format/runParser.ts';
import { computeCurve, layerSamples } from '../../../src/core/stats/computeCurve.ts';
import { computeMad } from '../../../src/core/stats/mad.ts';
import { comparisonSide } from '../../../src/core/stats/resampling/comparisonSide.ts';
import { hasStat, listStats, statLayerSpan, statModules, statValues } from '../../../src/core/stats/statValues.ts';
import { madTable, relativeDifferenceTable } from '../../../src/core/stats/tables.ts';

const L = 6;
const Q = 'self_attn.q_proj';
const K = 'self_attn.k_proj';
const QO = 'self_attn.q_proj_x_o_proj';

/** A symmetric L × L matrix with unit diagonal whose superdiagonal is `adjacent` (other cells 0). */
function matrix(adjacent: number[]): number[][] {
  return Array.from({ length: L }, (_, i) => Array.from({ length: L }, (_, j) => (i === j ? 1 : j === i + 1 ? adjacent[i] : i === j + 1 ? adjacent[j] : 0)));
}
const text = (x: number) => (Number.isNaN(x) ? 'NaN' : String(x));
function line(adjacent: number[], sameLayer: number[]): string {
  const matrices = Array.from({ length: L }, (_, l) => `"model.layers.${l}.self_attn.q_proj.weight": {"S_list": [${l + 2}.0, 1.0]}, "model.layers.${l}.self_attn.k_proj.weight": {"S_list": [1.0]}`);
  const m = matrix(adjacent).map((row) => `[${row.map(text).join(', ')}]`).join(', ');
  const qkvo = sameLayer.map((c, l) => `"${l}": {"q_proj_x_o_proj": ${text(c)}}`).join(', ');
  return `{"loss": 1.0, ${matrices.join(', ')}, "cosine_sim": {"q_proj": {"layer_indices": [0, 1, 2, 3, 4, 5], "matrix": [${m}]}}, "cosine_sim_qkvo": {${qkvo}}}`;
}
const A1 = [0.5, 0.25, 0.125, -0.5, 0.75];
const A2 = [0.1, 0.35, 0.625, -0.25, 0.25];
const run = parseRun('f.jsonl', new TextEncoder().encode([line(A1, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]), line(A2, [0.3, 0.2, 0.1, 0, -0.1, -0.2])].join('\n')));

describe('the follow-up statistics through the one statistics path', () => {
  it('lists the adjacent-layer and same-layer cosines after the effective rank', () => {
    expect(listStats(run)).toEqual(['S_sum', 'S_max', 'S_min', 'S_ratio', 'S_sum_regularized', 'effective_rank', 'cosine_sim_adjacent', 'cosine_sim_qkvo']);
  });

  it('gives the adjacent-layer cosine as matrix[i][i+1] at layer i, NaN at the last layer, which lies outside its span', () => {
    expect(Array.from(statValues(run, Q, 'cosine_sim_adjacent'))).toEqual([...A1, NaN, ...A2, NaN]);
    expect(statLayerSpan(run, 'cosine_sim_adjacent')).toBe(L - 1);
    expect(statLayerSpan(run, 'S_sum')).toBe(L);
  });

  it('averages it over samples without dropping them for the last layer, as the follow-up does', () => {
    const curve = computeCurve(run, Q, 'cosine_sim_adjacent');
    expect(curve.kept).toBe(2);
    expect(curve.span).toBe(L - 1);
    const expected = A1.map((a, i) => (a + A2[i]) / 2);
    for (let i = 0; i < L - 1; i++) expect(Math.abs(curve.mean[i] - expected[i])).toBeLessThan(1e-15);
    expect(curve.mean[L - 1]).toBeNaN();
    expect(layerSamples(run, Q, 'cosine_sim_adjacent', 2).values).toEqual(Float64Array.from([0.125, 0.625]));
  });

  it('drops a sample whose adjacent row holds a NaN inside the span (the study rule)', () => {
    const withNaN = parseRun('g.jsonl', new TextEncoder().encode([line(A1, [0, 0, 0, 0, 0, 0]), line([0.1, NaN, 0.2, 0.3, 0.4], [0, 0, 0, 0, 0, 0])].join('\n')));
    const curve = computeCurve(withNaN, Q, 'cosine_sim_adjacent');
    expect([curve.kept, curve.dropped]).toEqual([1, 1]);
    expect(Array.from(curve.mean.subarray(0, L - 1))).toEqual(A1);
  });

  it('takes MAD over the span with the splits of the layer count: 6 layers → [2, 4], late part [4, 5) has one layer', () => {
    const c = computeCurve(run, Q, 'cosine_sim_adjacent');
    const m = c.mean;
    const mad = computeMad(c);
    const diff = (i: number) => Math.abs(m[i + 1] - m[i]);
    expect(mad.all).toBeCloseTo((diff(0) + diff(1) + diff(2) + diff(3)) / 4, 15);
    expect(mad.early).toBeCloseTo(diff(0), 15);
    expect(mad.middle).toBeCloseTo(diff(2), 15);
    expect(mad.late).toBeNaN();
  });

  it('holds the same-layer cosines in pair modules, which have no other statistic', () => {
    expect(statModules(run, 'cosine_sim_qkvo')).toEqual([QO]);
    expect(statModules(run, 'S_sum')).toEqual([Q, K]);
    expect(statModules(run, 'cosine_sim_adjacent')).toEqual([Q]);
    expect(hasStat(run, QO, 'S_sum')).toBe(false);
    const curve = computeCurve(run, QO, 'cosine_sim_qkvo');
    // (0.1 + 0.3) / 2, (0.2 + 0.2) / 2, … : 0.2 at every layer, to rounding.
    for (const x of curve.mean) expect(Math.abs(x - 0.2)).toBeLessThan(1e-15);
  });

  it('tabulates MAD and relative difference only for the modules that have the statistic', () => {
    expect(madTable([run], 'S_sum').rows.map((r) => r.module)).toEqual([Q, K]);
    expect(madTable([run], 'cosine_sim_adjacent').rows.map((r) => r.module)).toEqual([Q]);
    const rd = relativeDifferenceTable([{ reference: run, other: run, differsIn: 'setting' }], 'cosine_sim_adjacent');
    expect(rd.rows.map((r) => [r.module, r.value])).toEqual([[Q, 0]]);
  });

  it('compares the adjacent-layer cosine on its span: a side of L − 1 layers', () => {
    const side = comparisonSide(run, 'cosine_sim_adjacent', [Q]);
    expect(side.layerCount).toBe(L - 1);
    expect(Array.from(side.values.get(Q) ?? [])).toEqual([...A1, ...A2]);
  });
});
