/**
 * Datasets the compute panel offers: the built-in generators (src/core/data) and
 * uploaded Alpaca-style files.
 */
import { parseDataset, type DatasetRecord } from '../../core/format/dataset';
import type { CotSetting } from '../../core/model/experimentPlan';

/** A dataset the panel can compute on. */
export type DatasetChoice =
  | { kind: 'builtin'; name: string }
  | { kind: 'upload'; name: string; records: DatasetRecord[] };

/** Names of the built-in generators. */
export function builtinNames(): string[] {
  return [];
}

/** N records of a built-in generator for a setting, correct or irrelevant responses (seeded). */
export function builtinRecords(name: string, _setting: CotSetting, _irrelevant: boolean, _n: number, _seed = 1): DatasetRecord[] {
  throw new Error(`built-in dataset ${name} is not available yet`);
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
