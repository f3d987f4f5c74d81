/**
 * Module colors as the study draws them: Q red, K green, V blue, O gray; any other
 * module (GPT-2 `c_attn`, MLP `gate_proj`, …) gets a distinct color of its own that
 * stays the same across runs and reloads.
 */

/** Colors keyed by a module key's last segment. */
const STUDY_COLORS: Record<string, string> = {
  q_proj: '#d62728',
  k_proj: '#2ca02c',
  v_proj: '#1f77b4',
  o_proj: '#7f7f7f',
};

/** Distinct colors for other modules, avoiding the study's four hues. */
const OTHER_COLORS = [
  '#9467bd',
  '#ff7f0e',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#bcbd22',
  '#393b79',
  '#637939',
  '#843c39',
  '#7b4173',
] as const;

/** Known non-Llama modules get a fixed slot so their color does not depend on hashing. */
const FIXED_SLOTS: Record<string, number> = {
  c_attn: 0,
  c_proj: 1,
  query_key_value: 2,
  dense: 3,
  gate_proj: 4,
  up_proj: 5,
  down_proj: 6,
  c_fc: 7,
};

/** The last dot-separated segment of a module key. Example: `"self_attn.q_proj"` → `"q_proj"`. */
export function moduleLeaf(module: string): string {
  const i = module.lastIndexOf('.');
  return i < 0 ? module : module.slice(i + 1);
}

/**
 * The display color of a module. Example: `moduleColor("self_attn.q_proj")` → `"#d62728"` (red);
 * `moduleColor("attn.c_proj")` and `moduleColor("mlp.c_proj")` share a color (same leaf).
 */
export function moduleColor(module: string): string {
  const leaf = moduleLeaf(module);
  const study = STUDY_COLORS[leaf];
  if (study) return study;
  const slot = FIXED_SLOTS[leaf];
  if (slot !== undefined) return OTHER_COLORS[slot];
  let h = 0;
  for (let i = 0; i < leaf.length; i++) h = (h * 31 + leaf.charCodeAt(i)) >>> 0;
  return OTHER_COLORS[h % OTHER_COLORS.length];
}

/**
 * A short label for legends: `q_proj` → `Q`, other modules keep their full key minus
 * common prefixes. Example: `moduleLabel("self_attn.v_proj")` → `"V"`, `moduleLabel("mlp.up_proj")` → `"mlp.up_proj"`.
 */
export function moduleLabel(module: string): string {
  const leaf = moduleLeaf(module);
  if (leaf in STUDY_COLORS) return leaf[0].toUpperCase();
  return module;
}
