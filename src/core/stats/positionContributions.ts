/**
 * Which positions drive each layer's gradient, for one live sample: the `token_norms`
 * a record holds (cₜ = ‖δₜ‖₂‖xₜ‖₂ per matrix, model/tokenNorms.ts) arranged as one
 * layers × positions grid per module, with each layer's shares cₜ / Σₜ cₜ and its
 * largest positions.
 */
import { orderModules, parseParamName } from '../format/paramName.ts';
import type { ModuleKey } from '../format/run.ts';

/** One sample's cₜ: per module a layer-major grid (index `layer * length + t`), NaN where the record gave no value. */
export interface SampleContributions {
  /** Token ids of the sequence, as computed (after truncation). */
  ids: number[];
  /** First position of the response (labels before it are ignored). */
  responseStart: number;
  /** Positions: ids.length. */
  length: number;
  layerCount: number;
  /** Modules in display order (q, k, v, o first). */
  modules: ModuleKey[];
  grids: Map<ModuleKey, Float64Array>;
}

/** One position of a layer and its value. */
export interface RankedPosition {
  position: number;
  value: number;
}

const isNumberArray = (v: unknown): v is unknown[] => Array.isArray(v);

/**
 * The grids of a record's extra fields (`input_ids`, `response_start`, `token_norms`),
 * for a run of `layerCount` layers; undefined when the record has no usable token_norms.
 * Matrices without a layer (lm_head) are left out; a list whose length is not the
 * sequence's, or a non-number in it, leaves NaN.
 */
export function sampleContributions(extra: Record<string, unknown> | undefined, layerCount: number): SampleContributions | undefined {
  const ids = extra?.input_ids;
  const norms = extra?.token_norms;
  if (!isNumberArray(ids) || typeof norms !== 'object' || norms === null || Array.isArray(norms)) return undefined;
  const length = ids.length;
  const start = Number(extra?.response_start);
  const grids = new Map<ModuleKey, Float64Array>();
  const order: ModuleKey[] = [];
  for (const [name, list] of Object.entries(norms as Record<string, unknown>)) {
    const at = parseParamName(name);
    if (!at || at.layer >= layerCount || !isNumberArray(list) || list.length !== length) continue;
    let grid = grids.get(at.module);
    if (!grid) {
      grid = new Float64Array(layerCount * length).fill(Number.NaN);
      grids.set(at.module, grid);
      order.push(at.module);
    }
    for (let t = 0; t < length; t++) {
      const v = list[t];
      grid[at.layer * length + t] = typeof v === 'number' ? v : Number.NaN;
    }
  }
  if (grids.size === 0) return undefined;
  return {
    ids: ids.map((id) => Number(id)),
    responseStart: Number.isInteger(start) ? Math.min(Math.max(start, 0), length) : 0,
    length,
    layerCount,
    modules: orderModules(order),
    grids,
  };
}

/**
 * Each layer's shares cₜ / Σₜ cₜ (a row of NaN where the layer's sum is 0 or not finite),
 * so layers of very different gradient size can be read on one colour scale.
 * Example: one layer [1, 3] → [0.25, 0.75].
 */
export function layerShares(grid: Float64Array, length: number): Float64Array {
  const out = new Float64Array(grid.length);
  for (let row = 0; row * length < grid.length; row++) {
    let sum = 0;
    for (let t = 0; t < length; t++) sum += grid[row * length + t];
    for (let t = 0; t < length; t++) out[row * length + t] = sum > 0 && Number.isFinite(sum) ? grid[row * length + t] / sum : Number.NaN;
  }
  return out;
}

/**
 * The `k` positions of layer `layer` with the largest values, largest first (ties: the
 * earlier position first); NaN values are never ranked.
 */
export function topPositions(grid: Float64Array, length: number, layer: number, k: number): RankedPosition[] {
  const ranked: RankedPosition[] = [];
  for (let t = 0; t < length; t++) {
    const value = grid[layer * length + t];
    if (!Number.isNaN(value)) ranked.push({ position: t, value });
  }
  ranked.sort((a, b) => b.value - a.value || a.position - b.position);
  return ranked.slice(0, Math.max(0, k));
}
