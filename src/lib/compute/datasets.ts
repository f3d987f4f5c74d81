/**
 * Datasets the compute panel offers: the built-in generators (src/core/data) and
 * uploaded Alpaca-style files.
 */
import { BUILTIN_DATASETS, generateProblems } from '../../core/data/builtinDatasets';
import { toDatasetRecords } from '../../core/data/datasetRecords';
import { parseDataset, type DatasetRecord } from '../../core/format/dataset';
import type { CotSetting } from '../../core/model/experimentPlan';

/** A dataset the panel can compute on. */
export type DatasetChoice =
  | { kind: 'builtin'; name: string }
  | { kind: 'upload'; name: string; records: DatasetRecord[] };

/** Names of the built-in generators. */
export function builtinNames(): string[] {
  return BUILTIN_DATASETS.map((d) => d.name);
}

/**
 * N records of a built-in generator for a setting, correct or irrelevant responses.
 * The same (name, n, seed) gives the same problems for every setting, so the runs of
 * an experiment pair sample by sample.
 */
export function builtinRecords(name: string, setting: CotSetting, irrelevant: boolean, n: number, seed = 1): DatasetRecord[] {
  return toDatasetRecords(generateProblems(name, n, seed), setting, irrelevant, seed);
}

/** Parse an uploaded dataset file (JSON array or JSONL); throws when nothing is usable. */
export async function readUploadedDataset(file: File): Promise<DatasetChoice> {
  const { records, skipped } = parseDataset(file.name, await file.text());
  if (records.length === 0) {
    throw new Error(`${file.name}: no usable record${skipped.length ? ` (first problem, line ${skipped[0].line}: ${skipped[0].reason})` : ''}`);
  }
  return { kind: 'upload', name: file.name.replace(/\.(jsonl?|json)$/i, ''), records };
}

/**
 * Records of a dataset choice for one run. Uploads: the first N records; `irrelevant`
 * pairs each instruction with the next record's output (a derangement: rotation by one).
 */
export function recordsFor(choice: DatasetChoice, setting: CotSetting, irrelevant: boolean, n: number): DatasetRecord[] {
  if (choice.kind === 'builtin') return builtinRecords(choice.name, setting, irrelevant, n);
  const head = choice.records.slice(0, n);
  if (!irrelevant || head.length < 2) return head;
  return head.map((r, i) => ({ ...r, output: head[(i + 1) % head.length].output }));
}
