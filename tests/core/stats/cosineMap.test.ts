import { describe, expect, it } from 'vitest';
import { parseRun } from '../../../src/core/format/runParser.ts';
import { cosineMapDifference, cosineModules, meanCosineMap, offDiagonalExtent } from '../../../src/core/stats/cosineMap.ts';

const Q = 'self_attn.q_proj';
const text = (x: number) => (Number.isNaN(x) ? 'NaN' : String(x));
function line(m: number[][]): string {
  const layers = m.map((_, l) => `"model.layers.${l}.self_attn.q_proj.weight": {"S_list": [1.0]}`).join(', ');
  const matrix = m.map((r) => `[${r.map(text).join(', ')}]`).join(', ');
  return `{${layers}, "cosine_sim": {"q_proj": {"layer_indices": [${m.map((_, i) => i).join(', ')}], "matrix": [${matrix}]}}}`;
}
const read = (rows: number[][][]) => parseRun('f.jsonl', new TextEncoder().encode(rows.map(line).join('\n')));

describe('meanCosineMap', () => {
  const run = read([
    [[1, 0.5, -0.25], [0.5, 1, 0.75], [-0.25, 0.75, 1]],
    [[1, 0.1, 0.25], [0.1, 1, NaN], [0.25, NaN, 1]],
  ]);

  it('averages the matrices cell by cell over the samples that have the cell (hand-computed)', () => {
    const m = meanCosineMap(run, Q)!;
    expect(m.layerCount).toBe(3);
    expect(Array.from(m.mean)).toEqual([1, 0.3, 0, 0.3, 1, 0.75, 0, 0.75, 1]);
    expect(Array.from(m.count)).toEqual([2, 2, 2, 2, 2, 1, 2, 1, 2]);
    expect(cosineModules(run)).toEqual([Q]);
    expect(meanCosineMap(run, 'self_attn.k_proj')).toBeNull();
  });

  it('gives the difference of two runs cell by cell, other − reference', () => {
    const other = read([[[1, 0.9, 0], [0.9, 1, 0.5], [0, 0.5, 1]]]);
    const d = cosineMapDifference(meanCosineMap(run, Q)!, meanCosineMap(other, Q)!);
    const expected = [0, 0.6, 0, 0.6, 0, -0.25, 0, -0.25, 0];
    for (let c = 0; c < 9; c++) expect(Math.abs(d.mean[c] - expected[c])).toBeLessThan(1e-15);
    expect(() => cosineMapDifference(meanCosineMap(run, Q)!, meanCosineMap(read([[[1, 0], [0, 1]]]), Q)!)).toThrow(RangeError);
  });

  it('measures the colour range off the diagonal', () => {
    expect(offDiagonalExtent(meanCosineMap(run, Q)!)).toBe(0.75);
  });
});
