/**
 * The summary tables the study reports, as plain data: MAD per run and module, and
 * relative difference per run pair and module. Render with toCsv / toLatex (table.ts).
 */
import type { Run, StatName } from '../format/run.ts';
import { computeCurve } from './computeCurve.ts';
import { computeMad, defaultSplits, validateSplits } from './mad.ts';
import { countIdenticalResponses, type PairAttribute, type RunPair } from './pairRuns.ts';
import { relativeDifference } from './relativeDifference.ts';
import { statModules } from './statValues.ts';
import { columnDecimals, type Table, type TableColumn } from './table.ts';

/** One row of {@link madTable}. */
export type MadRow = {
  run: string;
  file: string;
  module: string;
  layers: number;
  /** Split points used, "a,b". */
  splits: string;
  kept: number;
  dropped: number;
  all: number;
  early: number;
  middle: number;
  late: number;
};

const MAD_COLUMNS: readonly TableColumn[] = [
  { key: 'run', label: 'Run', kind: 'text' },
  { key: 'file', label: 'File', kind: 'text' },
  { key: 'module', label: 'Module', kind: 'text' },
  { key: 'layers', label: 'Layers', kind: 'integer' },
  { key: 'splits', label: 'Splits', kind: 'text' },
  { key: 'kept', label: 'Kept', kind: 'integer' },
  { key: 'dropped', label: 'Dropped', kind: 'integer' },
  { key: 'all', label: 'MAD all', kind: 'number' },
  { key: 'early', label: 'Early', kind: 'number' },
  { key: 'middle', label: 'Middle', kind: 'number' },
  { key: 'late', label: 'Late', kind: 'number' },
];

/**
 * MAD of `stat`'s curve for every run × module that has it (statModules, in each run's display order).
 * `splits` (checked against every run's layer count; RangeError if invalid for one)
 * replaces the default splits of each run's layer count. No runs → no rows. A module
 * with no kept sample gets NaN MADs and kept 0. Throws for a statistic a run lacks.
 */
export function madTable(runs: readonly Run[], stat: StatName, splits?: readonly number[]): Table<MadRow> {
  const rows: MadRow[] = [];
  for (const run of runs) {
    const used = splits ? validateSplits(splits, run.layerCount) : defaultSplits(run.layerCount);
    for (const module of statModules(run, stat)) {
      const curve = computeCurve(run, module, stat);
      const mad = computeMad(curve, splits ? used : undefined);
      rows.push({
        run: run.name,
        file: run.file,
        module,
        layers: run.layerCount,
        splits: used.join(','),
        kept: curve.kept,
        dropped: curve.dropped,
        ...mad,
      });
    }
  }
  return { columns: MAD_COLUMNS, rows };
}

/** One row of {@link relativeDifferenceTable}. */
export type RelativeDifferenceRow = {
  reference: string;
  other: string;
  differsIn: PairAttribute;
  module: string;
  layers: number;
  value: number;
  topLayers: readonly number[];
  /** Samples with identical responses; only for correctness pairs, else null. */
  identical: number | null;
};

const RD_COLUMNS: readonly TableColumn[] = [
  { key: 'reference', label: 'Reference', kind: 'text' },
  { key: 'other', label: 'Other', kind: 'text' },
  { key: 'differsIn', label: 'Differs in', kind: 'text' },
  { key: 'module', label: 'Module', kind: 'text' },
  { key: 'layers', label: 'Layers', kind: 'integer' },
  { key: 'value', label: 'Relative difference', kind: 'number' },
  { key: 'topLayers', label: 'Top layers', kind: 'layers' },
  { key: 'identical', label: 'Identical responses', kind: 'integer' },
];

/**
 * Relative difference of `stat`'s curve of `other` against `reference`, for every pair
 * × module both runs have (in the reference's module order). Throws a RangeError when
 * a pair's layer counts differ. No pairs → no rows.
 */
export function relativeDifferenceTable(pairs: readonly RunPair[], stat: StatName): Table<RelativeDifferenceRow> {
  const rows: RelativeDifferenceRow[] = [];
  for (const { reference, other, differsIn } of pairs) {
    if (reference.layerCount !== other.layerCount) {
      throw new RangeError(
        `${reference.name} has ${reference.layerCount} layers and ${other.name} has ${other.layerCount}: curves cannot be compared`,
      );
    }
    const identical = differsIn === 'correctness' ? countIdenticalResponses(reference, other) : null;
    for (const module of statModules(reference, stat)) {
      if (!statModules(other, stat).includes(module)) continue;
      const a = computeCurve(reference, module, stat);
      const rd = relativeDifference(a.mean.subarray(0, a.span), computeCurve(other, module, stat).mean.subarray(0, a.span));
      rows.push({
        reference: reference.name,
        other: other.name,
        differsIn,
        module,
        layers: reference.layerCount,
        value: rd.value,
        topLayers: rd.topLayers,
        identical,
      });
    }
  }
  return { columns: RD_COLUMNS, rows };
}

/** The study's MAD parts, in its column order. */
export const MAD_PARTS = ['early', 'middle', 'late', 'all'] as const;

/** One row of the study-layout MAD table: the row label, then `<module>.<part>` cells. */
export type MadStudyRow = Record<string, string | number | null>;

/**
 * The MAD table in the study's layout: one row per run (labelled by `labels[i]`), and
 * for each of `modules` four columns early / middle / late / all under the module's
 * heading (`moduleLabels`), each column with fixed decimals chosen from its values
 * ({@link columnDecimals}, `significant` digits of its median). A run without a module
 * has null cells. `rows` are the long MAD rows ({@link madTable}) of all runs.
 * Example: 2 runs × Q, K → 2 rows × (1 + 8) columns.
 */
export function madStudyTable(
  runs: readonly { label: string; rows: readonly MadRow[] }[],
  modules: readonly string[],
  moduleLabels: (module: string) => string,
  significant = 3,
): Table<MadStudyRow> {
  const columns: TableColumn[] = [{ key: 'run', label: 'Run', kind: 'text' }];
  for (const m of modules) {
    for (const part of MAD_PARTS) {
      const values = runs.map((r) => r.rows.find((x) => x.module === m)?.[part] ?? NaN);
      columns.push({
        key: `${m}.${part}`,
        label: part === 'all' ? 'All' : part[0].toUpperCase() + part.slice(1),
        kind: 'number',
        group: moduleLabels(m),
        decimals: columnDecimals(values, significant),
      });
    }
  }
  const rows = runs.map((r) => {
    const row: MadStudyRow = { run: r.label };
    for (const m of modules) {
      const mad = r.rows.find((x) => x.module === m);
      for (const part of MAD_PARTS) row[`${m}.${part}`] = mad ? mad[part] : null;
    }
    return row;
  });
  return { columns, rows };
}
