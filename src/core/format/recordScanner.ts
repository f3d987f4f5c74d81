/**
 * The fast path of the reader: one Layer_Gradient line read straight from its UTF-8
 * bytes into the run's columns, without building the record's objects.
 *
 * Written by hand because `JSON.parse` plus walking the parsed objects is most of the
 * cost of loading a file (a release file holds ~450 000 numbers), and no JSON library
 * reads numbers into typed arrays by key. The scanner accepts only the strict JSON
 * (plus Python's bare NaN / Infinity tokens) it can prove it reads exactly as the
 * general path would; on anything else (a syntax error, an escaped key, a duplicate
 * key, a value of an unexpected type) it stores nothing and returns false, and the
 * line goes through `parsePythonJson` + `RecordSink.add`, which reads or reports it.
 * The two paths give identical runs (tests/core/format/recordScanner.test.ts).
 */
import { NumberReader } from './decimal.ts';
import { parsePythonJson } from './jsonl.ts';
import type { SampleText } from './run.ts';
import type { MatrixKey, RecordSink } from './recordSink.ts';
import { summarizeSingularValues } from './singularValues.ts';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const MINUS = 0x2d;
const SPACE = 0x20;
const ZERO = 0x30;
const NINE = 0x39;
const UPPER_N = 0x4e;
const UPPER_I = 0x49;
const LOWER_N = 0x6e;

/** The scanner keeps at most this many distinct key names (a guard against hostile files); past it, new names take the general path. */
const NAME_LIMIT = 65536;

const enum Kind {
  Instruction,
  Input,
  Output,
  Loss,
  Matrix,
  Other,
}

/** A top-level key name, resolved once per file. `seenAt` catches a key repeated in one line. */
interface TopKey {
  name: string;
  bytes: Uint8Array;
  words: Uint32Array;
  kind: Kind;
  matrix: MatrixKey | null;
  seenAt: number;
}

/** A statistic's field name inside a matrix record; `statId` is −1 until a kept line registers it. */
interface FieldKey {
  name: string;
  bytes: Uint8Array;
  words: Uint32Array;
  statId: number;
  /** Bit of S_sum / S_max / S_min / effective_rank (the stats S_list yields), else 0. */
  derived: number;
  seenAt: number;
}

const FROM_S_LIST = ['S_sum', 'S_max', 'S_min', 'effective_rank'] as const;
const ALL_DERIVED = (1 << FROM_S_LIST.length) - 1;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Index of the first non-space byte from i (JSON's four spaces; every other byte, and the end, stops it). */
function skipSpace(b: Uint8Array, i: number): number {
  if (b[i] > 0x20) return i;
  while (isSpace(b[i])) i++;
  return i;
}

/** True when `bytes` sit at b[i…] and a quote follows them; compares four bytes at a time (keys are most of a line's non-numeric bytes). */
function matchesKey(b: Uint8Array, view: DataView, i: number, bytes: Uint8Array, words: Uint32Array): boolean {
  const len = bytes.length;
  if (b[i + len] !== QUOTE) return false;
  const whole = words.length;
  for (let w = 0; w < whole; w++) if (view.getUint32(i + 4 * w, true) !== words[w]) return false;
  for (let k = 4 * whole; k < len; k++) if (b[i + k] !== bytes[k]) return false;
  return true;
}

/** A key's bytes as little-endian 32-bit words (the whole ones; matchesKey compares the tail byte by byte). */
function keyWords(bytes: Uint8Array): Uint32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Uint32Array.from({ length: Math.floor(bytes.length / 4) }, (_, w) => view.getUint32(4 * w, true));
}

/** Reads records' bytes into a RecordSink's columns and samples. */
export class RecordScanner {
  private readonly numbers = new NumberReader();
  /** Keeps a leading U+FEFF: a field's text may start with one (the general path decodes whole lines, where it is not leading). */
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  private readonly topByName = new Map<string, TopKey>();
  private readonly fieldByName = new Map<string, FieldKey>();
  /** The keys met at each position of the last lines (lines of a file share one key order). */
  private readonly topSlots: (TopKey | undefined)[] = [];
  private readonly fieldSlots: (FieldKey | undefined)[] = [];
  private readonly derivedFields: FieldKey[];
  private line = 0;
  private matrixStamp = 0;
  /** Position of the next matrix field in the line's sequence of field keys (all matrices' fields, in order). */
  private fieldSlotBase = 0;
  /** Index after the last key, string or scalar read. */
  private pos = 0;
  /** The line's bytes as a DataView, for matchesKey. */
  private view: DataView = new DataView(new ArrayBuffer(0));
  // The line being read, stored only when all of it was read.
  private matrices: MatrixKey[] = [];
  private cellMatrix: MatrixKey[] = [];
  private cellField: FieldKey[] = [];
  private cellValue = new Float64Array(1024);
  private cells = 0;
  private readonly list: number[] = [];

  constructor(private readonly sink: RecordSink) {
    this.derivedFields = FROM_S_LIST.map((name) => this.field(name) as FieldKey);
  }

  /**
   * Reads one line (without its terminator) into the sink. Returns true when the
   * record was stored; false when the line must take the general path, in which case
   * nothing was stored or registered.
   */
  scan(b: Uint8Array): boolean {
    this.line++;
    this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    this.fieldSlotBase = 0;
    this.matrices.length = 0;
    this.cells = 0;
    let maxLayer = -1;
    let loss = NaN;
    let instruction = '';
    let input = '';
    let output = '';
    let extra: Record<string, unknown> | undefined;
    let i = skipSpace(b, 0);
    if (b[i] !== LBRACE) return false;
    i = skipSpace(b, i + 1);
    for (let slot = 0; ; slot++) {
      const key = this.key(b, i, this.topSlots, slot, this.top);
      if (key === null || key.seenAt === this.line) return false;
      key.seenAt = this.line;
      i = skipSpace(b, this.pos);
      if (b[i] !== COLON) return false;
      i = skipSpace(b, i + 1);
      switch (key.kind) {
        case Kind.Instruction:
        case Kind.Input:
        case Kind.Output: {
          const text = b[i] === QUOTE ? this.string(b, i) : null;
          if (text === null) return false;
          if (key.kind === Kind.Instruction) instruction = text;
          else if (key.kind === Kind.Input) input = text;
          else output = text;
          i = this.pos;
          break;
        }
        case Kind.Loss:
          loss = this.scalar(b, i);
          if (this.pos < 0) return false;
          i = this.pos;
          break;
        case Kind.Matrix: {
          const matrix = key.matrix as MatrixKey;
          if (b[i] !== LBRACE || !this.matrix(b, i, matrix)) return false;
          if (matrix.layer > maxLayer) maxLayer = matrix.layer;
          i = this.pos;
          break;
        }
        default: {
          const end = this.valueEnd(b, i);
          if (end < 0) return false;
          let value: unknown;
          try {
            value = parsePythonJson(this.decoder.decode(b.subarray(i, end)));
          } catch {
            return false;
          }
          extra ??= Object.create(null) as Record<string, unknown>;
          extra[key.name] = value;
          i = end;
        }
      }
      i = skipSpace(b, i);
      if (b[i] === COMMA) {
        i = skipSpace(b, i + 1);
        continue;
      }
      if (b[i] !== RBRACE) return false;
      i = skipSpace(b, i + 1);
      break;
    }
    if (i !== b.length || this.matrices.length === 0) return false;
    const sample: SampleText = { instruction, input, output };
    if (extra !== undefined) sample.extra = extra;
    this.store(maxLayer, loss, sample);
    return true;
  }

  /** Commits the line: registers its modules and statistics in order of appearance, as the general path does. */
  private store(maxLayer: number, loss: number, sample: SampleText): void {
    const sink = this.sink;
    const columns = sink.columns;
    for (const matrix of this.matrices) sink.register(matrix);
    columns.beginSample(maxLayer);
    columns.setLoss(loss);
    const cellMatrix = this.cellMatrix;
    const cellField = this.cellField;
    const cellValue = this.cellValue;
    for (let c = 0; c < this.cells; c++) {
      const field = cellField[c];
      if (field.statId < 0) field.statId = columns.statId(field.name);
      const matrix = cellMatrix[c];
      columns.set(matrix.moduleId, field.statId, matrix.layer, cellValue[c]);
    }
    sink.samples.push(sample);
  }

  private cell(matrix: MatrixKey, field: FieldKey, value: number): void {
    const c = this.cells++;
    if (c === this.cellValue.length) {
      const grown = new Float64Array(c * 2);
      grown.set(this.cellValue);
      this.cellValue = grown;
    }
    this.cellMatrix[c] = matrix;
    this.cellField[c] = field;
    this.cellValue[c] = value;
  }

  /** Reads `{"stat": value, …}` of one matrix into cells; false on anything but numbers, the bare tokens, null and an S_list of numbers. */
  private matrix(b: Uint8Array, start: number, matrix: MatrixKey): boolean {
    this.matrices.push(matrix);
    const stamp = ++this.matrixStamp;
    let i = skipSpace(b, start + 1);
    if (b[i] === RBRACE) {
      this.pos = i + 1;
      return true;
    }
    let present = 0;
    let sList: number[] | null = null;
    for (let slot = this.fieldSlotBase; ; slot++) {
      const field = this.key(b, i, this.fieldSlots, slot, this.field);
      if (field === null || field.seenAt === stamp) return false;
      field.seenAt = stamp;
      present |= field.derived;
      // Python writes `": "` and `", "`: test for exactly that before the general skip.
      i = this.pos;
      if (b[i] !== COLON) {
        i = skipSpace(b, i);
        if (b[i] !== COLON) return false;
      }
      i++;
      if (b[i] === SPACE) i++;
      if (b[i] <= SPACE) i = skipSpace(b, i);
      if (b[i] === LBRACKET) {
        if (field.name !== 'S_list' || !this.numberList(b, i)) return false;
        sList = this.list;
      } else {
        const value = this.scalar(b, i);
        if (this.pos < 0) return false;
        this.cell(matrix, field, value);
      }
      i = this.pos;
      if (b[i] <= SPACE) i = skipSpace(b, i);
      if (b[i] === COMMA) {
        i++;
        if (b[i] === SPACE) i++;
        if (b[i] <= SPACE) i = skipSpace(b, i);
        continue;
      }
      if (b[i] !== RBRACE) return false;
      this.fieldSlotBase = slot + 1;
      this.pos = i + 1;
      break;
    }
    if (sList !== null && present !== ALL_DERIVED) {
      const derived = summarizeSingularValues(sList);
      for (let k = 0; k < FROM_S_LIST.length; k++) {
        if ((present & (1 << k)) === 0) this.cell(matrix, this.derivedFields[k], derived[FROM_S_LIST[k]]);
      }
    }
    return true;
  }

  /** `[n, n, …]` of numbers, bare tokens and nulls (as NaN, as the general path reads them) into `this.list`; false on anything else. */
  private numberList(b: Uint8Array, start: number): boolean {
    const list = this.list;
    list.length = 0;
    let i = skipSpace(b, start + 1);
    if (b[i] === RBRACKET) {
      this.pos = i + 1;
      return true;
    }
    for (;;) {
      const value = this.scalar(b, i);
      if (this.pos < 0) return false;
      list.push(value);
      i = skipSpace(b, this.pos);
      if (b[i] === COMMA) {
        i = skipSpace(b, i + 1);
        continue;
      }
      if (b[i] !== RBRACKET) return false;
      this.pos = i + 1;
      return true;
    }
  }

  /** A number, `NaN`, `Infinity`, `-Infinity` or `null` (as NaN); `this.pos` is −1 when there is none. */
  private scalar(b: Uint8Array, i: number): number {
    const c = b[i];
    if ((c >= ZERO && c <= NINE) || (c === MINUS && b[i + 1] !== UPPER_I)) {
      const value = this.numbers.read(b, i);
      this.pos = this.numbers.end;
      return value;
    }
    if (c === UPPER_N && b[i + 1] === 0x61 && b[i + 2] === UPPER_N) {
      this.pos = i + 3;
      return NaN;
    }
    if (c === LOWER_N && b[i + 1] === 0x75 && b[i + 2] === 0x6c && b[i + 3] === 0x6c) {
      this.pos = i + 4;
      return NaN;
    }
    const negative = c === MINUS;
    const at = negative ? i + 1 : i;
    if (b[at] === UPPER_I && this.isInfinity(b, at)) {
      this.pos = at + 8;
      return negative ? -Infinity : Infinity;
    }
    this.pos = -1;
    return NaN;
  }

  private isInfinity(b: Uint8Array, i: number): boolean {
    // "Infinity"
    return b[i + 1] === 0x6e && b[i + 2] === 0x66 && b[i + 3] === 0x69 && b[i + 4] === 0x6e && b[i + 5] === 0x69 && b[i + 6] === 0x74 && b[i + 7] === 0x79;
  }

  /** A string literal's value; null when it is unterminated or not valid JSON. */
  private string(b: Uint8Array, start: number): string | null {
    let escaped = false;
    let j = start + 1;
    for (;;) {
      const c = b[j];
      if (c === QUOTE) break;
      if (c === undefined || c < 0x20) return null;
      if (c === BACKSLASH) {
        escaped = true;
        j++;
      }
      j++;
    }
    this.pos = j + 1;
    if (!escaped) return this.decoder.decode(b.subarray(start + 1, j));
    try {
      return JSON.parse(this.decoder.decode(b.subarray(start, j + 1))) as string;
    } catch {
      return null;
    }
  }

  /** Index just past the JSON value starting at `start` (its extent only; parsing checks it); −1 when it does not end in the line. */
  private valueEnd(b: Uint8Array, start: number): number {
    let depth = 0;
    const n = b.length;
    for (let j = start; j < n; j++) {
      const c = b[j];
      if (c === QUOTE) {
        for (j++; j < n && b[j] !== QUOTE; j++) if (b[j] === BACKSLASH) j++;
        if (j >= n) return -1;
        if (depth === 0) return j + 1;
      } else if (c === LBRACE || c === LBRACKET) depth++;
      else if (c === RBRACE || c === RBRACKET) {
        if (depth === 0) return j;
        if (--depth === 0) return j + 1;
      } else if (c === COMMA && depth === 0) return j;
    }
    return -1;
  }

  /**
   * The key at b[i] (a quote), through a slot cache: the key met at this position of
   * the last lines when its bytes match (no decoding), else `resolve` of its text, which
   * then takes the slot. Null when the key needs the general path.
   */
  private key<K extends { bytes: Uint8Array; words: Uint32Array }>(b: Uint8Array, i: number, slots: (K | undefined)[], slot: number, resolve: (name: string, bytes: Uint8Array) => K | null): K | null {
    if (b[i] !== QUOTE) return null;
    const cached = slots[slot];
    if (cached !== undefined && matchesKey(b, this.view, i + 1, cached.bytes, cached.words)) {
      this.pos = i + 2 + cached.bytes.length;
      return cached;
    }
    const name = this.keyName(b, i);
    if (name === null) return null;
    const key = resolve(name, b.slice(i + 1, this.pos - 1));
    if (key !== null) slots[slot] = key;
    return key;
  }

  /** A top-level key by name, resolved once per file: text field, loss, gradient matrix, or anything else. */
  private readonly top = (name: string, bytes: Uint8Array): TopKey | null => {
    let key = this.topByName.get(name);
    if (key === undefined) {
      if (this.topByName.size >= NAME_LIMIT) return null;
      const matrix = this.sink.matrixKey(name);
      const kind =
        name === 'instruction' ? Kind.Instruction : name === 'input' ? Kind.Input : name === 'output' ? Kind.Output : name === 'loss' ? Kind.Loss : matrix !== null ? Kind.Matrix : Kind.Other;
      key = { name, bytes, words: keyWords(bytes), kind, matrix, seenAt: 0 };
      this.topByName.set(name, key);
    }
    return key;
  };

  /** A matrix field's key by name, resolved once per file. */
  private readonly field = (name: string, bytes: Uint8Array = new TextEncoder().encode(name)): FieldKey | null => {
    let key = this.fieldByName.get(name);
    if (key === undefined) {
      if (this.fieldByName.size >= NAME_LIMIT) return null;
      const k = (FROM_S_LIST as readonly string[]).indexOf(name);
      key = { name, bytes, words: keyWords(bytes), statId: -1, derived: k < 0 ? 0 : 1 << k, seenAt: 0 };
      this.fieldByName.set(name, key);
    }
    return key;
  };

  /**
   * The text of a key with no escapes whose first character is not a digit (JSON.parse
   * would move integer-like keys to the front, which the scanner does not copy); sets
   * `this.pos` past the closing quote. Null otherwise.
   */
  private keyName(b: Uint8Array, i: number): string | null {
    const first = b[i + 1];
    if (first >= ZERO && first <= NINE) return null;
    let j = i + 1;
    for (;;) {
      const c = b[j];
      if (c === QUOTE) break;
      if (c === undefined || c === BACKSLASH || c < 0x20) return null;
      j++;
    }
    this.pos = j + 1;
    return this.decoder.decode(b.subarray(i + 1, j));
  }
}
