/**
 * Arranging the run list: what a run's path says, as labelled facts; filtering by
 * text; grouping by one attribute. Pure functions the run list calls in `$derived`.
 */
import type { RunMeta } from '../../core/format/run.ts';
import { settingLabel } from '../../core/format/runPath.ts';
import { matchesText } from '../state/facets.ts';
import type { RunEntry } from '../state/types.ts';

/** Attributes the list can group by ('none' = one flat list). */
export type GroupKey = 'none' | 'model' | 'variant' | 'dataset' | 'setting' | 'correctness';

/** Group-by choices with their labels, in menu order. */
export const GROUP_KEYS: readonly { key: GroupKey; label: string }[] = [
  { key: 'none', label: 'No grouping' },
  { key: 'model', label: 'Model' },
  { key: 'variant', label: 'Base / instruct' },
  { key: 'dataset', label: 'Dataset' },
  { key: 'setting', label: 'Setting' },
  { key: 'correctness', label: 'Correct / irrelevant' },
];

/** One labelled thing the path says about a run. */
export interface RunFact {
  key: Exclude<GroupKey, 'none'>;
  value: string;
}

/**
 * The facts a run's metadata holds, in a fixed order, with readable values.
 * Example: `{model:'llama3_8b', variant:'instruct', setting:'detailed'}` →
 * model llama3_8b, variant instruct, setting "Detailed CoT".
 */
export function runFacts(meta: RunMeta): RunFact[] {
  const facts: RunFact[] = [];
  if (meta.model) facts.push({ key: 'model', value: meta.model });
  if (meta.variant) facts.push({ key: 'variant', value: meta.variant });
  if (meta.dataset) facts.push({ key: 'dataset', value: meta.dataset });
  if (meta.setting) facts.push({ key: 'setting', value: settingLabel(meta.setting) });
  if (meta.correctness) facts.push({ key: 'correctness', value: meta.correctness });
  return facts;
}

/** Entries whose label, file or factor values hold every whitespace-separated term of `text` (case-insensitive); all when blank. */
export function filterEntries(entries: readonly RunEntry[], text: string): RunEntry[] {
  return entries.filter((e) => matchesText(e, text));
}

/** A group of the run list: its heading and its entries in list order. */
export interface RunGroup {
  label: string;
  entries: RunEntry[];
}

/** Label used for runs whose path does not say. */
export const UNKNOWN_GROUP = 'Not in path';

/**
 * Groups entries by one attribute, groups in order of first appearance, entries in
 * list order; `'none'` gives one group labelled ''.
 * Example: by `'setting'` → "None CoT" [..], "Detailed CoT" [..].
 */
export function groupEntries(entries: readonly RunEntry[], by: GroupKey): RunGroup[] {
  if (by === 'none') return [{ label: '', entries: entries.slice() }];
  const groups = new Map<string, RunEntry[]>();
  for (const e of entries) {
    const label = runFacts(e.run.meta).find((f) => f.key === by)?.value ?? UNKNOWN_GROUP;
    const list = groups.get(label);
    if (list) list.push(e);
    else groups.set(label, [e]);
  }
  return [...groups].map(([label, list]) => ({ label, entries: list }));
}
