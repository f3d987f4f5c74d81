/**
 * The fastest path of the reader: a line tokenized by the WebAssembly kernel
 * (lineTape.ts), its tape mapped to the run's columns. The first line of each shape is
 * walked entry by entry and leaves a plan (which entry goes to which column and layer);
 * the following lines with the same keys in the same order, which is every line of a
 * release file, are stored through the plan in one loop. A line the kernel or the walk
 * leaves alone stores nothing and returns false (the JavaScript scanner reads it).
 */
import { parsePythonJson } from './jsonl.ts';
import type { LineCells } from './lineCells.ts';
import { ENTRY_WORDS, LineTape, TapeKind } from './lineTape.ts';
import { KeyKind, type FieldKey, type RecordKeys, type TopKey } from './recordKeys.ts';
import type { MatrixKey, RecordSink } from './recordSink.ts';
import type { SampleText } from './run.ts';

/** A top-level entry other than a matrix: a text field, the loss, or a value kept in `extra`. */
interface PlanField {
  entry: number;
  key: TopKey;
}

/** How to store a line of a known shape. */
interface LinePlan {
  maxLayer: number;
  fields: PlanField[];
  /** Per value: its tape entry, column (valid for `generation`) and layer. */
  entries: Int32Array;
  modules: Int32Array;
  stats: Int32Array;
  layers: Int32Array;
  targets: Float64Array[];
  generation: number;
}

/** Reads lines through the WebAssembly tape into the shared LineCells, or straight into the columns by plan. */
export class TapeScanner {
  private readonly topById: (TopKey | null | undefined)[] = [];
  private readonly fieldById: (FieldKey | null | undefined)[] = [];
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  private plan: LinePlan | null = null;
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
    if (count < 0) return false;
    const stored = this.plan !== null && tape.sameShape() ? this.byPlan(b, this.plan) : this.walk(b, count);
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
  private sample(b: Uint8Array, fields: readonly PlanField[]): { sample: SampleText; loss: number } | null {
    const tape = this.tape;
    const ints = tape.ints;
    const sample: SampleText = { instruction: '', input: '', output: '' };
    let loss = NaN;
    for (const { entry, key } of fields) {
      const at = tape.intBase + ENTRY_WORDS * entry;
      const kind = ints[at + 1];
      const start = ints[at + 2];
      const end = ints[at + 3];
      if (key.kind === KeyKind.Loss) {
        if (kind !== TapeKind.Number && kind !== TapeKind.SlowNumber) return null;
        loss = this.number(b, entry);
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
    return { sample, loss };
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
    cells.store(maxLayer, read.loss, read.sample);
    this.plan = this.makePlan(maxLayer, fields.slice());
    return true;
  }

  /** Stores a line with the shape of the last one through its plan. */
  private byPlan(b: Uint8Array, plan: LinePlan): boolean {
    const read = this.sample(b, plan.fields);
    if (read === null) return false;
    const tape = this.tape;
    const columns = this.sink.columns;
    columns.beginSample(plan.maxLayer);
    columns.setLoss(read.loss);
    if (plan.generation !== columns.generation) {
      for (let k = 0; k < plan.targets.length; k++) plan.targets[k] = columns.column(plan.modules[k], plan.stats[k]);
      plan.generation = columns.generation;
    }
    const { entries, layers, targets } = plan;
    const values = tape.values;
    const valueBase = tape.valueBase;
    const row = columns.rowStart;
    const n = entries.length;
    for (let k = 0; k < n; k++) targets[k][row + layers[k]] = values[valueBase + entries[k]];
    if (tape.slowNumbers() > 0) {
      for (let k = 0; k < n; k++) targets[k][row + layers[k]] = this.number(b, entries[k]);
    }
    this.sink.samples.push(read.sample);
    return true;
  }

  /** The plan of the line just stored from the cells. */
  private makePlan(maxLayer: number, fields: PlanField[]): LinePlan {
    const cells = this.cells;
    const n = cells.count;
    const columns = this.sink.columns;
    const plan: LinePlan = {
      maxLayer,
      fields,
      entries: cells.cellEntry.slice(0, n),
      modules: new Int32Array(n),
      stats: new Int32Array(n),
      layers: new Int32Array(n),
      targets: [],
      generation: columns.generation,
    };
    for (let k = 0; k < n; k++) {
      const matrix = cells.cellMatrix[k];
      plan.modules[k] = matrix.moduleId;
      plan.stats[k] = cells.cellField[k].statId;
      plan.layers[k] = matrix.layer;
      plan.targets.push(columns.column(matrix.moduleId, plan.stats[k]));
    }
    return plan;
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
