/**
 * Where a new run goes in the run list: runs whose paths say they belong to the same
 * comparison sit together, correct before irrelevant, None → Simplified → Detailed CoT,
 * as the study lays out its panels. Runs without a setting keep arrival order.
 */
import type { RunMeta } from '../../core/format/run.ts';
import { SETTING_ORDER } from '../../core/format/runPath.ts';

const VARIANT_RANK: Record<string, number> = { base: 0, instruct: 1 };
const CORRECTNESS_RANK: Record<string, number> = { correct: 0, irrelevant: 1 };

function compareText(a: string | undefined, b: string | undefined): number {
  return (a ?? '').localeCompare(b ?? '');
}

function settingRank(setting: string): number {
  const i = (SETTING_ORDER as readonly string[]).indexOf(setting);
  return i < 0 ? SETTING_ORDER.length : i;
}

/**
 * Order of two runs by task, model, variant, dataset, correctness, then setting;
 * null when either run's path gives no setting (then arrival order decides).
 * Example: `{setting:'none'}` vs `{setting:'detailed'}` → negative.
 */
export function compareRunMeta(a: RunMeta, b: RunMeta): number | null {
  if (a.setting === undefined || b.setting === undefined) return null;
  return (
    compareText(a.task, b.task) ||
    compareText(a.model, b.model) ||
    (VARIANT_RANK[a.variant ?? 'base'] ?? 0) - (VARIANT_RANK[b.variant ?? 'base'] ?? 0) ||
    compareText(a.dataset, b.dataset) ||
    (CORRECTNESS_RANK[a.correctness ?? 'correct'] ?? 0) - (CORRECTNESS_RANK[b.correctness ?? 'correct'] ?? 0) ||
    settingRank(a.setting) - settingRank(b.setting) ||
    compareText(a.setting, b.setting)
  );
}

/**
 * Index at which a run with `meta` is inserted into a list whose runs have `existing`
 * metadata: before the first run it sorts before, else at the end.
 * Example: existing `[none, detailed]`, new `simplified` → 1.
 */
export function insertionIndex(existing: readonly RunMeta[], meta: RunMeta): number {
  const i = existing.findIndex((m) => {
    const c = compareRunMeta(meta, m);
    return c !== null && c < 0;
  });
  return i < 0 ? existing.length : i;
}
