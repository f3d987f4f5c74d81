/**
 * Parameter names → (layer, module). The layer index and the module key are read
 * from the name itself, so any model family works without a list of models or a
 * fixed layer count.
 */
import type { ModuleKey } from './run.ts';

/** A parameter name split into its layer index and module key. */
export interface ParamName {
  layer: number;
  module: ModuleKey;
}

const DIGITS = /^[0-9]+$/;

/**
 * Reads the layer index and module key from a parameter name: the last purely
 * numeric dotted segment that is followed by at least one more segment is the layer;
 * what follows it, without a trailing `.weight`, is the module.
 * `model.layers.3.self_attn.q_proj.weight` → `{layer: 3, module: 'self_attn.q_proj'}`;
 * `transformer.h.0.attn.c_attn.weight` → `{layer: 0, module: 'attn.c_attn'}`.
 * Returns null when the name has no such segment (`lm_head.weight`), when nothing but
 * `weight` follows it, or when the index is not a safe integer. Empty string → null.
 */
export function parseParamName(name: string): ParamName | null {
  const parts = name.split('.');
  let end = parts.length;
  if (end > 1 && parts[end - 1] === 'weight') end -= 1;
  for (let i = end - 2; i >= 0; i--) {
    const part = parts[i];
    if (!DIGITS.test(part)) continue;
    const layer = Number(part);
    if (!Number.isSafeInteger(layer)) return null;
    return { layer, module: parts.slice(i + 1, end).join('.') };
  }
  return null;
}

/** Last-segment names shown first, in this order (the study's Q, K, V, O panels). */
export const LEADING_PROJECTIONS: readonly string[] = ['q_proj', 'k_proj', 'v_proj', 'o_proj'];

function leadingRank(module: ModuleKey): number {
  const last = module.slice(module.lastIndexOf('.') + 1);
  const rank = LEADING_PROJECTIONS.indexOf(last);
  return rank < 0 ? LEADING_PROJECTIONS.length : rank;
}

/**
 * Display order of module keys given in order of first appearance: modules whose last
 * segment is q_proj, k_proj, v_proj, o_proj first (in that order), then the rest as
 * they came. Stable; returns a new array; empty → empty.
 * Example: `['mlp.up_proj', 'self_attn.k_proj', 'self_attn.q_proj']` →
 * `['self_attn.q_proj', 'self_attn.k_proj', 'mlp.up_proj']`.
 */
export function orderModules(modules: readonly ModuleKey[]): ModuleKey[] {
  return modules
    .map((module, index) => ({ module, index, rank: leadingRank(module) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((m) => m.module);
}
