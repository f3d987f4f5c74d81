/**
 * The relative-difference table for the pairs the core finds among the visible runs
 * (pairRuns), one core relativeDifferenceTable per pair so that a pair the core cannot
 * compare (layer counts differ, statistic missing) is reported, not fatal.
 */
import type { Run, StatName } from '../../core/format/run.ts';
import { pairRuns, type PairAttribute } from '../../core/stats/pairRuns.ts';
import { listStats } from '../../core/stats/statValues.ts';
import { columnDecimals, type Cell, type Table, type TableColumn } from '../../core/stats/table.ts';
import { moduleLabel } from '../moduleColors.ts';
import { relativeDifferenceTable, type RelativeDifferenceRow } from '../../core/stats/tables.ts';
import type { RunEntry } from '../state/types.ts';

/** A row with the ids and labels of its two runs. */
export interface RdDisplayRow {
  referenceId: string;
  otherId: string;
  referenceLabel: string;
  otherLabel: string;
  row: RelativeDifferenceRow;
}

/** One pair's summary line: what differs, and for correct/irrelevant pairs the identical-response count. */
export interface RdPairSummary {
  referenceId: string;
  otherId: string;
  referenceLabel: string;
  otherLabel: string;
  differsIn: PairAttribute;
  identical: number | null;
  samples: number;
  /** Why the pair has no rows, if it has none. */
  problem?: string;
}

export interface RdTableData {
  rows: RdDisplayRow[];
  pairs: RdPairSummary[];
  /** Export table; run columns hold the entries' labels. */
  table: Table<RelativeDifferenceRow>;
}

/** Rows and pair summaries of `stat` for every pair pairRuns finds among `entries`. */
export function rdTableData(entries: readonly RunEntry[], stat: StatName): RdTableData {
  const byRun = new Map<Run, RunEntry>(entries.map((e) => [e.run, e]));
  const rows: RdDisplayRow[] = [];
  const pairs: RdPairSummary[] = [];
  let columns: Table<RelativeDifferenceRow>['columns'] = relativeDifferenceTable([], stat).columns;
  for (const pair of pairRuns(entries.map((e) => e.run))) {
    const ref = byRun.get(pair.reference) as RunEntry;
    const other = byRun.get(pair.other) as RunEntry;
    const summary: RdPairSummary = {
      referenceId: ref.run.id,
      otherId: other.run.id,
      referenceLabel: ref.label,
      otherLabel: other.label,
      differsIn: pair.differsIn,
      identical: null,
      samples: Math.min(ref.run.sampleCount, other.run.sampleCount),
    };
    pairs.push(summary);
    if (!listStats(ref.run).includes(stat) || !listStats(other.run).includes(stat)) {
      summary.problem = `no ${stat} in one of the runs`;
      continue;
    }
    try {
      const t = relativeDifferenceTable([pair], stat);
      columns = t.columns;
      for (const row of t.rows) {
        summary.identical = row.identical;
        rows.push({ referenceId: ref.run.id, otherId: other.run.id, referenceLabel: ref.label, otherLabel: other.label, row });
      }
    } catch (e) {
      summary.problem = e instanceof Error ? e.message : String(e);
    }
  }
  return {
    rows,
    pairs,
    table: { columns, rows: rows.map((r) => ({ ...r.row, reference: r.referenceLabel, other: r.otherLabel })) },
  };
}

/** People's words for what a pair differs in. */
export function differsInText(attr: PairAttribute): string {
  return attr === 'correctness' ? 'correct vs irrelevant' : attr === 'setting' ? 'CoT setting' : 'base vs instruct';
}

/** One pair with its modules side by side, as the study's tables put them. */
export interface RdPairRow {
  key: string;
  otherLabel: string;
  referenceLabel: string;
  differsIn: PairAttribute;
  identical: number | null;
  samples: number;
  /** Rows by module key. */
  rows: Map<string, RdDisplayRow>;
}

/** The rows of `data` grouped by pair, in pair order. */
export function groupByPair(data: RdTableData): RdPairRow[] {
  const out = new Map<string, RdPairRow>();
  for (const r of data.rows) {
    const key = JSON.stringify([r.referenceId, r.otherId]);
    let p = out.get(key);
    if (!p) {
      const summary = data.pairs.find((x) => x.referenceId === r.referenceId && x.otherId === r.otherId);
      p = {
        key,
        otherLabel: r.otherLabel,
        referenceLabel: r.referenceLabel,
        differsIn: r.row.differsIn,
        identical: r.row.identical,
        samples: summary?.samples ?? 0,
        rows: new Map(),
      };
      out.set(key, p);
    }
    p.rows.set(r.row.module, r);
  }
  return [...out.values()];
}

/** An interval and p-value of a pair's statistic (from a resampled comparison). */
export interface IntervalCell {
  lo: number;
  hi: number;
  p: number;
}

/**
 * The relative-difference table in the study's layout: one row per pair (the run against
 * its reference, what differs, identical responses), and per module the mean relative
 * difference (fixed decimals per column) and its top layers, under the module's heading.
 * With `tests` (the resampled comparison of a pair's module, where computed), each
 * module also has its 95% interval (lo, hi) and permutation p beside the value.
 */
export function rdStudyTable(
  pairs: readonly RdPairRow[],
  modules: readonly string[],
  significant = 3,
  tests?: (pair: RdPairRow, module: string) => IntervalCell | undefined,
): Table {
  const columns: TableColumn[] = [
    { key: 'run', label: 'Run', kind: 'text' },
    { key: 'reference', label: 'Against', kind: 'text' },
    { key: 'differsIn', label: 'Differs in', kind: 'text' },
    { key: 'identical', label: 'Identical', kind: 'integer' },
  ];
  for (const m of modules) {
    const group = moduleLabel(m) === m ? m : moduleLabel(m);
    const values = pairs.map((p) => p.rows.get(m)?.row.value ?? NaN);
    const decimals = columnDecimals(values, significant);
    columns.push({ key: `${m}.value`, label: 'RD', kind: 'number', group, decimals });
    if (tests) {
      columns.push({ key: `${m}.lo`, label: '95% lo', kind: 'number', group, decimals });
      columns.push({ key: `${m}.hi`, label: '95% hi', kind: 'number', group, decimals });
      columns.push({ key: `${m}.p`, label: 'p', kind: 'number', group, decimals: 4 });
    }
    columns.push({ key: `${m}.top`, label: 'Top layers', kind: 'layers', group });
  }
  const rows = pairs.map((p) => {
    const row: Record<string, Cell> = { run: p.otherLabel, reference: p.referenceLabel, differsIn: differsInText(p.differsIn), identical: p.identical };
    for (const m of modules) {
      const r = p.rows.get(m);
      row[`${m}.value`] = r ? r.row.value : null;
      if (tests) {
        const t = r ? tests(p, m) : undefined;
        row[`${m}.lo`] = t ? t.lo : null;
        row[`${m}.hi`] = t ? t.hi : null;
        row[`${m}.p`] = t ? t.p : null;
      }
      row[`${m}.top`] = r ? r.row.topLayers : null;
    }
    return row;
  });
  return { columns, rows };
}
