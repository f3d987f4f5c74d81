/**
 * The study's figure as a grid of runs: for one model and dataset, a column per setting
 * (None → Simplified → Detailed CoT; for the wiki runs Length 100 → 500 → 1000 →
 * long-tail) and a row per correctness (or per base / instruct), the other of the two
 * held fixed. Cells the loaded runs do not fill stay empty.
 */
import { SETTING_ORDER, settingLabel } from '../../core/format/runPath.ts';
import { sortValues, valueLabel } from '../state/factors.ts';
import type { RunEntry, StudySettings } from '../state/types.ts';

/** A column of the grid: its key (setting, or `long-tail`) and heading. */
export interface StudyColumn {
  key: string;
  label: string;
}

/** The grid: choices offered, what is chosen, and the run of each cell (null when not loaded). */
export interface StudyGrid {
  models: string[];
  datasets: string[];
  /** Values the fixed factor can take (variants when rows are correctness, and vice versa). */
  fixedValues: string[];
  model: string | null;
  dataset: string | null;
  fixed: string | null;
  rows: { key: string; label: string }[];
  columns: StudyColumn[];
  cells: (RunEntry | null)[][];
}

/** The column a run belongs in: its setting, or `long-tail` for the wiki's long-tail pages. */
export function studyColumn(entry: RunEntry): string | undefined {
  const meta = entry.run.meta;
  return meta.setting ?? (meta.popularity === 'long-tail' ? 'long-tail' : undefined);
}

function columnOrder(a: string, b: string): number {
  const rank = (k: string) => {
    const i = SETTING_ORDER.indexOf(k);
    if (i >= 0) return i;
    if (/^[0-9]+$/.test(k)) return SETTING_ORDER.length + Number(k) / 1e9;
    return k === 'long-tail' ? SETTING_ORDER.length + 2 : SETTING_ORDER.length + 1;
  };
  return rank(a) - rank(b) || a.localeCompare(b);
}

function pick(chosen: string | null, offered: readonly string[]): string | null {
  return chosen !== null && offered.includes(chosen) ? chosen : (offered[0] ?? null);
}

/**
 * The grid for `entries` and the user's choices (a choice no run has falls back to the
 * first offered). Example: 48 release runs, model llama3_8b, dataset gsm8k_train, rows by
 * correctness, base → 2 rows × 3 columns, every cell filled.
 */
export function studyGrid(entries: readonly RunEntry[], study: StudySettings): StudyGrid {
  const placed = entries.filter((e) => studyColumn(e) !== undefined);
  const models = sortValues('model', new Set(placed.flatMap((e) => (e.run.meta.model ? [e.run.meta.model] : []))));
  const model = pick(study.model, models);
  const ofModel = placed.filter((e) => (e.run.meta.model ?? null) === model);
  const datasets = sortValues('dataset', new Set(ofModel.flatMap((e) => (e.run.meta.dataset ? [e.run.meta.dataset] : []))));
  const dataset = pick(study.dataset, datasets);
  const ofDataset = ofModel.filter((e) => (e.run.meta.dataset ?? null) === dataset);
  const rowKey = study.rows;
  const fixedKey = rowKey === 'correctness' ? 'variant' : 'correctness';
  const fixedValues = sortValues(fixedKey, new Set(ofDataset.flatMap((e) => (e.run.meta[fixedKey] ? [e.run.meta[fixedKey]!] : []))));
  const fixed = pick(study.fixed, fixedValues);
  const chosen = ofDataset.filter((e) => (e.run.meta[fixedKey] ?? null) === fixed);
  const rowValues = sortValues(rowKey, new Set(chosen.flatMap((e) => (e.run.meta[rowKey] ? [e.run.meta[rowKey]!] : []))));
  const columnKeys = [...new Set(chosen.map((e) => studyColumn(e) as string))].sort(columnOrder);
  const columns = columnKeys.map((key) => ({ key, label: key === 'long-tail' ? 'Unpopular (long-tail)' : settingLabel(key) }));
  const cells = rowValues.map((r) => columnKeys.map((c) => chosen.find((e) => e.run.meta[rowKey] === r && studyColumn(e) === c) ?? null));
  return {
    models,
    datasets,
    fixedValues,
    model,
    dataset,
    fixed,
    rows: rowValues.map((key) => ({ key, label: valueLabel(rowKey, key) })),
    columns,
    cells,
  };
}
