/**
 * Turns parsed Layer_Gradient records into columns and sample texts: matrices with a
 * layer index become stat values, `S_list` yields S_sum / S_max / S_min /
 * effective_rank, text fields and loss are kept per sample, and every other top-level
 * field lands in the sample's null-prototype `extra`.
 */
import { toJsonlLine } from './jsonl.ts';
import { BASE_STATS } from './run.ts';
import { TextPacker } from './texts.ts';
import { parseParamName } from './paramName.ts';
import { RunColumns } from './runColumns.ts';
import { FROM_S_LIST, summarizeSingularValues } from './singularValues.ts';

/** Layer indices at or above this are not read as layers (a guard against corrupt or hostile names exhausting memory). */
export const MAX_LAYERS = 1024;

const KEY_CACHE_LIMIT = 65536;
const TEXT_FIELDS = new Set(['instruction', 'input', 'output']);
const BASE = new Set<string>(BASE_STATS);

/** What a parameter name says: its layer and module, and the module's column id once a kept record registered it (−1 before). */
export interface MatrixKey {
  layer: number;
  module: string;
  moduleId: number;
}

type Fields = Record<string, unknown>;

function isPlainObject(value: unknown): value is Fields {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Collects records into a RunColumns store and a list of sample texts. */
export class RecordSink {
  readonly columns = new RunColumns();
  readonly texts = new TextPacker();
  /** Samples stored so far. */
  samples = 0;
  private readonly keys = new Map<string, MatrixKey | null>();
  private readonly pendingKeys: MatrixKey[] = [];
  private readonly pendingFields: Fields[] = [];
  private readonly topNames: string[] = [];
  private readonly topInfo: (MatrixKey | null)[] = [];
  private readonly fieldNames: string[] = [];
  private readonly fieldIds: number[] = [];

  /** The layer and module a top-level key names, or null when it is no gradient matrix's name. Registers nothing. */
  matrixKey(key: string): MatrixKey | null {
    const cached = this.keys.get(key);
    if (cached !== undefined) return cached;
    const parsed = parseParamName(key);
    const info = parsed !== null && parsed.layer < MAX_LAYERS ? { layer: parsed.layer, module: parsed.module, moduleId: -1 } : null;
    if (this.keys.size < KEY_CACHE_LIMIT) this.keys.set(key, info);
    return info;
  }

  /**
   * Adds one parsed record; returns null when it was kept, else why it was skipped
   * ('not an object', 'no gradient matrix'). Never throws on any JSON value.
   */
  add(record: unknown): string | null {
    if (!isPlainObject(record)) return 'not an object';
    const keys = this.pendingKeys;
    const fields = this.pendingFields;
    keys.length = 0;
    fields.length = 0;
    let maxLayer = -1;
    let instruction = '';
    let input = '';
    let output = '';
    let loss = NaN;
    let extra: Fields | undefined;
    const names = Object.keys(record);
    const seen = this.topNames;
    const seenInfo = this.topInfo;
    for (let k = 0; k < names.length; k++) {
      const key = names[k];
      const value = record[key];
      if (TEXT_FIELDS.has(key) && typeof value === 'string') {
        if (key === 'instruction') instruction = value;
        else if (key === 'input') input = value;
        else output = value;
        continue;
      }
      if (key === 'loss' && (typeof value === 'number' || value === null)) {
        loss = typeof value === 'number' ? value : NaN;
        continue;
      }
      if (isPlainObject(value)) {
        // Lines of a file share one key order: reuse what the last line's key at this position gave.
        let info: MatrixKey | null;
        if (seen[k] === key) info = seenInfo[k];
        else {
          info = this.matrixKey(key);
          seen[k] = key;
          seenInfo[k] = info;
        }
        if (info !== null) {
          keys.push(info);
          fields.push(value);
          if (info.layer > maxLayer) maxLayer = info.layer;
          continue;
        }
      }
      extra ??= Object.create(null) as Fields;
      extra[key] = value;
    }
    if (keys.length === 0) return 'no gradient matrix';
    const columns = this.columns;
    for (let i = 0; i < keys.length; i++) this.register(keys[i]);
    columns.beginSample(maxLayer);
    columns.setLoss(loss);
    for (let i = 0; i < keys.length; i++) this.addMatrix(keys[i], fields[i]);
    this.addTexts(instruction, input, output, extra);
    fields.length = 0;
    return null;
  }

  /** Stores the texts of the sample just begun (extra fields as Python-dialect JSON, '' when none). */
  addTexts(instruction: string, input: string, output: string, extra: Fields | undefined): void {
    this.texts.addSample(instruction, input, output, extra === undefined ? '' : toJsonlLine(extra));
    this.samples++;
  }

  /** Gives a matrix key its module's column id, registering the module (in order of first kept appearance) when new. */
  register(key: MatrixKey): void {
    if (key.moduleId < 0) key.moduleId = this.columns.moduleId(key.module);
  }

  private addMatrix(key: MatrixKey, fields: Fields): void {
    const columns = this.columns;
    let sList: unknown[] | undefined;
    const names = this.fieldNames;
    const ids = this.fieldIds;
    let k = 0;
    for (const field of Object.keys(fields)) {
      const value = fields[field];
      if (typeof value === 'number') {
        // Matrices of a file share one field order: reuse the ids found for the last one.
        if (names[k] !== field) {
          names[k] = field;
          ids[k] = columns.statId(field);
        }
        columns.set(key.moduleId, ids[k++], key.layer, value);
      } else if (field === 'S_list' && Array.isArray(value)) {
        sList = value;
      } else if (value === null || BASE.has(field)) {
        columns.set(key.moduleId, columns.statId(field), key.layer, NaN);
      }
    }
    if (sList === undefined) return;
    const derived = summarizeSingularValues(sList);
    for (const stat of FROM_S_LIST) {
      if (!Object.hasOwn(fields, stat)) columns.set(key.moduleId, columns.statId(stat), key.layer, derived[stat]);
    }
  }
}
