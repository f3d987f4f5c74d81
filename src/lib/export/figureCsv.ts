/**
 * CSV of the numbers a figure plots: one row per (layer, run, module), with the band
 * edges when bands are shown. Numbers are written in full precision (String(x)).
 */

/** One plotted line, as the CSV sees it. */
export interface CsvLine {
  run: string;
  module: string;
  values: ArrayLike<number>;
  lo?: ArrayLike<number>;
  hi?: ArrayLike<number>;
}

/** A CSV field: quoted when it holds a comma, quote, or line break. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A number as written to CSV: full precision, empty for NaN. */
export function csvNumber(x: number): string {
  return Number.isNaN(x) ? '' : String(x);
}

/**
 * The CSV text (header `layer,run,module,value`, plus `lower,upper` when any line has a
 * band), rows ordered by line then layer, lines separated by `\n`.
 * Example: one line run "A", module "q", values [1, 2] → "layer,run,module,value\n0,A,q,1\n1,A,q,2\n".
 */
export function figureCsv(lines: readonly CsvLine[]): string {
  const withBands = lines.some((l) => l.lo && l.hi);
  const rows = [withBands ? 'layer,run,module,value,lower,upper' : 'layer,run,module,value'];
  for (const l of lines) {
    const head = `${csvField(l.run)},${csvField(l.module)}`;
    for (let i = 0; i < l.values.length; i++) {
      let row = `${i},${head},${csvNumber(l.values[i])}`;
      if (withBands) row += `,${l.lo ? csvNumber(l.lo[i]) : ''},${l.hi ? csvNumber(l.hi[i]) : ''}`;
      rows.push(row);
    }
  }
  return rows.join('\n') + '\n';
}
