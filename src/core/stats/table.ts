/**
 * Tables as plain data (columns + rows) and their CSV and LaTeX renderings, so the app,
 * the CLI and the paper export print the same numbers.
 */

/** A table cell: text, a number, a list of layer indices, or nothing (null). */
export type Cell = string | number | null | readonly number[];

/** How a column's numbers are written: `integer` counts, `number` measurements, `text`, `layers` lists. */
export type ColumnKind = 'text' | 'integer' | 'number' | 'layers';

/** One column: `key` names the row field (and the CSV header), `label` is for people. */
export interface TableColumn {
  key: string;
  label: string;
  kind: ColumnKind;
}

/** Columns and rows; each row holds a cell for every column key. */
export interface Table<Row extends Record<string, Cell> = Record<string, Cell>> {
  columns: readonly TableColumn[];
  rows: Row[];
}

/** Full-precision number text that both JavaScript `Number()` and Python `float()` read back: shortest round-trip, `NaN`, `Infinity`, `-Infinity`. */
function csvNumber(x: number): string {
  return String(x);
}

function csvField(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return csvNumber(cell);
  const text = typeof cell === 'string' ? cell : cell.map(csvNumber).join(' ');
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * RFC 4180 CSV: header of column keys, CRLF line ends (also after the last row), a
 * field quoted when it holds a comma, quote, CR or LF, quotes doubled. Numbers at full
 * precision (shortest text that reads back to the same double; NaN, Infinity,
 * -Infinity as such), null as an empty field, layer lists space-separated.
 * Example: columns run, value; row {run: 'a,b', value: 0.1} → `run,value\r\n"a,b",0.1\r\n`.
 * No rows → header line only.
 */
export function toCsv(table: Table): string {
  const lines = [table.columns.map((c) => csvField(c.key)).join(',')];
  for (const row of table.rows) lines.push(table.columns.map((c) => csvField(row[c.key] ?? null)).join(','));
  return lines.map((l) => l + '\r\n').join('');
}

const LATEX_SPECIALS: Readonly<Record<string, string>> = {
  '&': '\\&',
  '%': '\\%',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  '{': '\\{',
  '}': '\\}',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
  '\\': '\\textbackslash{}',
};

/** Text safe inside a LaTeX table: & % $ # _ { } ~ ^ \ escaped in one pass. Example: `a_b&c` → `a\_b\&c`. */
export function escapeLatex(text: string): string {
  return text.replace(/[&%$#_{}~^\\]/g, (ch) => LATEX_SPECIALS[ch]);
}

/**
 * A number for a LaTeX table: 4 significant digits (`toPrecision(4)`, e.g. 0.1235,
 * 12.30, 1235), exponents as `$1.235\times10^{5}$` when toPrecision uses them (|x| ≥ 1e4
 * or < 1e-6); NaN → `--`, ±Infinity → `$\infty$` / `$-\infty$`.
 */
export function latexNumber(x: number): string {
  if (Number.isNaN(x)) return '--';
  if (!Number.isFinite(x)) return x > 0 ? '$\\infty$' : '$-\\infty$';
  const text = x.toPrecision(4);
  const m = /^(-?[\d.]+)e([+-])(\d+)$/.exec(text);
  if (!m) return text;
  return `$${m[1]}\\times10^{${m[2] === '-' ? '-' : ''}${m[3]}}$`;
}

function latexCell(cell: Cell, kind: ColumnKind): string {
  if (cell === null) return '--';
  if (typeof cell === 'string') return escapeLatex(cell);
  if (typeof cell === 'number') {
    return kind === 'integer' && Number.isInteger(cell) ? String(cell) : latexNumber(cell);
  }
  return cell.join(', ');
}

/**
 * A booktabs LaTeX table (`\toprule`, `\midrule`, `\bottomrule`; needs
 * `\usepackage{booktabs}`) inside a `table` float with `caption`. Text columns are
 * left-aligned, numbers right-aligned; headers, text and caption escaped
 * ({@link escapeLatex}); measurements to 4 significant digits ({@link latexNumber}),
 * counts as integers, layer lists comma-separated, null as `--`. No rows → header only.
 */
export function toLatex(table: Table, caption: string): string {
  const align = table.columns.map((c) => (c.kind === 'text' || c.kind === 'layers' ? 'l' : 'r')).join('');
  const line = (cells: string[]) => cells.join(' & ') + ' \\\\';
  const out = [
    '\\begin{table}[ht]',
    '\\centering',
    `\\caption{${escapeLatex(caption)}}`,
    `\\begin{tabular}{${align}}`,
    '\\toprule',
    line(table.columns.map((c) => escapeLatex(c.label))),
    '\\midrule',
    ...table.rows.map((row) => line(table.columns.map((c) => latexCell(row[c.key] ?? null, c.kind)))),
    '\\bottomrule',
    '\\end{tabular}',
    '\\end{table}',
  ];
  return out.join('\n') + '\n';
}
