/**
 * Labels that keep the difference: what every run shown shares is said once (the
 * figure's heading), each panel says what differs. Runs are split into labelled parts by
 * their factors (model, base / instruct, dataset, setting, correctness, …); a renamed
 * run is split at its " · " separators instead.
 */
import { describeRun } from '../../core/format/runPath.ts';
import { factorValue, valueLabel, type FactorKey } from '../state/factors.ts';
import type { RunEntry } from '../state/types.ts';

/** Factors in the order labels read them. */
const LABEL_FACTORS: readonly FactorKey[] = ['model', 'variant', 'metric', 'scorer', 'dataset', 'level', 'popularity', 'setting', 'quality', 'correctness', 'task'];

/** The parts of a run's label, each keyed so equal texts of different factors never merge. */
export function labelSegments(entry: RunEntry): { key: string; text: string }[] {
  const meta = entry.run.meta;
  if (entry.label !== describeRun(meta, entry.run.name) || !meta.model && !meta.dataset && !meta.setting) {
    return entry.label.split(' · ').map((text) => ({ key: `label:${text}`, text }));
  }
  const out: { key: string; text: string }[] = [];
  for (const f of LABEL_FACTORS) {
    const v = factorValue(entry, f);
    if (v !== undefined && !(f === 'task' && out.length > 0)) out.push({ key: `${f}:${v}`, text: valueLabel(f, v) });
  }
  return out;
}

/**
 * The heading (parts every entry has) and each entry's title (its other parts, in
 * order). One entry → its whole label as heading, title ''.
 * Example: llama3_8b base gsm8k None CoT correct, and the same Detailed CoT irrelevant →
 * heading "llama3_8b · base · gsm8k_train", titles ["None CoT · correct", "Detailed CoT · irrelevant"].
 */
export function splitLabels(entries: readonly RunEntry[]): { heading: string; titles: string[] } {
  if (entries.length === 0) return { heading: '', titles: [] };
  const segments = entries.map(labelSegments);
  const common = segments[0].filter((s) => segments.every((list) => list.some((o) => o.key === s.key)));
  const commonKeys = new Set(common.map((s) => s.key));
  return {
    heading: common.map((s) => s.text).join(' · '),
    titles: segments.map((list) => list.filter((s) => !commonKeys.has(s.key)).map((s) => s.text).join(' · ')),
  };
}

/** A run's full label as its parts read (for captions and exports). */
export function fullLabel(entry: RunEntry): string {
  return labelSegments(entry)
    .map((s) => s.text)
    .join(' · ');
}
