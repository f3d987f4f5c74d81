/**
 * The fastest path of the reader: a line tokenized by the WebAssembly kernel
 * (lineTape.ts), its tape mapped to the run's columns. The first line of each shape is
 * walked entry by entry and leaves a plan (which entry goes to which column and layer);
 * the following lines with the same keys in the same order, which is every line of a
 * release file, have their values scattered by the kernel into a batch laid out by
 * column, written to the columns a batch at a time (flush(): before any other path stores
 * a row, and at the end of the file). A line the kernel or the walk leaves alone stores
 * nothing and returns false (the JavaScript scanner reads it).
 */
import { parsePythonJson } from './jsonl.ts';
import type { LineCells } from './lineCells.ts';
import { ENTRY_WORDS, LineTape, SHAPE_ENTRIES, TapeKind } from './lineTape.ts';
import { TapeLineSplitter } from './tapeLines.ts';
import { KeyKind, type FieldKey, type RecordKeys, type TopKey } from './recordKeys.ts';
import type { MatrixKey, RecordSink } from './recordSink.ts';

/** What a line says besides its matrices. */
interface Sample {
  instruction: string;
  input: string;
  output: string;
  extra: Record<string, unknown> | undefined;
  loss: number;
}

/** A top-level entry other than a matrix: a text field, the loss, or a value kept in `extra`. */
interface PlanField {
  entry: number;
  key: TopKey;
}

/**
 * How to store a line of a known shape. The kernel's scatter map sends each value to an
 * output slot: column c's values for batch row r, layer l, at (c × rows + r) × stride + l,
 * so a batch of lines is stored by one `set` per column.
 */
interface LinePlan {
  maxLayer: number;
  fields: PlanField[];
  /** The columns written, as (module, statistic) ids. */
  modules: number[];
  stats: number[];
  /** The columns' row length the plan was made for, and the rows an output batch holds. */
  stride: number;
  rows: number;
  /** Per value, in line order (for lines with numbers converted in JavaScript): tape entry and output slot in batch row 0. */
  entries: Int32Array;
  slots: Int32Array;
}

/** Reads lines through the WebAssembly tape into the shared LineCells, or straight into the columns by plan. */
export class TapeScanner {
  private readonly topById: (TopKey | null | undefined)[] = [];
  private readonly fieldById: (FieldKey | null | undefined)[] = [];
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  /** The plan of the last line stored; lines stored by it wait in the kernel's output slots (their first row and count below) until flush(). */
  private plan: LinePlan | null = null;
  private batchFirst = 0;
  private batchRows = 0;
  /** The current line's top-level entries that are not matrices (filled by the walk). */
  private readonly fields: PlanField[] = [];

  private constructor(
    private readonly tape: LineTape,
    private readonly keys: RecordKeys,
    private readonly cells: LineCells,
    private readonly sink: RecordSink,
  ) {}

  /** A scanner, or null where WebAssembly is unavailable. */
  static create(keys: RecordKeys, cells: LineCells, sink: RecordSink): TapeScanner | null {
    const tape = LineTape.create();
    return tape === null ? null : new TapeScanner(tape, keys, cells, sink);
  }

  /** Reads one line; true when it was stored, false (nothing stored) when it must take another path. */
  scan(b: Uint8Array): boolean {
    const tape = this.tape;
    const count = tape.tokenize(b);
    const plan = this.plan;
    if (count >= 0 && plan !== null && tape.sameShape() && plan.stride === this.sink.columns.rowLength) {
      if (this.byPlan(b, plan, count)) return true;
      // A text, loss or extra value the general path reads otherwise: the walk would refuse it too.
      this.flush();
      this.plan = null;
      return false;
    }
    // Any other way of storing the line comes after the rows waiting in the batch.
    this.flush();
    if (count < 0) return false;
    const stored = this.walk(b, count);
    if (!stored) this.plan = null;
    return stored;
  }

  /** The value of a number entry (slow ones converted from their text). */
  private number(b: Uint8Array, e: number): number {
    const tape = this.tape;
    const at = tape.intBase + ENTRY_WORDS * e;
    if (tape.ints[at + 1] === TapeKind.Number) return tape.values[tape.valueBase + e];
    return Number(this.decoder.decode(b.subarray(tape.ints[at + 2], tape.ints[at + 3])));
  }

  /**
   * The sample's text fields, loss and extra values from the line's non-matrix entries;
   * null when one is not what the general path would keep (this path then gives up).
   */
  private sample(b: Uint8Array, fields: readonly PlanField[]): Sample | null {
    const tape = this.tape;
    const ints = tape.ints;
    const sample: Sample = { instruction: '', input: '', output: '', extra: undefined, loss: NaN };
    // Indexed, not for…of: this runs for every line, mostly before it is optimized.
    for (let f = 0; f < fields.length; f++) {
      const entry = fields[f].entry;
      const key = fields[f].key;
      const at = tape.intBase + ENTRY_WORDS * entry;
      const kind = ints[at + 1];
      const start = ints[at + 2];
      const end = ints[at + 3];
      if (key.kind === KeyKind.Loss) {
        if (kind !== TapeKind.Number && kind !== TapeKind.SlowNumber) return null;
        sample.loss = this.number(b, entry);
        continue;
      }
      let value: unknown;
      if (kind === TapeKind.String) value = this.decoder.decode(b.subarray(start + 1, end - 1));
      else {
        try {
          value = parsePythonJson(this.decoder.decode(b.subarray(start, end)));
        } catch {
          return null;
        }
      }
      if (key.kind === KeyKind.Other) {
        sample.extra ??= Object.create(null) as Record<string, unknown>;
        sample.extra[key.name] = value;
      } else if (typeof value !== 'string') return null;
      else if (key.kind === KeyKind.Instruction) sample.instruction = value;
      else if (key.kind === KeyKind.Input) sample.input = value;
      else sample.output = value;
    }
    return sample;
  }

  /** Reads a line entry by entry into the cells, stores it, and leaves the plan for its shape. */
  private walk(b: Uint8Array, count: number): boolean {
    const tape = this.tape;
    const ints = tape.ints;
    const base = tape.intBase;
    const cells = this.cells;
    const fields = this.fields;
    fields.length = 0;
    let maxLayer = -1;
    for (let e = 0; e < count; e++) {
      const at = base + ENTRY_WORDS * e;
      const id = ints[at];
      const key = this.topById[id] ?? this.topKey(id);
      if (key === null) return false;
      const kind = ints[at + 1];
      if (key.kind !== KeyKind.Matrix) {
        fields.push({ entry: e, key });
        if (kind === TapeKind.Object) e += ints[at + 4];
        continue;
      }
      if (kind !== TapeKind.Object) return false;
      const matrix = key.matrix as MatrixKey;
      cells.matrices.push(matrix);
      if (matrix.layer > maxLayer) maxLayer = matrix.layer;
      for (const last = e + ints[at + 4]; e < last; ) {
        e++;
        const fid = ints[base + ENTRY_WORDS * e];
        const field = this.fieldById[fid] ?? this.fieldKey(fid);
        if (field === null) return false;
        cells.add(matrix, field, this.number(b, e), e);
      }
    }
    if (cells.matrices.length === 0) return false;
    const read = this.sample(b, fields);
    if (read === null) return false;
    cells.store(maxLayer, read.loss, read.instruction, read.input, read.output, read.extra);
    this.plan = count <= SHAPE_ENTRIES ? this.makePlan(maxLayer, fields.slice(), count) : null;
    return true;
  }

  /** Stores a line with the shape of the last one through its plan (its values wait in the batch); false, storing nothing, when it cannot. */
  private byPlan(b: Uint8Array, plan: LinePlan, count: number): boolean {
    const read = this.sample(b, plan.fields);
    if (read === null) return false;
    if (this.batchRows === plan.rows) this.flush();
    const tape = this.tape;
    const columns = this.sink.columns;
    columns.beginSample(plan.maxLayer);
    columns.setLoss(read.loss);
    if (this.batchRows === 0) this.batchFirst = columns.sampleCount - 1;
    const offset = this.batchRows++ * plan.stride;
    tape.scatter(count, offset);
    if (tape.slowNumbers() > 0) {
      // Some numbers are converted here: write every value again, in line order (a repeated cell keeps the last).
      const out = tape.values;
      const at = tape.outBase + offset;
      for (let k = 0; k < plan.entries.length; k++) out[at + plan.slots[k]] = this.number(b, plan.entries[k]);
    }
    this.sink.addTexts(read.instruction, read.input, read.output, read.extra);
    return true;
  }

  /** Writes the batch's rows to the columns and clears the output slots. Call before anything else stores a row, and before the plan changes. */
  flush(): void {
    const plan = this.plan;
    if (plan === null || this.batchRows === 0) return;
    const columns = this.sink.columns;
    const out = this.tape.values;
    const block = plan.rows * plan.stride;
    const used = this.batchRows * plan.stride;
    for (let c = 0; c < plan.modules.length; c++) {
      const from = this.tape.outBase + c * block;
      columns.column(plan.modules[c], plan.stats[c]).set(out.subarray(from, from + used), this.batchFirst * plan.stride);
      out.fill(NaN, from, from + used);
    }
    this.batchRows = 0;
  }

  /**
   * The plan of the line just stored from the cells (all registered now), and its scatter
   * map in the kernel; null when a batch row of its columns does not fit the output slots.
   */
  private makePlan(maxLayer: number, fields: PlanField[], count: number): LinePlan | null {
    const cells = this.cells;
    const n = cells.count;
    const stride = this.sink.columns.rowLength;
    const modules: number[] = [];
    const stats: number[] = [];
    const columnOf = new Map<number, number>();
    const cellColumns = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      const moduleId = cells.cellMatrix[k].moduleId;
      const stat = cells.cellField[k].statId;
      const key = moduleId * 65536 + stat;
      let c = columnOf.get(key);
      if (c === undefined) {
        c = modules.length;
        columnOf.set(key, c);
        modules.push(moduleId);
        stats.push(stat);
      }
      cellColumns[k] = c;
    }
    const tape = this.tape;
    const rows = Math.floor(tape.outSlots / (modules.length * stride));
    if (rows < 1) return null;
    const entries = cells.cellEntry.slice(0, n);
    const slots = Int32Array.from(cellColumns, (c, k) => c * rows * stride + cells.cellMatrix[k].layer);
    const map = tape.ints;
    map.fill(-1, tape.scatterBase, tape.scatterBase + count);
    for (let k = 0; k < n; k++) map[tape.scatterBase + entries[k]] = slots[k];
    tape.values.fill(NaN, tape.outBase, tape.outBase + modules.length * rows * stride);
    return { maxLayer, fields, modules, stats, stride, rows, entries, slots };
  }

  /** Writes the batch and gives the WebAssembly instance back for the next file; the scanner must not be used after. */
  release(): void {
    this.flush();
    this.tape.release();
  }

  /** A splitter that puts a file's lines where the kernel reads them without copying. */
  lineSplitter(): TapeLineSplitter {
    return new TapeLineSplitter(this.tape);
  }

  private topKey(id: number): TopKey | null {
    const { name, bytes } = this.tape.key(id);
    return (this.topById[id] = this.keys.top(name, bytes));
  }

  private fieldKey(id: number): FieldKey | null {
    const { name, bytes } = this.tape.key(id);
    return (this.fieldById[id] = this.keys.field(name, bytes));
  }
}
