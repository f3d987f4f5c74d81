/**
 * The factors a run is described by: what its path says (model, base / instruct,
 * dataset, setting, correct / irrelevant, task, and the other families' MATH level,
 * wiki popularity, follow-up metric and subset) plus where it came from. Facets filter
 * by them, the encoding maps them to colour and line style, labels are built from them.
 */
import { datasetLabel, metricLabel, qualityLabel, scorerLabel, SETTING_ORDER, settingLabel } from '../../core/format/runPath.ts';
import type { RunEntry } from './types.ts';

/** A factor's key; `source` is where the run came from (demo, file, link, live computation). */
export type FactorKey =
  | 'source'
  | 'model'
  | 'variant'
  | 'dataset'
  | 'setting'
  | 'correctness'
  | 'task'
  | 'level'
  | 'popularity'
  | 'metric'
  | 'scorer'
  | 'quality';

/** A factor: its key, the name people read, and how values sort. */
export interface Factor {
  key: FactorKey;
  label: string;
  /** Rank of a value for sorting (lower first); values of equal rank sort by text. */
  rank?: (value: string) => number;
}

const rankIn =
  (order: readonly string[]) =>
  (value: string): number => {
    const i = order.indexOf(value);
    return i < 0 ? order.length : i;
  };

/** Every factor, in the order the facets list them. */
export const FACTORS: readonly Factor[] = [
  { key: 'source', label: 'Source', rank: rankIn(['file', 'url', 'compute', 'demo']) },
  { key: 'model', label: 'Model' },
  { key: 'variant', label: 'Variant', rank: rankIn(['base', 'instruct']) },
  { key: 'dataset', label: 'Dataset' },
  { key: 'setting', label: 'Setting', rank: rankIn(SETTING_ORDER) },
  { key: 'correctness', label: 'Correctness', rank: rankIn(['correct', 'irrelevant']) },
  { key: 'task', label: 'Task' },
  { key: 'level', label: 'MATH level' },
  { key: 'popularity', label: 'Popularity', rank: rankIn(['popular', 'long-tail']) },
  { key: 'metric', label: 'Quality metric' },
  { key: 'scorer', label: 'Scorer' },
  { key: 'quality', label: 'Subset', rank: rankIn(['highest', 'lowest']) },
];

const BY_KEY = new Map(FACTORS.map((f) => [f.key, f]));

/** The factor of a key. */
export function factorOf(key: FactorKey): Factor {
  return BY_KEY.get(key) as Factor;
}

/** Whether `text` names a factor (for values read from URLs). */
export function isFactorKey(text: string): text is FactorKey {
  return BY_KEY.has(text as FactorKey);
}

/** The value a run has for a factor, or undefined when its path does not say. Example: a None CoT run → setting `'none'`. */
export function factorValue(entry: RunEntry, key: FactorKey): string | undefined {
  if (key === 'source') return entry.source.kind;
  return entry.run.meta[key];
}

const SOURCE_LABELS: Record<string, string> = { demo: 'demo', file: 'your files', url: 'from links', compute: 'computed live' };

/**
 * A factor value as people read it (checkbox names, labels, legends).
 * Examples: setting `'none'` → `'None CoT'`, level `'3'` → `'Level 3'`, source `'file'` → `'your files'`.
 */
export function valueLabel(key: FactorKey, value: string): string {
  if (key === 'setting') return settingLabel(value);
  if (key === 'source') return SOURCE_LABELS[value] ?? value;
  if (key === 'level') return `Level ${value}`;
  if (key === 'metric') return metricLabel(value);
  if (key === 'scorer') return scorerLabel(value);
  if (key === 'quality') return qualityLabel(value);
  if (key === 'dataset') return datasetLabel(value);
  return value;
}

/** Sorts values of a factor: by the factor's rank, then as text with numbers compared as numbers. */
export function sortValues(key: FactorKey, values: Iterable<string>): string[] {
  const rank = factorOf(key).rank ?? (() => 0);
  return [...values].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b, 'en', { numeric: true }));
}

/**
 * The factors whose value differs between `entries` (a run without the value counts as
 * one more value), in {@link FACTORS} order. `source` is left out unless asked for.
 * Example: None and Detailed CoT runs of one model → `['setting']`.
 */
export function varyingFactors(entries: readonly RunEntry[], withSource = false): FactorKey[] {
  return FACTORS.filter((f) => withSource || f.key !== 'source')
    .map((f) => f.key)
    .filter((key) => new Set(entries.map((e) => factorValue(e, key) ?? '')).size > 1);
}
