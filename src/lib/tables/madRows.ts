/**
 * The MAD table for the visible runs, built by the core's madTable run by run so that
 * custom split points apply where they fit a run's layer count and each row keeps its
 * run id (the core's rows carry the run's name).
 */
import type { StatName } from '../../core/format/run.ts';
import { defaultSplits, validateSplits } from '../../core/stats/mad.ts';
import { listStats } from '../../core/stats/statValues.ts';
import { columnDecimals, type Cell, type Table, type TableColumn } from '../../core/stats/table.ts';
import type { IntervalTest } from '../../core/stats/resampling/compareResampled.ts';
import type { MadPart } from '../../core/stats/resampling/curveSums.ts';
import { madStudyTable, madTable, type MadRow, type MadStudyRow } from '../../core/stats/tables.ts';
import { moduleLabel } from '../moduleColors.ts';
import type { RunEntry } from '../state/types.ts';
import { fullLabel, splitLabels } from '../views/labels.ts';

/** A MAD row with the id of its run and whether custom splits were applied. */
export interface MadDisplayRow {
  runId: string;
  label: string;
  color: string;
  row: MadRow;
}

/** Display rows, the table to export (run column = the entry's label), and runs where the custom splits did not fit. */
export interface MadTableData {
  rows: MadDisplayRow[];
  table: Table<MadRow>;
  /** Labels of runs that fell back to their default splits. */
  fallback: string[];
  /** Labels of runs without the statistic. */
  missing: string[];
}

function fits(splits: readonly number[], layerCount: number): boolean {
  try {
    validateSplits(splits, layerCount);
    return true;
  } catch {
    return false;
  }
}

/** MAD rows of `stat` for every entry × module, with `splits` where valid for the run, else its default splits. */
export function madTableData(entries: readonly RunEntry[], stat: StatName, splits: readonly [number, number] | null): MadTableData {
  const rows: MadDisplayRow[] = [];
  const fallback: string[] = [];
  const missing: string[] = [];
  let columns: Table<MadRow>['columns'] = madTable([], stat).columns;
  for (const e of entries) {
    if (!listStats(e.run).includes(stat)) {
      missing.push(e.label);
      continue;
    }
    const use = splits && fits(splits, e.run.layerCount) ? splits : undefined;
    if (splits && !use) fallback.push(e.label);
    const t = madTable([e.run], stat, use);
    columns = t.columns;
    for (const row of t.rows) rows.push({ runId: e.run.id, label: e.label, color: e.color, row });
  }
  return { rows, table: { columns, rows: rows.map((r) => ({ ...r.row, run: r.label })) }, fallback, missing };
}

/** The split points shown in the editor: the custom ones, or the default rule for `layerCount`. */
export function shownSplits(splits: readonly [number, number] | null, layerCount: number): [number, number] {
  return splits ? [splits[0], splits[1]] : defaultSplits(layerCount);
}

/** The MAD table in the study's layout for display and export: rows per run, module × part columns. */
export interface MadStudyData {
  /** What every row shares (for the caption). */
  heading: string;
  table: Table<MadStudyRow>;
  /** Per row: run id, colour, full label. */
  runs: { runId: string; label: string; color: string; kept: number; dropped: number }[];
}

/**
 * The study-layout MAD table of `stat` for the entries and modules (rows labelled by what
 * differs between the runs; the shared part goes to the caption), with fixed decimals per
 * column to `significant` digits of its median.
 */
export function madStudyData(
  data: MadTableData,
  entries: readonly RunEntry[],
  modules: readonly string[],
  significant = 3,
): MadStudyData {
  const withRows = entries.filter((e) => data.rows.some((r) => r.runId === e.run.id));
  const { heading, titles } = splitLabels(withRows);
  const runs = withRows.map((e, i) => {
    const rows = data.rows.filter((r) => r.runId === e.run.id).map((r) => r.row);
    return { entry: e, label: titles[i] || fullLabel(e), rows };
  });
  const table = madStudyTable(
    runs.map((r) => ({ label: r.label, rows: r.rows })),
    modules.filter((m) => runs.some((r) => r.rows.some((x) => x.module === m))),
    (m) => (moduleLabel(m) === m ? m : moduleLabel(m)),
    significant,
  );
  return {
    heading,
    table,
    runs: runs.map((r) => ({
      runId: r.entry.run.id,
      label: fullLabel(r.entry),
      color: r.entry.color,
      kept: Math.min(...r.rows.map((x) => x.kept)),
      dropped: Math.max(...r.rows.map((x) => x.dropped)),
    })),
  };
}

/** A pair of runs whose MAD difference was resampled: labels, and per module and part the test (or nothing yet). */
export interface MadDiffPair {
  key: string;
  otherLabel: string;
  referenceLabel: string;
  /** How the samples were resampled ("20 paired by instruction; …"), or why not. */
  note: string;
  tests: Map<string, Record<MadPart, IntervalTest>>;
}

/**
 * The MAD differences between paired runs, in the MAD table's module layout: one row per
 * pair (the run and its reference), and per module MAD(run) − MAD(reference) of one
 * part with its 95% bootstrap interval (lo, hi) and permutation p. Decimals per module
 * to `significant` digits of its differences; p to 4 decimals.
 */
export function madDiffTable(pairs: readonly MadDiffPair[], modules: readonly string[], part: MadPart, significant = 3): Table {
  const columns: TableColumn[] = [
    { key: 'run', label: 'Run', kind: 'text' },
    { key: 'reference', label: 'Against', kind: 'text' },
  ];
  for (const m of modules) {
    const group = moduleLabel(m);
    const decimals = columnDecimals(
      pairs.map((p) => p.tests.get(m)?.[part].value ?? NaN),
      significant,
    );
    columns.push({ key: `${m}.diff`, label: 'diff', kind: 'number', group, decimals });
    columns.push({ key: `${m}.lo`, label: '95% lo', kind: 'number', group, decimals });
    columns.push({ key: `${m}.hi`, label: '95% hi', kind: 'number', group, decimals });
    columns.push({ key: `${m}.p`, label: 'p', kind: 'number', group, decimals: 4 });
  }
  const rows = pairs.map((p) => {
    const row: Record<string, Cell> = { run: p.otherLabel, reference: p.referenceLabel };
    for (const m of modules) {
      const t = p.tests.get(m)?.[part];
      row[`${m}.diff`] = t ? t.value : null;
      row[`${m}.lo`] = t ? t.lo : null;
      row[`${m}.hi`] = t ? t.hi : null;
      row[`${m}.p`] = t ? t.p : null;
    }
    return row;
  });
  return { columns, rows };
}
