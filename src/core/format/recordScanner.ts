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
import { COLON, COMMA, keyWords, LBRACE, LBRACKET, QUOTE, RBRACE, SPACE, skipSpace, TokenReader, type ScannedKey } from './jsonTokens.ts';
import { parsePythonJson } from './jsonl.ts';
import type { SampleText } from './run.ts';
import type { MatrixKey, RecordSink } from './recordSink.ts';
import { FROM_S_LIST, summarizeSingularValues } from './singularValues.ts';

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
interface TopKey extends ScannedKey {
  name: string;
  kind: Kind;
  matrix: MatrixKey | null;
  seenAt: number;
}

/** A statistic's field name inside a matrix record; `statId` is −1 until a kept line registers it. */
interface FieldKey extends ScannedKey {
  name: string;
  statId: number;
  /** Bit of S_sum / S_max / S_min / effective_rank (the stats S_list yields), else 0. */
  derived: number;
  seenAt: number;
}

const ALL_DERIVED = (1 << FROM_S_LIST.length) - 1;

/** Reads records' bytes into a RecordSink's columns and samples. */
export class RecordScanner {
  private readonly tokens = new TokenReader();
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
  // The line being read, stored only when all of it was read.
  private matrices: MatrixKey[] = [];
  private cellMatrix: MatrixKey[] = [];
  private cellField: FieldKey[] = [];
  private cellValue = new Float64Array(1024);
  private cells = 0;

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
    const tokens = this.tokens;
    tokens.line(b);
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
      const key = tokens.key(b, i, this.topSlots, slot, this.top);
      if (key === null || key.seenAt === this.line) return false;
      key.seenAt = this.line;
      i = skipSpace(b, tokens.pos);
      if (b[i] !== COLON) return false;
      i = skipSpace(b, i + 1);
      switch (key.kind) {
        case Kind.Instruction:
        case Kind.Input:
        case Kind.Output: {
          const text = b[i] === QUOTE ? tokens.string(b, i) : null;
          if (text === null) return false;
          if (key.kind === Kind.Instruction) instruction = text;
          else if (key.kind === Kind.Input) input = text;
          else output = text;
          i = tokens.pos;
          break;
        }
        case Kind.Loss:
          loss = tokens.scalar(b, i);
          if (tokens.pos < 0) return false;
          i = tokens.pos;
          break;
        case Kind.Matrix: {
          const matrix = key.matrix as MatrixKey;
          if (b[i] !== LBRACE || !this.matrix(b, i, matrix)) return false;
          if (matrix.layer > maxLayer) maxLayer = matrix.layer;
          i = tokens.pos;
          break;
        }
        default: {
          const end = tokens.valueEnd(b, i);
          if (end < 0) return false;
          let value: unknown;
          try {
            value = parsePythonJson(tokens.text(b, i, end));
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
    const tokens = this.tokens;
    this.matrices.push(matrix);
    const stamp = ++this.matrixStamp;
    let i = skipSpace(b, start + 1);
    if (b[i] === RBRACE) {
      tokens.pos = i + 1;
      return true;
    }
    let present = 0;
    let sList: number[] | null = null;
    for (let slot = this.fieldSlotBase; ; slot++) {
      const field = tokens.key(b, i, this.fieldSlots, slot, this.field);
      if (field === null || field.seenAt === stamp) return false;
      field.seenAt = stamp;
      present |= field.derived;
      // Python writes `": "` and `", "`: test for exactly that before the general skip.
      i = tokens.pos;
      if (b[i] !== COLON) {
        i = skipSpace(b, i);
        if (b[i] !== COLON) return false;
      }
      i++;
      if (b[i] === SPACE) i++;
      if (b[i] <= SPACE) i = skipSpace(b, i);
      if (b[i] === LBRACKET) {
        if (field.name !== 'S_list' || !tokens.numberList(b, i)) return false;
        sList = tokens.list;
      } else {
        const value = tokens.scalar(b, i);
        if (tokens.pos < 0) return false;
        this.cell(matrix, field, value);
      }
      i = tokens.pos;
      if (b[i] <= SPACE) i = skipSpace(b, i);
      if (b[i] === COMMA) {
        i++;
        if (b[i] === SPACE) i++;
        if (b[i] <= SPACE) i = skipSpace(b, i);
        continue;
      }
      if (b[i] !== RBRACE) return false;
      this.fieldSlotBase = slot + 1;
      tokens.pos = i + 1;
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
}
