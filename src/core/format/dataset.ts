/**
 * Alpaca-style training datasets, `{instruction, input, output}` records, as the
 * study's data files hold them (a JSON array) or one record per line (JSONL).
 */

import { ArraySplitter } from './arraySplitter.ts';

/** One training sample: the prompt is `instruction` (+ "\n" + `input` when non-empty), the response `output`. */
export interface DatasetRecord {
  instruction: string;
  input: string;
  output: string;
}

/** A record the parser left out: 1-based line where it starts, and why. */
export interface SkippedRecord {
  line: number;
  reason: string;
}

/** What parseDataset returns: the usable records in file order and the ones left out. */
export interface ParsedDataset {
  records: DatasetRecord[];
  skipped: SkippedRecord[];
}

/**
 * Reads a dataset file's text. A text whose first non-blank character is `[` is a JSON
 * array (unless the file name ends in `.jsonl`); anything else is JSONL, one record per
 * non-blank line. A byte order mark and CRLF line ends are accepted. Each record must be
 * an object with a string `instruction` (non-blank) and `output`; `input` may be missing
 * or null (→ ''); a finite number in any of the three becomes its decimal text. Other
 * keys are ignored, and only own keys are read, so `__proto__` in a file neither
 * pollutes nor supplies a field. Records that fail (bad JSON, wrong types) are skipped
 * with the 1-based line they start on and a reason naming the record (JSONL: line;
 * array: 1-based element index). Empty text → no records, nothing skipped.
 * Example: parseDataset('d.jsonl', '{"instruction":"2+2?","output":"4"}\n') →
 * { records: [{ instruction: '2+2?', input: '', output: '4' }], skipped: [] }.
 */
export function parseDataset(file: string, text: string): ParsedDataset {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const first = body.search(/\S/);
  const out: ParsedDataset = { records: [], skipped: [] };
  if (first === -1) return out;
  if (body[first] === '[' && !/\.jsonl$/i.test(file)) {
    let cut = false;
    const cutOff = (index: number, line: number) => {
      cut = true;
      out.skipped.push({ line, reason: `record ${index}: cut off: the array is not closed` });
    };
    const splitter = new ArraySplitter(
      (text, index, line, complete) => (complete ? addParsed(out, (text ?? '').trim(), line, `record ${index}`) : cutOff(index, line)),
      (index, line, reason) => out.skipped.push({ line, reason: `record ${index}: ${reason}` }),
    );
    splitter.push(body);
    splitter.finish();
    if (!splitter.closed && !cut) cutOff(splitter.count + 1, countLines(body) + 1);
    return out;
  }
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
    if (line.trim() === '') continue;
    addParsed(out, line, i + 1, `line ${i + 1}`);
  }
  return out;
}

function addParsed(out: ParsedDataset, text: string, line: number, where: string): void {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    out.skipped.push({ line, reason: `${where}: not valid JSON (${(error as Error).message})` });
    return;
  }
  const record = toRecord(value);
  if (typeof record === 'string') out.skipped.push({ line, reason: `${where}: ${record}` });
  else out.records.push(record);
}

/** The record a parsed value stands for, or the reason it is not one. */
function toRecord(value: unknown): DatasetRecord | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return `expected an object with instruction and output, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`;
  }
  const obj = value as Record<string, unknown>;
  const instruction = textField(obj, 'instruction', false);
  if (instruction === undefined) return 'instruction is missing';
  if (typeof instruction !== 'string') return instruction.error;
  if (instruction.trim() === '') return 'instruction is blank';
  const input = textField(obj, 'input', true);
  if (typeof input !== 'string') return input === undefined ? 'input is missing' : input.error;
  const output = textField(obj, 'output', false);
  if (typeof output !== 'string') return output === undefined ? 'output is missing' : output.error;
  return { instruction, input, output };
}

/** An own text field: the string, undefined when absent, or an error for a wrong type. */
function textField(obj: Record<string, unknown>, key: string, optional: boolean): string | undefined | { error: string } {
  if (!Object.prototype.hasOwnProperty.call(obj, key)) return optional ? '' : undefined;
  const v = obj[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (v === null && optional) return '';
  return { error: `${key} must be a string, got ${v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v}` };
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
