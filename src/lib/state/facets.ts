/**
 * Facets: which runs every plot and table shows. Each factor is a group of values with
 * counts; a value unchecked hides its runs everywhere (not only from the run list), and
 * the text filter narrows further. The state is plain data in the view settings, so a
 * link carries it.
 */
import { FACTORS, factorValue, sortValues, valueLabel, type FactorKey } from './factors.ts';
import type { RunEntry } from './types.ts';

/** Unchecked values per factor; `''` stands for runs whose path does not give the factor. */
export type FacetHidden = Partial<Record<FactorKey, string[]>>;

/** Label of the value runs get when their path does not give a factor. */
export const NOT_IN_PATH = 'not in path';

/** One checkbox of a facet group. */
export interface FacetValue {
  value: string;
  label: string;
  /** Runs with this value (among all loaded runs). */
  count: number;
  checked: boolean;
}

/** One facet group: a factor and its values. */
export interface FacetGroup {
  key: FactorKey;
  label: string;
  values: FacetValue[];
}

/**
 * The facet groups for the loaded runs: every factor some run has a value for, values
 * sorted as the factor orders them, `''` ("not in path") last when some runs lack it.
 * Example: 12 demo runs → Source (demo 12), Model (gradlens_tiny 12), Variant (base 6, instruct 6), …
 */
export function facetGroups(entries: readonly RunEntry[], hidden: FacetHidden): FacetGroup[] {
  const groups: FacetGroup[] = [];
  for (const f of FACTORS) {
    const counts = new Map<string, number>();
    for (const e of entries) {
      const v = factorValue(e, f.key) ?? '';
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    const given = [...counts.keys()].filter((v) => v !== '');
    if (given.length === 0) continue;
    const off = new Set(hidden[f.key] ?? []);
    const values = [...sortValues(f.key, given), ...(counts.has('') ? [''] : [])].map((value) => ({
      value,
      label: value === '' ? NOT_IN_PATH : valueLabel(f.key, value),
      count: counts.get(value) ?? 0,
      checked: !off.has(value),
    }));
    groups.push({ key: f.key, label: f.label, values });
  }
  return groups;
}

/** Whether a run's text (label, file, factor values) holds every whitespace-separated term of `text`, case-insensitively; blank text → true. */
export function matchesText(entry: RunEntry, text: string): boolean {
  const terms = text.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return true;
  const values = FACTORS.map((f) => {
    const v = factorValue(entry, f.key);
    return v === undefined ? '' : valueLabel(f.key, v);
  });
  const hay = [entry.label, entry.run.file, ...values].join(' ').toLowerCase();
  return terms.every((t) => hay.includes(t));
}

/** Whether the facets and the text filter let a run through. */
export function admits(entry: RunEntry, hidden: FacetHidden, filter: string): boolean {
  for (const key in hidden) {
    const off = hidden[key as FactorKey];
    if (off?.length && off.includes(factorValue(entry, key as FactorKey) ?? '')) return false;
  }
  return matchesText(entry, filter);
}

/** `hidden` with one value checked (`on`) or unchecked; empty groups are dropped. */
export function toggleValue(hidden: FacetHidden, key: FactorKey, value: string, on: boolean): FacetHidden {
  const rest = (hidden[key] ?? []).filter((v) => v !== value);
  return withGroup(hidden, key, on ? rest : [...rest, value]);
}

/** `hidden` with only `value` checked in its group (every other value of `values` unchecked). */
export function onlyValue(hidden: FacetHidden, key: FactorKey, value: string, values: readonly string[]): FacetHidden {
  return withGroup(
    hidden,
    key,
    values.filter((v) => v !== value),
  );
}

/** `hidden` with every value of a group checked. */
export function allValues(hidden: FacetHidden, key: FactorKey): FacetHidden {
  return withGroup(hidden, key, []);
}

function withGroup(hidden: FacetHidden, key: FactorKey, off: string[]): FacetHidden {
  const next: FacetHidden = { ...hidden };
  if (off.length) next[key] = off;
  else delete next[key];
  return next;
}

/**
 * A stable text for the facet state (keys and values sorted), so views can depend on a
 * primitive that changes only when the facets do. Example: `{setting: ['none']}`, '' → `'[[["setting",["none"]]],""]'`.
 */
export function facetKey(hidden: FacetHidden, filter: string): string {
  const groups = Object.entries(hidden)
    .filter(([, v]) => v && v.length)
    .map(([k, v]) => [k, [...(v as string[])].sort()] as const)
    .sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify([groups, filter.trim()]);
}

/** The facet state back from {@link facetKey}. */
export function parseFacetKey(key: string): { hidden: FacetHidden; filter: string } {
  const [groups, filter] = JSON.parse(key) as [[FactorKey, string[]][], string];
  return { hidden: Object.fromEntries(groups) as FacetHidden, filter };
}
