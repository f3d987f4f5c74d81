/**
 * Built-in datasets addressed by a text spec, so a URL, a CLI flag or a worker message
 * can name one: `builtin:arithmetic?n=50&seed=1&setting=detailed&irrelevant=1`.
 */
import type { DatasetRecord } from '../format/dataset';
import { BUILTIN_DATASETS, generateProblems } from './builtinDatasets';
import { toDatasetRecords } from './datasetRecords';
import { SETTING_KINDS, type SettingKind } from './problem';

/** A parsed spec with every default filled in. */
export interface BuiltinSpec {
  name: string;
  /** Number of records (default 100, at most 100 000). */
  n: number;
  /** Seed of the problems and of the irrelevant pairing (default 1). */
  seed: number;
  /** Response style (default `detailed`). */
  setting: SettingKind;
  /** Pair each instruction with another problem's response (default false). */
  irrelevant: boolean;
}

/** The study's setting names, accepted as aliases. */
const SETTING_ALIASES: Record<string, SettingKind> = { no_cot: 'none', with_cot: 'simplified', with_cot_gpt4o: 'detailed' };
const MAX_N = 100_000;

/**
 * Reads `builtin:<name>[?key=value&…]`. Keys: `n` (whole number 0…100000), `seed`
 * (integer), `setting` (`none` | `simplified` | `detailed`, or the study's `no_cot` |
 * `with_cot` | `with_cot_gpt4o`), `irrelevant` (`1`/`true`/`0`/`false`). Throws with a
 * readable message on a missing prefix, an unknown dataset, key or value.
 * Example: parseBuiltinSpec('builtin:weekday?n=5') → { name: 'weekday', n: 5, seed: 1, setting: 'detailed', irrelevant: false }.
 */
export function parseBuiltinSpec(spec: string): BuiltinSpec {
  const m = /^builtin:([A-Za-z0-9_-]+)(?:\?(.*))?$/.exec(spec.trim());
  if (!m) throw new Error(`not a built-in dataset spec: "${spec}" (expected builtin:<name>?n=…&seed=…&setting=…&irrelevant=…)`);
  const name = m[1];
  if (!BUILTIN_DATASETS.some((d) => d.name === name)) {
    throw new Error(`unknown built-in dataset "${name}"; known: ${BUILTIN_DATASETS.map((d) => d.name).join(', ')}`);
  }
  const out: BuiltinSpec = { name, n: 100, seed: 1, setting: 'detailed', irrelevant: false };
  for (const part of (m[2] ?? '').split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = decodeURIComponent(eq === -1 ? part : part.slice(0, eq));
    const value = decodeURIComponent(eq === -1 ? '' : part.slice(eq + 1));
    if (key === 'n') {
      const n = Number(value);
      if (value === '' || !Number.isInteger(n) || n < 0 || n > MAX_N) throw new Error(`n must be a whole number 0…${MAX_N}, got "${value}"`);
      out.n = n;
    } else if (key === 'seed') {
      const s = Number(value);
      if (value === '' || !Number.isInteger(s)) throw new Error(`seed must be an integer, got "${value}"`);
      out.seed = s;
    } else if (key === 'setting') {
      const s = (SETTING_KINDS as readonly string[]).includes(value)
        ? (value as SettingKind)
        : Object.prototype.hasOwnProperty.call(SETTING_ALIASES, value)
          ? SETTING_ALIASES[value]
          : undefined;
      if (!s) throw new Error(`setting must be none, simplified or detailed (or no_cot, with_cot, with_cot_gpt4o), got "${value}"`);
      out.setting = s;
    } else if (key === 'irrelevant') {
      if (['1', 'true'].includes(value)) out.irrelevant = true;
      else if (['0', 'false'].includes(value)) out.irrelevant = false;
      else throw new Error(`irrelevant must be 1, true, 0 or false, got "${value}"`);
    } else {
      throw new Error(`unknown key "${key}" in built-in dataset spec (known: n, seed, setting, irrelevant)`);
    }
  }
  return out;
}

/**
 * The records a spec names (see parseBuiltinSpec), ready for training: the same spec
 * always gives the same records. Example: builtinDataset('builtin:arithmetic?n=2&setting=none')
 * → two records whose output is the bare answer, like "42" (as the study's no_cot files).
 */
export function builtinDataset(spec: string): DatasetRecord[] {
  const s = parseBuiltinSpec(spec);
  return toDatasetRecords(generateProblems(s.name, s.n, s.seed), s.setting, s.irrelevant, s.seed);
}
