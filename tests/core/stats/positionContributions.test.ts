import { describe, expect, it } from 'vitest';
import { layerShares, sampleContributions, topPositions } from '../../../src/core/stats/positionContributions';

const q = (l: number) => `model.layers.${l}.self_attn.q_proj.weight`;
const k = (l: number) => `model.layers.${l}.self_attn.k_proj.weight`;

describe('sampleContributions', () => {
  it('arranges a record\'s token_norms as one layers × positions grid per module, q before k, lm_head left out', () => {
    const extra = {
      input_ids: [10, 11, 12],
      response_start: 2,
      token_norms: { [k(1)]: [7, 8, 9], [q(0)]: [1, 2, 3], [q(1)]: [4, 5, 6], 'lm_head.weight': [0, 1, 2] },
    };
    const c = sampleContributions(extra, 2)!;
    expect(c.modules).toEqual(['self_attn.q_proj', 'self_attn.k_proj']);
    expect(c.length).toBe(3);
    expect(c.responseStart).toBe(2);
    expect(Array.from(c.grids.get('self_attn.q_proj')!)).toEqual([1, 2, 3, 4, 5, 6]);
    // Layer 0 of k is absent from the record: NaN, not 0.
    expect(Array.from(c.grids.get('self_attn.k_proj')!).map((v) => (Number.isNaN(v) ? 'NaN' : v))).toEqual(['NaN', 'NaN', 'NaN', 7, 8, 9]);
  });

  it('is undefined without token_norms, and leaves NaN for a list of the wrong length or a non-number', () => {
    expect(sampleContributions({ input_ids: [1], response_start: 0 }, 1)).toBeUndefined();
    expect(sampleContributions(undefined, 1)).toBeUndefined();
    const c = sampleContributions({ input_ids: [1, 2], response_start: 1, token_norms: { [q(0)]: [1, null], [q(1)]: [1, 2, 3] } }, 2)!;
    expect(Array.from(c.grids.get('self_attn.q_proj')!).map((v) => (Number.isNaN(v) ? 'NaN' : v))).toEqual([1, 'NaN', 'NaN', 'NaN']);
  });
});

describe('layerShares and topPositions', () => {
  it('divides each layer by its own sum, a zero layer giving NaN', () => {
    const shares = layerShares(Float64Array.from([1, 3, 0, 0]), 2);
    expect(Array.from(shares.slice(0, 2))).toEqual([0.25, 0.75]);
    expect(shares.slice(2).every(Number.isNaN)).toBe(true);
  });

  it('ranks a layer\'s positions largest first, earlier first on ties, NaN never ranked', () => {
    const grid = Float64Array.from([5, 1, 5, NaN, 9, /* layer 1 */ 0, 0, 0, 0, 1]);
    expect(topPositions(grid, 5, 0, 3)).toEqual([
      { position: 4, value: 9 },
      { position: 0, value: 5 },
      { position: 2, value: 5 },
    ]);
    expect(topPositions(grid, 5, 1, 1)).toEqual([{ position: 4, value: 1 }]);
    expect(topPositions(grid, 5, 0, 10)).toHaveLength(4);
  });
});
