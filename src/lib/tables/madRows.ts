/**
 * The MAD table for the visible runs, built by the core's madTable run by run so that
 * custom split points apply where they fit a run's layer count and each row keeps its
 * run id (the core's rows carry the run's name).
 */
import type { StatName } from '../../core/format/run.ts';
import { defaultSplits, validateSplits } from '../../core/stats/mad.ts';
import { listStats } from '../../core/stats/statValues.ts';
import type { Table } from '../../core/stats/table.ts';
import { madTable, type MadRow } from '../../core/stats/tables.ts';
import type { RunEntry } from '../state/types.ts';

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
