/**
 * The reader's accelerator: a JSONL line tokenized by the WebAssembly kernel (tape.ts),
 * its tape mapped to the run's columns. The first line of each shape is walked entry
 * by entry into RowCells and stored by the plain path's RecordStore, which leaves the
 * ids for a plan (which entry goes to which column and layer); the lines after it with
 * the same keys, kinds and counts (every line of a release file) are stored by the plan:
 * the kernel scatters their numbers into a batch laid out by column, written to the
 * columns a batch at a time. Whatever it cannot read as the plain path would, it leaves
 * to the plain path, storing nothing.
 */
import type { RowGroup } from '../columns.ts';
import { parsePythonJson } from '../jsonl.ts';
import { type Accelerator, FOLLOWUP_BLOCKS, type MatrixKey, type RecordStore, RowCells } from '../records.ts';
import { BASE_STATS } from '../run.ts';
import { FROM_S_LIST, summarizeSingularValues } from '../singularValues.ts';
import { ENTRY_WORDS, SHAPE_ENTRIES, Tape, TapeKind } from './tape.ts';

const enum KeyKind {
  Instruction,
  Input,
  Output,
  Loss,
  Matrix,
  /** A follow-up block (`cosine_sim`, `cosine_sim_qkvo`): kept as columns when it is an object. */
  Block,
  Other,
}

/** A top-level key: what it holds, and its text as an extra field's member starts (`"name": `). */
interface TopKey {
  name: string;
  kind: KeyKind;
  matrix: MatrixKey | null;
  prefix: Uint8Array;
}

/** A matrix's field name: the statistic, and its bit among the stats S_list yields (0 for others). */
interface FieldKey {
  name: string;
  derived: number;
}

/** An S_list of the line: its matrix, tape entry and member count, and the cells it yields (the stats the matrix does not give). */
interface ListCells {
  matrix: MatrixKey;
  entry: number;
  count: number;
  firstCell: number;
  cells: number;
}

/** A plan's S_list: its matrix and tape entry, and per FROM_S_LIST stat its output slot in batch row 0 (−1: given by the record). */
interface PlanList {
  matrix: MatrixKey;
  entry: number;
  count: number;
  slots: Int32Array;
}

/** How to store a line of a known shape. Column c's values for batch row r, layer l, go to output slot (c × rows + r) × width + l. */
interface LinePlan {
  group: RowGroup;
  /** The line's entries that are no matrix. */
  fields: number[];
  /** The columns written, as (module, statistic) ids. */
  modules: number[];
  stats: number[];
  rows: number;
  /** Per number, in line order (for lines with numbers converted in JavaScript): tape entry and output slot in batch row 0. */
  entries: Int32Array;
  slots: Int32Array;
  lists: PlanList[];
}

const BASE = new Set<string>(BASE_STATS);
const NO_IDS = new Int32Array(0);
const QUOTE = 0x22;
const LBRACE = 0x7b;
const BACKSLASH = 0x5c;
const encoder = new TextEncoder();

/** Reads lines through the kernel into a RecordStore. */
export class TapeAccelerator implements Accelerator {
  private readonly topById: (TopKey | undefined)[] = [];
  private readonly fieldById: (FieldKey | undefined)[] = [];
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  private readonly cells = new RowCells();
  private readonly fields: number[] = [];
  private readonly lists: ListCells[] = [];
  private plan: LinePlan | null = null;
  /** Rows stored by the plan whose values wait in the kernel's output slots: the first one and how many. */
  private batchFirst = 0;
  private batchRows = 0;
  private line: Uint8Array = new Uint8Array(0);
  private loss = NaN;

  private constructor(
    private readonly tape: Tape,
    private readonly store: RecordStore,
  ) {}

  /** An accelerator for one file, or null where WebAssembly is unavailable. */
  static create(store: RecordStore): TapeAccelerator | null {
    const tape = Tape.create();
    return tape === null ? null : new TapeAccelerator(tape, store);
  }

  tryStore(line: Uint8Array, lineNumber: number): boolean | string {
    const tape = this.tape;
    const count = tape.tokenize(line);
    if (count < 0) return false;
    this.line = line;
    const plan = this.plan;
    if (plan !== null && tape.sameShape() && !plan.group.evicted) {
      const stored = this.byPlan(plan, count, lineNumber);
      if (stored !== true) this.flush();
      return stored;
    }
    this.flush();
    this.plan = null;
    return this.walk(count, lineNumber);
  }

  lineEnds(chunk: Uint8Array): Int32Array | null {
    return this.tape.lineEnds(chunk);
  }

  /** Writes the batch's rows to the columns and clears the output slots. */
  flush(): void {
    const plan = this.plan;
    if (plan === null || this.batchRows === 0) return;
    const group = plan.group;
    const out = this.tape.values;
    const block = plan.rows * group.width;
    const used = this.batchRows * group.width;
    for (let c = 0; c < plan.modules.length; c++) {
      const from = this.tape.outBase + c * block;
      (group.column(plan.modules[c], plan.stats[c]) as Float64Array).set(out.subarray(from, from + used), this.batchFirst * group.width);
      out.fill(NaN, from, from + used);
    }
    this.batchRows = 0;
  }

  release(): void {
    this.flush();
    this.plan = null;
    this.tape.release();
  }

  private entry(e: number, word: number): number {
    return this.tape.ints[this.tape.intBase + ENTRY_WORDS * e + word];
  }

  /** The value of a number entry (slow ones converted from their text). */
  private number(e: number): number {
    const tape = this.tape;
    if (this.entry(e, 1) === TapeKind.Number) return tape.values[tape.valueBase + e];
    return Number(this.decoder.decode(this.line.subarray(this.entry(e, 2), this.entry(e, 3))));
  }

  /** The members of an array entry as numbers (a view of the kernel's memory when none is slow). */
  private list(e: number, count: number): ArrayLike<number> {
    const tape = this.tape;
    if (tape.slowNumbers() === 0) return tape.values.subarray(tape.valueBase + e + 1, tape.valueBase + e + 1 + count);
    return Float64Array.from({ length: count }, (_, k) => this.number(e + 1 + k));
  }

  /** Reads a line entry by entry into the cells and stores it through the plain path's store (true, or the store's reason); leaves the plan for its shape. */
  private walk(count: number, lineNumber: number): boolean | string {
    const cells = this.cells;
    const fields = this.fields;
    const lists = this.lists;
    cells.reset();
    fields.length = 0;
    lists.length = 0;
    for (let e = 0; e < count; e++) {
      const key = this.topKey(this.entry(e, 0));
      const kind = this.entry(e, 1);
      const members = this.entry(e, 4);
      if (key.kind === KeyKind.Matrix && kind === TapeKind.Object) {
        this.matrix(key.matrix as MatrixKey, e, members);
        e += members;
        continue;
      }
      // A matrix record the kernel could not read flat (nested, strings, booleans): the plain path reads it.
      if (key.kind === KeyKind.Matrix && (kind === TapeKind.Raw || kind === TapeKind.RawUnicode) && this.line[this.entry(e, 2)] === LBRACE) return false;
      fields.push(e);
      if (kind === TapeKind.Object) {
        // An extra field holding arrays (token_norms: a position's cₜ per matrix) is kept as
        // text: the kernel need not convert its numbers, and the lines' shapes, which count
        // array members, then repeat though each sample has its own length.
        if (key.kind === KeyKind.Other && this.holdsArray(e, members)) this.tape.keepAsText(this.entry(e, 0));
        e += members;
      }
    }
    this.readFields(fields);
    cells.loss = this.loss;
    const group = this.store.store(cells, lineNumber);
    if (typeof group === 'string') return group;
    this.writeFollowup(group, group.rows - 1, lineNumber, fields, lists);
    this.writeTexts(group, fields);
    this.plan = count <= SHAPE_ENTRIES ? this.makePlan(group, count) : null;
    return true;
  }

  /** True when the object at entry `e` (with `members` entries after it) has an array member. */
  private holdsArray(e: number, members: number): boolean {
    for (let k = e + 1; k <= e + members; k++) if (this.entry(k, 1) === TapeKind.Array) return true;
    return false;
  }

  /** Reads the matrix whose object is entry `e` (with `members` entries after it) into the cells, as the plain path reads its fields. */
  private matrix(matrix: MatrixKey, e: number, members: number): void {
    const cells = this.cells;
    cells.matrices.push(matrix);
    let given = 0;
    let list = -1;
    for (const last = e + members; e < last; ) {
      e++;
      const field = this.fieldKey(this.entry(e, 0));
      given |= field.derived;
      if (this.entry(e, 1) !== TapeKind.Array) {
        cells.add(matrix, field.name, this.number(e), e);
        continue;
      }
      if (field.name === 'S_list') list = e;
      else if (BASE.has(field.name)) cells.add(matrix, field.name, NaN);
      e += this.entry(e, 4);
    }
    if (list < 0) return;
    const count = this.entry(list, 4);
    const firstCell = cells.count;
    cells.addSingularValues(matrix, this.list(list, count), (stat) => (given & (1 << FROM_S_LIST.indexOf(stat as (typeof FROM_S_LIST)[number]))) !== 0);
    this.lists.push({ matrix, entry: list, count, firstCell, cells: cells.count - firstCell });
  }

  /** The loss from the line's non-matrix entries (the text fields are read when written). */
  private readFields(fields: readonly number[]): void {
    this.loss = NaN;
    for (let f = 0; f < fields.length; f++) {
      const e = fields[f];
      const kind = this.entry(e, 1);
      if (this.topKey(this.entry(e, 0)).kind === KeyKind.Loss && (kind === TapeKind.Number || kind === TapeKind.SlowNumber)) this.loss = this.number(e);
    }
  }

  /** Writes the sample's four texts: instruction, input, output, and the other fields' JSON, as the plain path does. */
  private writeTexts(group: RowGroup, fields: readonly number[]): void {
    const texts = group.texts;
    const line = this.line;
    const at: number[] = [-1, -1, -1];
    let extra = false;
    for (let f = 0; f < fields.length; f++) {
      const e = fields[f];
      const key = this.topKey(this.entry(e, 0));
      const kind = this.entry(e, 1);
      const isString = kind === TapeKind.String || kind === TapeKind.StringEscaped;
      if (key.kind <= KeyKind.Output && isString) at[key.kind] = e;
      else if (!(key.kind === KeyKind.Loss && (kind === TapeKind.Number || kind === TapeKind.SlowNumber)) && !this.isBlock(e)) extra = true;
    }
    for (let k = 0; k < 3; k++) {
      const e = at[k];
      if (e >= 0) {
        const start = this.entry(e, 2);
        const end = this.entry(e, 3);
        if (this.entry(e, 1) === TapeKind.String) texts.appendBytes(line.subarray(start + 1, end - 1));
        else texts.append(this.stringValue(start, end));
      }
      texts.end();
    }
    if (extra) {
      texts.append('{');
      let first = true;
      for (let f = 0; f < fields.length; f++) {
        const e = fields[f];
        const key = this.topKey(this.entry(e, 0));
        const kind = this.entry(e, 1);
        if (key.kind <= KeyKind.Output && (kind === TapeKind.String || kind === TapeKind.StringEscaped)) continue;
        if (key.kind === KeyKind.Loss && (kind === TapeKind.Number || kind === TapeKind.SlowNumber)) continue;
        if (this.isBlock(e)) continue;
        if (!first) texts.append(', ');
        first = false;
        texts.appendBytes(key.prefix);
        const value = line.subarray(this.entry(e, 2), this.entry(e, 3));
        if (kind === TapeKind.StringEscaped || kind === TapeKind.RawUnicode) texts.append(this.decoder.decode(value));
        else texts.appendBytes(value);
      }
      texts.append('}');
    }
    texts.end();
  }

  /** True when entry `e` is a follow-up block holding an object (kept as columns, not as an extra field). */
  private isBlock(e: number): boolean {
    return this.topKey(this.entry(e, 0)).kind === KeyKind.Block && this.line[this.entry(e, 2)] === LBRACE;
  }

  /** Hands the row's S_lists and follow-up blocks to the group's follow-up columns, as the plain path does (the blocks parsed by its parser). */
  private writeFollowup(group: RowGroup, row: number, lineNumber: number, fields: readonly number[], lists: readonly { matrix: MatrixKey; entry: number; count: number }[]): void {
    let followup = null;
    for (const list of lists) (followup ??= this.store.followupRows(group)).addSpectrum(row, lineNumber, list.matrix.module, list.matrix.layer, this.list(list.entry, list.count));
    for (let f = 0; f < fields.length; f++) {
      const e = fields[f];
      if (!this.isBlock(e)) continue;
      const text = this.decoder.decode(this.line.subarray(this.entry(e, 2), this.entry(e, 3)));
      (followup ??= this.store.followupRows(group)).addBlock(row, lineNumber, this.topKey(this.entry(e, 0)).name, parsePythonJson(text));
    }
  }

  /** The value of a string whose quotes are at start and end − 1, escapes resolved. */
  private stringValue(start: number, end: number): string {
    const quoted = this.decoder.decode(this.line.subarray(start, end));
    return quoted.includes(String.fromCharCode(BACKSLASH)) ? (JSON.parse(quoted) as string) : quoted.slice(1, -1);
  }

  /** Stores a line with the shape of the last one through its plan (its values wait in the batch); the store's reason when it refuses the row. */
  private byPlan(plan: LinePlan, count: number, lineNumber: number): true | string {
    const group = plan.group;
    const columns = this.store.columns;
    const refused = columns.reserve(group, NO_IDS, NO_IDS);
    if (refused !== null) return refused;
    if (this.batchRows === plan.rows) this.flush();
    this.readFields(plan.fields);
    const row = columns.beginRow(group, lineNumber, this.loss);
    if (this.batchRows === 0) this.batchFirst = row;
    const offset = this.batchRows++ * group.width;
    const tape = this.tape;
    tape.scatter(count, offset);
    const out = tape.values;
    const at = tape.outBase + offset;
    if (tape.slowNumbers() > 0) {
      // Some numbers are converted here: write every value again, in line order (a repeated cell keeps the last).
      for (let k = 0; k < plan.entries.length; k++) out[at + plan.slots[k]] = this.number(plan.entries[k]);
    }
    for (const list of plan.lists) {
      const derived = summarizeSingularValues(this.list(list.entry, list.count));
      for (let k = 0; k < FROM_S_LIST.length; k++) if (list.slots[k] >= 0) out[at + list.slots[k]] = derived[FROM_S_LIST[k]];
    }
    this.writeFollowup(group, row, lineNumber, plan.fields, plan.lists);
    this.writeTexts(group, plan.fields);
    return true;
  }

  /**
   * The plan of the line just stored (its cells' column ids are the store's last ones),
   * and its scatter map in the kernel; null when a batch row does not fit the output
   * slots, or two cells of the line share a slot.
   */
  private makePlan(group: RowGroup, count: number): LinePlan | null {
    const cells = this.cells;
    const n = cells.count;
    const width = group.width;
    const { moduleIds, statIds } = this.store;
    const modules: number[] = [];
    const stats: number[] = [];
    const columnOf = new Map<number, number>();
    const cellColumns = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      const pair = moduleIds[k] * 65536 + statIds[k];
      let c = columnOf.get(pair);
      if (c === undefined) {
        c = modules.length;
        columnOf.set(pair, c);
        modules.push(moduleIds[k]);
        stats.push(statIds[k]);
      }
      cellColumns[k] = c;
    }
    const tape = this.tape;
    const rows = Math.floor(tape.outSlots / Math.max(1, modules.length * width));
    if (rows < 1) return null;
    const slotOf = Int32Array.from(cellColumns, (c, k) => c * rows * width + cells.cellMatrix[k].layer);
    if (new Set(slotOf).size !== n) return null;
    const numbered: number[] = [];
    for (let k = 0; k < n; k++) if (cells.cellEntry[k] >= 0) numbered.push(k);
    const entries = Int32Array.from(numbered, (k) => cells.cellEntry[k]);
    const slots = Int32Array.from(numbered, (k) => slotOf[k]);
    const lists = this.lists.map((list) => {
      const listSlots = new Int32Array(FROM_S_LIST.length).fill(-1);
      for (let k = list.firstCell; k < list.firstCell + list.cells; k++) listSlots[FROM_S_LIST.indexOf(cells.cellStat[k] as (typeof FROM_S_LIST)[number])] = slotOf[k];
      return { matrix: list.matrix, entry: list.entry, count: list.count, slots: listSlots };
    });
    const map = tape.ints;
    map.fill(-1, tape.scatterBase, tape.scatterBase + count);
    for (let k = 0; k < entries.length; k++) map[tape.scatterBase + entries[k]] = slots[k];
    return { group, fields: this.fields.slice(), modules, stats, rows, entries, slots, lists };
  }

  private topKey(id: number): TopKey {
    let key = this.topById[id];
    if (key === undefined) {
      const name = this.tape.key(id);
      const matrix = this.store.matrixKey(name);
      const kind =
        name === 'instruction'
          ? KeyKind.Instruction
          : name === 'input'
            ? KeyKind.Input
            : name === 'output'
              ? KeyKind.Output
              : name === 'loss'
                ? KeyKind.Loss
                : matrix !== null
                  ? KeyKind.Matrix
                  : FOLLOWUP_BLOCKS.has(name)
                    ? KeyKind.Block
                    : KeyKind.Other;
      key = this.topById[id] = { name, kind, matrix, prefix: encoder.encode(`${String.fromCharCode(QUOTE)}${name}": `) };
    }
    return key;
  }

  private fieldKey(id: number): FieldKey {
    let key = this.fieldById[id];
    if (key === undefined) {
      const name = this.tape.key(id);
      const k = (FROM_S_LIST as readonly string[]).indexOf(name);
      key = this.fieldById[id] = { name, derived: k < 0 ? 0 : 1 << k };
    }
    return key;
  }
}
