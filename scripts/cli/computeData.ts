/**
 * Data side of `gradlens compute` / `experiment`: the records to compute (a dataset
 * file or a built-in generator) and the summary tables printed after an experiment.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parsePythonJson } from '../../src/core/format/jsonl';
import { parseDataset, type DatasetRecord } from '../../src/core/format/dataset';
import type { Run } from '../../src/core/format/run';
import { describeRun } from '../../src/core/format/runPath';
import { parseBuiltinSpec } from '../../src/core/data/builtinDataset';
import { generateProblems } from '../../src/core/data/builtinDatasets';
import { toDatasetRecords } from '../../src/core/data/datasetRecords';
import type { CotSetting } from '../../src/core/model/experimentPlan';
import { pairRuns } from '../../src/core/stats/pairRuns';
import { madTable, relativeDifferenceTable } from '../../src/core/stats/tables';
import { alignTable, formatNumber, loadRun, UsageError } from './args';

/** Which records to take from a dataset. */
export interface RecordSelection {
  /** Response style; for built-ins, defaults to the spec's (detailed). Files: label only. */
  setting?: CotSetting;
  irrelevant: boolean;
  limit?: number;
  /** Seed of built-in problems and of response shuffling; defaults to the spec's (1). */
  seed?: number;
}

/** Deterministic shuffle (mulberry32). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let s = seed >>> 0;
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * The study's `wrong_answer_shuffle` for a plain dataset file: each instruction paired
 * with another record's output (a seeded derangement: never its own index; a record
 * whose output text equals its own may remain when outputs repeat). Fewer than 2 records: unchanged.
 */
export function shuffleResponses(records: readonly DatasetRecord[], seed: number): DatasetRecord[] {
  if (records.length < 2) return records.slice();
  const order = shuffled(records.map((_, i) => i), seed);
  // Rotating a random cycle by one position is a derangement.
  const target = new Array<number>(records.length);
  order.forEach((idx, k) => (target[idx] = order[(k + 1) % order.length]));
  return records.map((r, i) => ({ ...r, output: records[target[i]].output }));
}

/**
 * Records for `spec`: `builtin:NAME` (a built-in generator: N problems with the chosen
 * setting's responses, irrelevant ones when asked) or a dataset file (JSON array or
 * JSONL; `--irrelevant` shuffles its responses, `--setting` only labels). `limit` keeps
 * the first N. Throws a UsageError naming the problem.
 */
export async function loadRecords(spec: string, sel: RecordSelection): Promise<DatasetRecord[]> {
  if (spec.startsWith('builtin:')) return builtinRecords(spec, sel);
  let text: string;
  try {
    text = await readFile(spec, 'utf8');
  } catch (e) {
    throw new UsageError(`--data ${spec}: ${(e as Error).message}`);
  }
  const { records, skipped } = parseDataset(spec, text);
  for (const s of skipped) process.stderr.write(`${spec}:${s.line}: skipped: ${s.reason}\n`);
  if (records.length === 0) throw new UsageError(`--data ${spec}: no usable record`);
  const chosen = sel.irrelevant ? shuffleResponses(records, sel.seed ?? 1) : records;
  return sel.limit ? chosen.slice(0, sel.limit) : chosen;
}

/**
 * A built-in generator's records: `builtin:NAME[?n=…&seed=…&setting=…&irrelevant=…]`
 * (see parseBuiltinSpec); the command's flags, when given, override the spec's values.
 */
function builtinRecords(spec: string, sel: RecordSelection): DatasetRecord[] {
  let parsed;
  try {
    parsed = parseBuiltinSpec(spec);
  } catch (e) {
    throw new UsageError(`--data ${spec}: ${(e as Error).message}`);
  }
  const n = sel.limit ?? parsed.n;
  const seed = sel.seed ?? parsed.seed;
  return toDatasetRecords(generateProblems(parsed.name, n, seed), sel.setting ?? parsed.setting, sel.irrelevant || parsed.irrelevant, seed);
}

/** The key a record is resumed by: instruction and input (the study skips instructions already in its output file). */
export function sampleKey(r: { instruction: string; input?: string }): string {
  return `${r.instruction}\u0000${r.input ?? ''}`;
}

/**
 * What an earlier, interrupted run left in `out`: its complete records' lines and their
 * keys. A cut or unreadable line is dropped (it will be computed again). Missing file → none.
 */
export async function finishedLines(out: string): Promise<{ lines: string[]; keys: Set<string> }> {
  const lines: string[] = [];
  const keys = new Set<string>();
  if (!existsSync(out)) return { lines, keys };
  for (const line of (await readFile(out, 'utf8')).split('\n')) {
    if (line.trim() === '') continue;
    try {
      const r = parsePythonJson(line) as { instruction?: unknown; input?: unknown };
      if (typeof r?.instruction !== 'string') continue;
      keys.add(sampleKey({ instruction: r.instruction, input: typeof r.input === 'string' ? r.input : '' }));
      lines.push(line);
    } catch {
      // a line cut by the interruption
    }
  }
  return { lines, keys };
}

/** The generator name of a `builtin:` spec (UsageError when invalid). */
export function builtinName(spec: string): string {
  try {
    return parseBuiltinSpec(spec).name;
  } catch (e) {
    throw new UsageError(`--data ${spec}: ${(e as Error).message}`);
  }
}

/** Read the experiment's runs back and print the MAD and relative-difference tables of S_sum. */
export async function printExperimentTables(paths: readonly string[], write: (s: string) => void): Promise<Run[]> {
  const runs: Run[] = [];
  for (const p of paths) {
    const run = await loadRun(p, (line) => process.stderr.write(`${line}\n`));
    // File names repeat across the correct and irrelevant folders: label by the path's metadata.
    runs.push({ ...run, name: describeRun(run.meta, run.name) });
  }
  const stat = 'S_sum';
  const mad = madTable(runs, stat);
  write(`\nMAD of ${stat} (nuclear norm) curves, per run and module\n`);
  write(
    alignTable(
      ['run', 'module', 'all', 'early', 'middle', 'late'],
      mad.rows.map((r) => [r.run, r.module, formatNumber(r.all), formatNumber(r.early), formatNumber(r.middle), formatNumber(r.late)]),
      [false, false, true, true, true, true],
    ),
  );
  const rd = relativeDifferenceTable(pairRuns(runs), stat);
  write(`\nRelative difference of ${stat} curves (other vs reference)\n`);
  write(
    alignTable(
      ['reference', 'other', 'differs in', 'module', 'rel. diff.', 'top layers'],
      rd.rows.map((r) => [r.reference, r.other, r.differsIn, r.module, formatNumber(r.value), r.topLayers.join(' ')]),
      [false, false, false, false, true, false],
    ),
  );
  return runs;
}
