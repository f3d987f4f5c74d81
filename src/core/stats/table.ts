/**
 * Tables as plain data (columns + rows) and their CSV and LaTeX renderings, so the app,
 * the CLI and the paper export print the same numbers. Columns may sit under a group
 * heading (the study's Q / K / V / O over early / middle / late / all) and may ask for a
 * fixed number of decimals.
 */
import { csvFormatRow } from 'd3-dsv';

/** A table cell: text, a number, a list of layer indices, or nothing (null). */
export type Cell = string | number | null | readonly number[];

/** How a column's numbers are written: `integer` counts, `number` measurements, `text`, `layers` lists. */
export type ColumnKind = 'text' | 'integer' | 'number' | 'layers';

/** One column: `key` names the row field (and the CSV header), `label` is for people. */
export interface TableColumn {
  key: string;
  label: string;
  kind: ColumnKind;
  /** Heading over a run of adjacent columns (e.g. the module), or none. */
  group?: string;
  /** Fixed decimals for `number` cells in LaTeX and on screen; absent: 4 significant digits. */
  decimals?: number;
}

/** Columns and rows; each row holds a cell for every column key. */
export interface Table<Row extends Record<string, Cell> = Record<string, Cell>> {
  columns: readonly TableColumn[];
  rows: Row[];
}

/**
 * A text cell made safe for spreadsheets: one that begins with `=`, `+`, `-`, `@`, tab
 * or carriage return would be run as a formula, so it gets a leading `'` (OWASP's
 * advice). Numbers are never passed here: a negative number stays a number.
 * Example: `=1+1` → `'=1+1`; `-0.5` (as text) → `'-0.5`; `run a` unchanged.
 */
export function escapeFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** Full-precision number text that both JavaScript `Number()` and Python `float()` read back: shortest round-trip, `NaN`, `Infinity`, `-Infinity`. */
function csvNumber(x: number): string {
  return String(x);
}

function csvCell(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return csvNumber(cell);
  if (typeof cell === 'string') return escapeFormula(cell);
  return cell.map(csvNumber).join(' ');
}

/**
 * RFC 4180 CSV, written by d3-dsv (the one CSV writer of every export): header of column
 * keys, CRLF line ends (also after the last row), fields quoted when they hold a comma,
 * quote or line break. Numbers at full precision (shortest text that reads back to the
 * same double; NaN, Infinity, -Infinity as such), null as an empty field, layer lists
 * space-separated; text cells escaped against formula injection ({@link escapeFormula}).
 * Example: columns run, value; row {run: 'a,b', value: 0.1} → `run,value\r\n"a,b",0.1\r\n`.
 * No rows → header line only.
 */
export function toCsv(table: Table): string {
  const lines = [csvFormatRow(table.columns.map((c) => escapeFormula(c.key)))];
  for (const row of table.rows) lines.push(csvFormatRow(table.columns.map((c) => csvCell(row[c.key] ?? null))));
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
  '−': '$-$',
  '–': '--',
  '—': '---',
  '·': '$\\cdot$',
  '×': '$\\times$',
  '…': '\\ldots{}',
  '≤': '$\\leq$',
  '≥': '$\\geq$',
  '‘': '`',
  '’': "'",
  '“': '``',
  '”': "''",
  'σ': '$\\sigma$',
  '\u00a0': '~',
};

/**
 * Text safe inside a LaTeX table, in ASCII (so pdflatex needs no input encoding): & % $ # _
 * { } ~ ^ \ escaped, common typographic characters (− – — · × … ≤ ≥ quotes σ) written as
 * LaTeX, any other non-ASCII character as `?`. Example: `a_b&c` → `a\_b\&c`; `a − b` → `a $-$ b`.
 */
export function escapeLatex(text: string): string {
  return text.replace(/[&%$#_{}~^\\]|[^\x00-\x7f]/gu, (ch) => LATEX_SPECIALS[ch] ?? '?');
}

/** A minus as LaTeX typesets it in text: `$-$`, ASCII. */
function latexMinus(text: string): string {
  return text.startsWith('-') ? `$-$${text.slice(1)}` : text;
}

/**
 * A number for a LaTeX table: 4 significant digits (`toPrecision(4)`, e.g. 0.1235,
 * 12.30, 1235), or `decimals` fixed decimals when given; exponents as
 * `$1.235\times10^{5}$` when toPrecision uses them (|x| ≥ 1e4 or < 1e-6); a minus as
 * `$-$`; NaN → `--`, ±Infinity → `$\infty$` / `$-\infty$`.
 */
export function latexNumber(x: number, decimals?: number): string {
  if (Number.isNaN(x)) return '--';
  if (!Number.isFinite(x)) return x > 0 ? '$\\infty$' : '$-\\infty$';
  if (decimals !== undefined) return latexMinus(x.toFixed(decimals));
  const text = x.toPrecision(4);
  const m = /^(-?[\d.]+)e([+-])(\d+)$/.exec(text);
  if (!m) return latexMinus(text);
  return `$${m[1]}\\times10^{${m[2] === '-' ? '-' : ''}${m[3]}}$`;
}

function latexCell(cell: Cell, column: TableColumn): string {
  if (cell === null) return '--';
  if (typeof cell === 'string') return escapeLatex(cell);
  if (typeof cell === 'number') {
    return column.kind === 'integer' && Number.isInteger(cell) ? latexMinus(String(cell)) : latexNumber(cell, column.decimals);
  }
  return cell.join(', ');
}

/** Runs of adjacent columns under one group heading (ungrouped columns are runs of their own). */
function groupRuns(columns: readonly TableColumn[]): { group: string | undefined; from: number; to: number }[] {
  const runs: { group: string | undefined; from: number; to: number }[] = [];
  columns.forEach((c, i) => {
    const last = runs[runs.length - 1];
    if (last && c.group !== undefined && last.group === c.group) last.to = i;
    else runs.push({ group: c.group, from: i, to: i });
  });
  return runs;
}

/** The article class's text width at 10 pt (345 pt), which tables must fit. */
export const TEXT_WIDTH_PT = 345;

/** Estimated natural width of a tabular of these columns and rows, in pt (≈ 5 pt a character at 10 pt, 12 pt between columns). */
function estimateWidth(columns: readonly TableColumn[], cells: string[][]): number {
  let total = 0;
  columns.forEach((c, j) => {
    const visible = (s: string) => s.replace(/\\[a-zA-Z]+\{\}|\\[a-zA-Z]+|[$\\{}]/g, '').length;
    const chars = Math.max(visible(escapeLatex(c.label)), ...cells.map((row) => visible(row[j])));
    total += chars * 5 + 12;
  });
  return total;
}

/**
 * A booktabs LaTeX table (`\toprule`, `\midrule`, `\bottomrule`) inside a `table` float
 * with `caption`, that compiles unchanged with pdflatex in `\documentclass{article}`
 * with `\usepackage{booktabs,graphicx}` and fits the text width: grouped columns get a
 * `\multicolumn` heading with `\cmidrule`s; text columns are left-aligned, numbers
 * right-aligned; text and caption escaped to ASCII ({@link escapeLatex}); numbers to 4
 * significant digits or the column's fixed decimals ({@link latexNumber}); counts as
 * integers, layer lists comma-separated, null as `--`. A table wider than the text is
 * split into several tabulars by column group (the first text columns repeated in
 * each), and each tabular is scaled down to the text width if it is still too wide.
 * No rows → header only.
 */
export function toLatex(table: Table, caption: string): string {
  const cols = table.columns;
  const cells = table.rows.map((row) => cols.map((c) => latexCell(row[c.key] ?? null, c)));
  const leading = cols.findIndex((c) => c.group !== undefined);
  const keys = leading > 0 ? cols.slice(0, leading).map((_, i) => i) : [];
  // Split the grouped columns into parts that fit the text width (one group at least each).
  const groups = groupRuns(cols).filter((g) => g.from >= keys.length);
  const parts: number[][] = [];
  let current: number[] = [];
  for (const g of groups) {
    const candidate = [...current, ...Array.from({ length: g.to - g.from + 1 }, (_, i) => g.from + i)];
    const width = estimateWidth(
      [...keys, ...candidate].map((j) => cols[j]),
      cells.map((row) => [...keys, ...candidate].map((j) => row[j])),
    );
    if (current.length && width > TEXT_WIDTH_PT * 1.15) {
      parts.push(current);
      current = Array.from({ length: g.to - g.from + 1 }, (_, i) => g.from + i);
    } else current = candidate;
  }
  if (current.length || parts.length === 0) parts.push(current);

  const line = (items: string[]) => items.join(' & ') + ' \\\\';
  const out = ['\\begin{table}[ht]', '\\centering', `\\caption{${escapeLatex(caption)}}`];
  parts.forEach((part, p) => {
    const idx = [...keys, ...part];
    const shown = idx.map((j) => cols[j]);
    const align = shown.map((c) => (c.kind === 'text' || c.kind === 'layers' ? 'l' : 'r')).join('');
    if (p > 0) out.push('\\par\\medskip');
    // Scaled down only when wider than the line; \width is the tabular's natural width.
    out.push('\\resizebox{\\ifdim\\width>\\linewidth\\linewidth\\else\\width\\fi}{!}{%');
    out.push(`\\begin{tabular}{${align}}`, '\\toprule');
    const runs = groupRuns(shown);
    if (runs.some((r) => r.group !== undefined)) {
      out.push(line(runs.map((r) => (r.group === undefined ? '' : `\\multicolumn{${r.to - r.from + 1}}{c}{${escapeLatex(r.group)}}`))));
      out.push(
        runs
          .filter((r) => r.group !== undefined)
          .map((r) => `\\cmidrule(lr){${r.from + 1}-${r.to + 1}}`)
          .join(''),
      );
    }
    out.push(line(shown.map((c) => escapeLatex(c.label))), '\\midrule');
    for (const row of cells) out.push(line(idx.map((j) => row[j])));
    out.push('\\bottomrule', '\\end{tabular}}');
  });
  out.push('\\end{table}');
  return out.join('\n') + '\n';
}

/**
 * Decimals that show `significant` digits of a column's typical value (the median of
 * its finite magnitudes), between 0 and 8; 3 when the column has no finite non-zero
 * value. Example: values 0.0123, 0.0456, 0.0789 → 4 (0.0456 → 0.0456).
 */
export function columnDecimals(values: readonly number[], significant = 3): number {
  const mags = values
    .filter((v) => Number.isFinite(v) && v !== 0)
    .map(Math.abs)
    .sort((a, b) => a - b);
  if (mags.length === 0) return significant;
  const median = mags[Math.floor(mags.length / 2)];
  return Math.min(8, Math.max(0, significant - 1 - Math.floor(Math.log10(median))));
}
