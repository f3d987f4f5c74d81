/**
 * The fast paths of the reader: one Layer_Gradient line read straight from its UTF-8
 * bytes into the run's columns, without building the record's objects. The WebAssembly
 * tokenizer (tapeScanner.ts) is tried first; lines it leaves alone are read here in
 * JavaScript, and lines this scanner leaves alone take the general path.
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
import type { LineSplitter } from './byteLines.ts';
import { COLON, COMMA, LBRACE, LBRACKET, QUOTE, RBRACE, SPACE, skipSpace, TokenReader } from './jsonTokens.ts';
import { parsePythonJson } from './jsonl.ts';
import { LineCells } from './lineCells.ts';
import { ALL_DERIVED, KeyKind, RecordKeys, type FieldKey, type TopKey } from './recordKeys.ts';
import type { MatrixKey, RecordSink } from './recordSink.ts';
import { FROM_S_LIST, summarizeSingularValues } from './singularValues.ts';
import { TapeScanner } from './tapeScanner.ts';

/** Options of a scanner. */
export interface RecordScannerOptions {
  /** Try the WebAssembly tokenizer first on each line (default true; it is skipped where WebAssembly is unavailable). */
  wasm?: boolean;
}

/** Reads records' bytes into a RecordSink's columns and samples. */
export class RecordScanner {
  private readonly tokens = new TokenReader();
  private readonly keys: RecordKeys;
  private readonly cells: LineCells;
  /** Null where unavailable, turned off, or after release(). */
  private tape: TapeScanner | null;
  /** The keys met at each position of the last lines (lines of a file share one key order). */
  private readonly topSlots: (TopKey | undefined)[] = [];
  private readonly fieldSlots: (FieldKey | undefined)[] = [];
  private line = 0;
  private matrixStamp = 0;
  /** Position of the next matrix field in the line's sequence of field keys (all matrices' fields, in order). */
  private fieldSlotBase = 0;

  constructor(sink: RecordSink, options: RecordScannerOptions = {}) {
    this.keys = new RecordKeys(sink);
    this.cells = new LineCells(sink);
    this.tape = options.wasm === false ? null : TapeScanner.create(this.keys, this.cells, sink);
  }

  /**
   * Ends the file: stores what the fast path holds back (lines batched in WebAssembly
   * memory) and gives the WebAssembly instance back for the next file, once (another file
   * may have it next). Call before the store is read; later lines take the JavaScript paths.
   */
  release(): void {
    this.tape?.release();
    this.tape = null;
  }

  /** A line splitter that hands this scanner its lines where it reads them fastest, or null when any splitter will do. */
  lineSplitter(): LineSplitter | null {
    return this.tape?.lineSplitter() ?? null;
  }

  /**
   * Reads one line (without its terminator) into the sink. Returns true when the
   * record was stored; false when the line must take the general path, in which case
   * nothing was stored or registered.
   */
  scan(b: Uint8Array): boolean {
    this.line++;
    const cells = this.cells;
    cells.reset();
    if (this.tape !== null && this.tape.scan(b)) return true;
    cells.reset();
    const tokens = this.tokens;
    tokens.line(b);
    this.fieldSlotBase = 0;
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
      const key = tokens.key(b, i, this.topSlots, slot, this.keys.top);
      if (key === null || key.seenAt === this.line) return false;
      key.seenAt = this.line;
      i = skipSpace(b, tokens.pos);
      if (b[i] !== COLON) return false;
      i = skipSpace(b, i + 1);
      switch (key.kind) {
        case KeyKind.Instruction:
        case KeyKind.Input:
        case KeyKind.Output: {
          const text = b[i] === QUOTE ? tokens.string(b, i) : null;
          if (text === null) return false;
          if (key.kind === KeyKind.Instruction) instruction = text;
          else if (key.kind === KeyKind.Input) input = text;
          else output = text;
          i = tokens.pos;
          break;
        }
        case KeyKind.Loss:
          loss = tokens.scalar(b, i);
          if (tokens.pos < 0) return false;
          i = tokens.pos;
          break;
        case KeyKind.Matrix: {
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
    if (i !== b.length || cells.matrices.length === 0) return false;
    cells.store(maxLayer, loss, instruction, input, output, extra);
    return true;
  }

  /** Reads `{"stat": value, …}` of one matrix into cells; false on anything but numbers, the bare tokens, null and an S_list of numbers. */
  private matrix(b: Uint8Array, start: number, matrix: MatrixKey): boolean {
    const tokens = this.tokens;
    this.cells.matrices.push(matrix);
    const stamp = ++this.matrixStamp;
    let i = skipSpace(b, start + 1);
    if (b[i] === RBRACE) {
      tokens.pos = i + 1;
      return true;
    }
    let present = 0;
    let sList: number[] | null = null;
    for (let slot = this.fieldSlotBase; ; slot++) {
      const field = tokens.key(b, i, this.fieldSlots, slot, this.keys.field);
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
        this.cells.add(matrix, field, value, -1);
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
        if ((present & (1 << k)) === 0) this.cells.add(matrix, this.keys.derivedFields[k], derived[FROM_S_LIST[k]], -1);
      }
    }
    return true;
  }

}
