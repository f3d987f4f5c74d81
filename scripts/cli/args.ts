/**
 * Shared plumbing of the `gradlens` subcommands: option parsing (node:util parseArgs,
 * strict), help text, error kinds and exit codes, run loading with skipped-line
 * warnings, and JSON output without NaN tokens.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isStatsFile } from '../../src/core/format/statsFileName.ts';
import type { ModuleKey, Run } from '../../src/core/format/run.ts';
import { UnknownSelectionError } from '../../src/core/stats/statValues.ts';
import { parseLimitSettings, type ReadLimits } from '../../src/core/format/limits.ts';
import { readRunFile } from '../lib/readRunFile.ts';

/** Exit codes: 0 done (perhaps with warnings), 1 a file could not be used, 2 a bad command line. */
export const EXIT_OK = 0;
export const EXIT_FILE = 1;
export const EXIT_USAGE = 2;

/** A problem with the command line (unknown option, bad value, unknown stat or module); exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A problem with an input file (unreadable, no usable record, incomparable runs); exit 1. */
export class FileError extends Error {
  override name = 'FileError';
}

/** One option of a subcommand. */
export interface OptionSpec {
  name: string;
  type: 'string' | 'boolean';
  /** May be given more than once (values collected in order). */
  multiple?: boolean;
  /** One-letter alias, e.g. `n` for `-n`. */
  short?: string;
  /** Placeholder shown in help, e.g. `NAME`. */
  value?: string;
  description: string;
}

/** A subcommand's usage line, summary and options, for parsing and `--help`. */
export interface CommandSpec {
  usage: string;
  summary: string;
  options: readonly OptionSpec[];
}

const HELP: OptionSpec = { name: 'help', type: 'boolean', description: 'show this help' };

/** The reader's budgets, raised per run of a command (`--budget modules=128 --budget line-mb=256`). */
export const BUDGET_OPTION: OptionSpec = {
  name: 'budget',
  type: 'string',
  multiple: true,
  value: 'NAME=N',
  description: 'raise a reader budget: modules, stats, layers, line-mb, file-gb (README, Limits)',
};

/** The budgets `--budget` asks for (the defaults for the rest); UsageError on an unknown name or a bad value. */
export function budgetOption(value: string | string[] | boolean | undefined): ReadLimits {
  try {
    return parseLimitSettings(listOption(value));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** Help text of a subcommand: usage, summary, aligned options. */
export function formatHelp(spec: CommandSpec): string {
  const options = [...spec.options, HELP];
  const heads = options.map((o) => `${o.short ? `-${o.short}, ` : ''}--${o.name}${o.value ? ' ' + o.value : ''}`);
  const width = Math.max(...heads.map((h) => h.length));
  const lines = options.map((o, i) => `  ${heads[i].padEnd(width)}  ${o.description}`);
  return `usage: ${spec.usage}\n\n${spec.summary}\n\noptions:\n${lines.join('\n')}\n`;
}

/** Parsed command line: positionals and options by name; `help` when --help was given. */
export interface ParsedArgs {
  positionals: string[];
  values: Record<string, string | string[] | boolean | undefined>;
  help: boolean;
}

/** Values of a repeatable option, each also split at commas: `--module q,k --module v` → [q, k, v]. */
export function listOption(value: string | string[] | boolean | undefined): string[] {
  const items = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
  return items.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

/**
 * Parses `argv` strictly against `spec` (unknown options and missing values are
 * UsageErrors). A value that looks like a negative number is the option's value
 * (`--limit -3` is --limit "-3", which the option's own check then refuses), where
 * node:util would call it an unknown option.
 */
export function parseCommandArgs(argv: readonly string[], spec: CommandSpec): ParsedArgs {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const o of spec.options) options[o.name] = { type: o.type, multiple: o.multiple ?? false, ...(o.short ? { short: o.short } : {}) };
  const valued = new Set(spec.options.filter((o) => o.type === 'string').flatMap((o) => [`--${o.name}`, ...(o.short ? [`-${o.short}`] : [])]));
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (valued.has(argv[i]) && i + 1 < argv.length && /^-\d/.test(argv[i + 1])) args.push(`${argv[i]}=${argv[++i]}`.replace(/^-(\w)=/, '-$1'));
    else args.push(argv[i]);
  }
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    const out = values as ParsedArgs['values'];
    return { positionals, values: out, help: out.help === true };
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message.split('\n')[0] : String(e));
  }
}

/**
 * `--splits A,B` as two integers (range is checked per run, against its layer count).
 * Example: "10,20" → [10, 20]; "10", "a,b", "1.5,3" → UsageError.
 */
export function parseSplitsOption(text: string): [number, number] {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length !== 2 || !parts.every((p) => /^\d+$/.test(p))) {
    throw new UsageError(`bad --splits "${text}": expected two integers A,B with 0 < A < B < layer count`);
  }
  return [Number(parts[0]), Number(parts[1])];
}

/**
 * The module keys of `run` that `names` select, in the run's order; every module when
 * `names` is empty. A name matches a key exactly, or its last segment (`q_proj`), or
 * that segment without `_proj` (`q`). UsageError for a name matching no module or several.
 */
export function selectModules(run: Run, names: readonly string[]): ModuleKey[] {
  if (names.length === 0) return run.modules.slice();
  const chosen = new Set<ModuleKey>();
  for (const name of names) {
    const exact = run.modules.filter((m) => m === name);
    const loose = run.modules.filter((m) => {
      const last = m.split('.').pop() ?? m;
      return last === name || last === `${name}_proj`;
    });
    const found = exact.length ? exact : loose;
    if (found.length !== 1) {
      const why = found.length === 0 ? 'unknown module' : 'ambiguous module';
      throw new UsageError(`${why} "${name}" in ${run.file}; modules: ${run.modules.join(', ') || '(none)'}`);
    }
    chosen.add(found[0]);
  }
  return run.modules.filter((m) => chosen.has(m));
}

/**
 * The files named on a command line, with each folder replaced by the statistics files
 * below it (.jsonl, .json, .ndjson, optionally gzipped: what the app's folder picker
 * keeps), in path order; files are kept as given, whatever their name. A path that does
 * not exist is left for loadRun to report; a folder with no statistics file is a FileError.
 */
export async function expandInputs(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => null);
    if (!info?.isDirectory()) {
      out.push(path);
      continue;
    }
    const entries = await readdir(path, { recursive: true, withFileTypes: true });
    const found = entries
      .filter((e) => e.isFile() && isStatsFile(e.name))
      .map((e) => join(e.parentPath, e.name))
      .sort((a, b) => a.localeCompare(b));
    if (found.length === 0) throw new FileError(`${path}: no statistics file (.jsonl, .json, .ndjson, .gz) in this folder`);
    out.push(...found);
  }
  return out;
}

/**
 * Reads a statistics file and writes one stderr warning `file:line: reason` per skipped
 * line. Any failure (missing file, undecodable, no usable record) becomes a FileError
 * whose message is one line naming the file.
 */
export async function loadRun(path: string, warn: (line: string) => void, limits?: ReadLimits): Promise<Run> {
  let run: Run;
  try {
    run = await readRunFile(path, undefined, { limits });
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
      // fs errors: "ENOENT: no such file or directory, open '…'" → "FILE: cannot read (no such file or directory)".
      const what = (e as Error).message.replace(/^E[A-Z]+: /, '').replace(/, \w+ '.*'$/, '');
      throw new FileError(`${path}: cannot read (${what})`);
    }
    const message = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    throw new FileError(message.includes(path) ? message : `${path}: ${message}`);
  }
  for (const s of run.skipped) warn(`${path}:${s.line}: ${s.reason}`);
  return run;
}

/**
 * JSON text for machine output. JSON has no NaN or Infinity: NaN, Infinity and
 * -Infinity are written as null (JSON.stringify's rule); typed arrays as plain arrays.
 */
export function toJsonOutput(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (ArrayBuffer.isView(v) && !(v instanceof DataView) ? Array.from(v as Float64Array) : v));
}

/** Runs a subcommand body, turning UsageError / FileError / selection errors into a one-line stderr reason and exit code. */
export async function runCommand(body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (e) {
    const message = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    process.stderr.write(`gradlens: ${message}\n`);
    if (e instanceof FileError) return EXIT_FILE;
    return e instanceof UsageError || e instanceof UnknownSelectionError ? EXIT_USAGE : EXIT_FILE;
  }
}

/** 4 significant digits for the text tables; NaN and infinities as words. */
export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  return x.toPrecision(4);
}

/** Left-aligned text columns and right-aligned numbers, two spaces apart. */
export function alignTable(header: readonly string[], rows: readonly (readonly string[])[], rightAligned: readonly boolean[]): string {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, j) => (rightAligned[j] ? c.padStart(widths[j]) : c.padEnd(widths[j])))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}
