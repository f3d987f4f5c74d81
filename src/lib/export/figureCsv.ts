/**
 * CSV of the numbers a figure plots: one row per (line, layer), with the band edges
 * when bands are shown, written by the core's one CSV writer (toCsv: d3-dsv, full
 * precision, text cells escaped against spreadsheet formulas).
 */
import { toCsv, type Cell, type TableColumn } from '../../core/stats/table.ts';

/** One plotted line, as the CSV sees it. */
export interface CsvLine {
  run: string;
  module: string;
  values: ArrayLike<number>;
  lo?: ArrayLike<number>;
  hi?: ArrayLike<number>;
}

/**
 * The CSV text (header `layer,run,module,value`, plus `lower,upper` when any line has a
 * band), rows ordered by line then layer, CRLF line ends.
 * Example: one line run "A", module "q", values [1, 2] → "layer,run,module,value\r\n0,A,q,1\r\n1,A,q,2\r\n".
 */
export function figureCsv(lines: readonly CsvLine[]): string {
  const withBands = lines.some((l) => l.lo && l.hi);
  const columns: TableColumn[] = [
    { key: 'layer', label: 'Layer', kind: 'integer' },
    { key: 'run', label: 'Run', kind: 'text' },
    { key: 'module', label: 'Module', kind: 'text' },
    { key: 'value', label: 'Value', kind: 'number' },
    ...(withBands
      ? [
          { key: 'lower', label: 'Lower', kind: 'number' as const },
          { key: 'upper', label: 'Upper', kind: 'number' as const },
        ]
      : []),
  ];
  const rows: Record<string, Cell>[] = [];
  for (const l of lines) {
    for (let i = 0; i < l.values.length; i++) {
      const row: Record<string, Cell> = { layer: i, run: l.run, module: l.module, value: l.values[i] };
      if (withBands) {
        row.lower = l.lo ? l.lo[i] : null;
        row.upper = l.hi ? l.hi[i] : null;
      }
      rows.push(row);
    }
  }
  return toCsv({ columns, rows });
}
