/**
 * The follow-up study's `cosine_sim` and `cosine_sim_qkvo` blocks, written as its script
 * (get_grad_vector_initial_try.py) writes them, from the flattened gradients of one
 * sample: for each of q_proj, k_proj, v_proj, o_proj under `self_attn` (those present),
 * `{layer_indices: [ascending], matrix: [[cos(i, j)]]}`; for each layer (keys "0", "1", …
 * ascending) `{q_proj_x_o_proj, k_proj_x_v_proj}` where both matrices are there. Used by
 * the live computation (`--format unified`) and by the synthetic generator.
 */
import { cosineMatrix, followupCosine } from '../linalg/cosine.ts';
import { parseParamName } from './paramName.ts';

/** The projections the follow-up compares, in its order. */
export const COSINE_PROJECTIONS = ['q_proj', 'k_proj', 'v_proj', 'o_proj'] as const;
/** The same-layer pairs it compares, in its order. */
export const SAME_LAYER_PAIRS = [
  ['q_proj', 'o_proj'],
  ['k_proj', 'v_proj'],
] as const;

/** One projection's block. */
export interface CosineBlock {
  layer_indices: number[];
  matrix: number[][];
}

/** What a record gains in the follow-up's format. */
export interface CosineBlocks {
  cosine_sim: Record<string, CosineBlock>;
  cosine_sim_qkvo: Record<string, Record<string, number>>;
}

/**
 * The two blocks for one sample. `names` are the parameter names whose gradients were
 * taken; `gradient(name)` gives a matrix's gradient flattened in the parameter's own
 * (out, in) row-major order, or null when the sample has none (then its cosines are NaN).
 * Names outside `*.self_attn.{q,k,v,o}_proj` are not compared. A pair of matrices with
 * different sizes has no cosine (the follow-up's torch.dot would refuse it): left out.
 */
export function cosineBlocks(names: readonly string[], gradient: (name: string) => ArrayLike<number> | null): CosineBlocks {
  const byProjection = new Map<string, Map<number, string>>();
  for (const name of names) {
    const parsed = parseParamName(name);
    if (parsed === null) continue;
    const [scope, projection] = parsed.module.split('.');
    if (scope !== 'self_attn' || !(COSINE_PROJECTIONS as readonly string[]).includes(projection ?? '') || parsed.module.split('.').length !== 2) continue;
    let layers = byProjection.get(projection);
    if (layers === undefined) byProjection.set(projection, (layers = new Map()));
    layers.set(parsed.layer, name);
  }
  const vectorOf = new Map<string, ArrayLike<number> | null>();
  const vector = (name: string) => {
    if (!vectorOf.has(name)) vectorOf.set(name, gradient(name));
    return vectorOf.get(name) ?? null;
  };
  const cosine_sim: Record<string, CosineBlock> = {};
  for (const projection of COSINE_PROJECTIONS) {
    const layers = byProjection.get(projection);
    if (layers === undefined) continue;
    const layer_indices = [...layers.keys()].sort((a, b) => a - b);
    const vectors = layer_indices.map((l) => vector(layers.get(l) as string));
    const n = layer_indices.length;
    let matrix: number[][];
    if (vectors.every((v) => v !== null) && new Set(vectors.map((v) => v.length)).size === 1) {
      const m = cosineMatrix(vectors as ArrayLike<number>[]);
      matrix = Array.from({ length: n }, (_, i) => Array.from(m.subarray(i * n, (i + 1) * n)));
    } else matrix = Array.from({ length: n }, () => new Array<number>(n).fill(NaN));
    cosine_sim[projection] = { layer_indices, matrix };
  }
  const cosine_sim_qkvo: Record<string, Record<string, number>> = {};
  const allLayers = new Set<number>();
  for (const layers of byProjection.values()) for (const l of layers.keys()) allLayers.add(l);
  for (const layer of [...allLayers].sort((a, b) => a - b)) {
    const info: Record<string, number> = {};
    for (const [a, b] of SAME_LAYER_PAIRS) {
      const na = byProjection.get(a)?.get(layer);
      const nb = byProjection.get(b)?.get(layer);
      if (na === undefined || nb === undefined) continue;
      const va = vector(na);
      const vb = vector(nb);
      if (va !== null && vb !== null && va.length !== vb.length) continue;
      info[`${a}_x_${b}`] = va === null || vb === null ? NaN : followupCosine(va, vb);
    }
    cosine_sim_qkvo[String(layer)] = info;
  }
  return { cosine_sim, cosine_sim_qkvo };
}
