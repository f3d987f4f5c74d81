import { describe, expect, it } from 'vitest';
import { cosineMatrix, dot, followupCosine } from '../../../src/core/linalg/cosine';
import { cosineBlocks } from '../../../src/core/format/followupBlocks';

describe("the follow-up's cosine", () => {
  it('is dot / (‖a‖‖b‖ + 1e-9) (hand-computed)', () => {
    expect(followupCosine([1, 0], [1, 1])).toBe(1 / (Math.SQRT2 + 1e-9));
    expect(followupCosine([3, 4], [-3, -4])).toBe(-25 / (25 + 1e-9));
    expect(followupCosine([0, 0], [0, 0])).toBe(0);
    expect(followupCosine([1, NaN], [1, 1])).toBeNaN();
  });

  it('refuses vectors of different lengths, as torch.dot does', () => {
    expect(() => dot([1, 2], [1])).toThrow(RangeError);
  });

  it('gives a symmetric matrix whose diagonal is ‖a‖² / (‖a‖² + 1e-9)', () => {
    const m = cosineMatrix([[1, 2, 2], [0, 3, 4], [2, 0, 0]]);
    expect(m[1]).toBe(m[3]);
    expect(m[1]).toBe(14 / (3 * 5 + 1e-9));
    expect(m[0]).toBe(9 / (9 + 1e-9));
    expect(m[5]).toBe(m[7]);
    expect(Array.from(cosineMatrix([]))).toEqual([]);
  });
});

describe('cosineBlocks', () => {
  const g = new Map<string, number[]>([
    ['model.layers.1.self_attn.q_proj.weight', [1, 0, 0, 0]],
    ['model.layers.0.self_attn.q_proj.weight', [1, 1, 0, 0]],
    ['model.layers.0.self_attn.o_proj.weight', [0, 1, 0, 0]],
    ['model.layers.0.self_attn.k_proj.weight', [1, 1]],
    ['model.layers.0.self_attn.v_proj.weight', [1, 1, 1]],
    ['model.layers.0.mlp.up_proj.weight', [1, 1, 1, 1]],
  ]);
  const blocks = cosineBlocks([...g.keys()], (n) => g.get(n) ?? null);

  it('orders layer_indices ascending and projections as the follow-up does, ignoring other matrices', () => {
    expect(Object.keys(blocks.cosine_sim)).toEqual(['q_proj', 'k_proj', 'v_proj', 'o_proj']);
    expect(blocks.cosine_sim.q_proj.layer_indices).toEqual([0, 1]);
    expect(blocks.cosine_sim.q_proj.matrix[0][1]).toBe(1 / (Math.SQRT2 + 1e-9));
  });

  it('leaves out a same-layer pair of different sizes, and keeps the layers it has', () => {
    expect(blocks.cosine_sim_qkvo).toEqual({ '0': { q_proj_x_o_proj: 1 / (Math.SQRT2 + 1e-9) }, '1': {} });
  });
});
