/**
 * Records → rows: the plain path's reading of one parsed Layer_Gradient record, and the
 * one way any path stores a row. A top-level key naming a parameter with a layer index
 * holds a gradient matrix whose numeric fields become the row's cells (`S_list` yields
 * S_sum / S_max / S_min / effective_rank where the record does not give them); the text
 * fields and the loss are kept per sample; every other top-level member is kept as its
 * JSON text in the sample's extra fields. The accelerator fills the same RowCells and
 * stores through the same `store`, so both paths make the same run.
 */
import { type RowGroup, RunColumns } from './columns.ts';
import { COSINE_SIM, COSINE_SIM_QKVO, FollowupBudget, FollowupRows } from './followup.ts';
import { memberExtents } from './jsonScanner.ts';
import { beyondLimit, type ReadLimits } from './limits.ts';
import { parseParamName } from './paramName.ts';
import { BASE_STATS, type ModuleKey, type StatName } from './run.ts';
import { FROM_S_LIST, summarizeSingularValues } from './singularValues.ts';

/** What a parameter name says: its layer and module. */
export interface MatrixKey {
  readonly name: string;
  readonly layer: number;
  readonly module: ModuleKey;
}

const TEXT_FIELDS = new Set(['instruction', 'input', 'output']);
/** The follow-up's top-level blocks: kept as columns (followup.ts) when they are objects. */
export const FOLLOWUP_BLOCKS: ReadonlySet<string> = new Set([COSINE_SIM, COSINE_SIM_QKVO]);
const BASE = new Set<string>(BASE_STATS);
const KEY_CACHE_LIMIT = 65536;

/** The cells of one record before it is stored: its matrices, (matrix, statistic, value) triples and loss. */
export class RowCells {
  readonly matrices: MatrixKey[] = [];
  readonly cellMatrix: MatrixKey[] = [];
  readonly cellStat: StatName[] = [];
  cellValue = new Float64Array(1024);
  /** Where each value came from, for the accelerator (its tape entry; −1 otherwise). */
  cellEntry = new Int32Array(1024);
  count = 0;
  loss = NaN;

  /** Forgets the record read so far. */
  reset(): void {
    this.matrices.length = 0;
    this.count = 0;
    this.loss = NaN;
  }

  /** Holds one value. */
  add(matrix: MatrixKey, stat: StatName, value: number, entry = -1): void {
    const c = this.count++;
    if (c === this.cellValue.length) {
      const values = new Float64Array(c * 2);
      values.set(this.cellValue);
      this.cellValue = values;
      const entries = new Int32Array(c * 2);
      entries.set(this.cellEntry);
      this.cellEntry = entries;
    }
    this.cellMatrix[c] = matrix;
    this.cellStat[c] = stat;
    this.cellValue[c] = value;
    this.cellEntry[c] = entry;
  }

  /** Adds the S_list statistics of `matrix` not among `given` (the fields its record has). */
  addSingularValues(matrix: MatrixKey, list: ArrayLike<unknown>, given: (stat: string) => boolean): void {
    const derived = summarizeSingularValues(list);
    for (const stat of FROM_S_LIST) if (!given(stat)) this.add(matrix, stat, derived[stat]);
  }
}

/**
 * A faster reader of JSONL lines that stores into a RecordStore exactly what the plain
 * path would: optional, the plain path reads every line it leaves alone.
 */
export interface Accelerator {
  /**
   * Reads the record on this line (no terminator): true when it was stored, a reason
   * when it was read but refused (as the plain path would refuse it), false (nothing
   * stored) when the plain path must read it.
   */
  tryStore(line: Uint8Array, lineNumber: number): boolean | string;
  /** The offsets of the LFs in a chunk of the file, ascending, when it finds them faster than the plain path; null to leave it the chunk. */
  lineEnds(chunk: Uint8Array): ArrayLike<number> | null;
  /** Writes what it holds back; called before the plain path stores a record, and before the store is read. */
  flush(): void;
  /** Ends the file: flushes, and gives its resources back (it is not used after). */
  release(): void;
}

type Fields = Record<string, unknown>;

function isPlainObject(value: unknown): value is Fields {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Collects one file's records as rows of a RunColumns. */
export class RecordStore {
  readonly columns: RunColumns;
  /** The follow-up columns' budget and problems, shared by the file's groups. */
  readonly followup: FollowupBudget;
  /** The ids of the last row stored, cell by cell (for the accelerator's plans). */
  moduleIds = new Int32Array(1024);
  statIds = new Int32Array(1024);
  private readonly keys = new Map<string, MatrixKey | null>();
  private readonly cells = new RowCells();
  private layers = new Int32Array(64);
  private lastMatrices: MatrixKey[] = [];
  private lastGroup: RowGroup | null = null;

  /** `onSetAside` hears of each record set aside for its layer set (see RunColumns). */
  constructor(
    readonly limits: ReadLimits,
    onSetAside?: (line: number, reason: string) => void,
  ) {
    this.columns = new RunColumns(limits, onSetAside);
    this.followup = new FollowupBudget(limits, () => Math.max(this.columns.textOffset, this.columns.expectedBytes));
  }

  /** The follow-up columns of `group` (made on first use). */
  followupRows(group: RowGroup): FollowupRows {
    return (group.followup ??= new FollowupRows(group.width, this.followup));
  }

  /** Samples stored so far, in every layer set. */
  get samples(): number {
    return this.columns.rows;
  }

  /** The layer and module a top-level key names, or null when it is no gradient matrix's name. */
  matrixKey(name: string): MatrixKey | null {
    const cached = this.keys.get(name);
    if (cached !== undefined) return cached;
    const parsed = parseParamName(name);
    const key = parsed === null ? null : { name, layer: parsed.layer, module: parsed.module };
    if (this.keys.size < KEY_CACHE_LIMIT) this.keys.set(name, key);
    return key;
  }

  /**
   * The plain path: stores one parsed record (`text` is its JSON text, for the extra
   * fields' text). Returns null when it was stored, else why not ('not an object',
   * 'no gradient matrix', a budget). Never throws on any JSON value.
   */
  addRecord(record: unknown, text: string, line: number): string | null {
    if (!isPlainObject(record)) return 'not an object';
    const cells = this.cells;
    cells.reset();
    let instruction = '';
    let input = '';
    let output = '';
    let extra: Set<string> | null = null;
    let lists: [MatrixKey, unknown[]][] | null = null;
    let blocks: string[] | null = null;
    for (const key of Object.keys(record)) {
      const value = record[key];
      if (TEXT_FIELDS.has(key) && typeof value === 'string') {
        if (key === 'instruction') instruction = value;
        else if (key === 'input') input = value;
        else output = value;
        continue;
      }
      if (key === 'loss' && (typeof value === 'number' || value === null)) {
        cells.loss = typeof value === 'number' ? value : NaN;
        continue;
      }
      const matrix = isPlainObject(value) ? this.matrixKey(key) : null;
      if (matrix === null && FOLLOWUP_BLOCKS.has(key) && isPlainObject(value)) {
        (blocks ??= []).push(key);
        continue;
      }
      if (matrix === null || !isPlainObject(value)) {
        (extra ??= new Set()).add(key);
        continue;
      }
      cells.matrices.push(matrix);
      let sList: unknown[] | null = null;
      for (const field of Object.keys(value)) {
        const x = value[field];
        if (typeof x === 'number') cells.add(matrix, field, x);
        else if (field === 'S_list' && Array.isArray(x)) sList = x;
        else if (x === null || BASE.has(field)) cells.add(matrix, field, NaN);
      }
      if (sList !== null) {
        cells.addSingularValues(matrix, sList, (stat) => Object.hasOwn(value, stat));
        (lists ??= []).push([matrix, sList]);
      }
    }
    const group = this.store(cells, line);
    if (typeof group === 'string') return group;
    if (lists !== null || blocks !== null) {
      const followup = this.followupRows(group);
      const row = group.rows - 1;
      for (const [matrix, list] of lists ?? []) followup.addSpectrum(row, line, matrix.module, matrix.layer, list);
      for (const key of blocks ?? []) followup.addBlock(row, line, key, record[key]);
    }
    const texts = group.texts;
    texts.add(instruction);
    texts.add(input);
    texts.add(output);
    texts.add(extra === null ? '' : extraText(text, extra));
    return null;
  }

  /**
   * Stores a row: checks the budgets (layers, modules, statistics, memory), finds the
   * group of its layer set, registers its names, writes its cells and loss. Returns the
   * group, whose texts the caller adds next (four, see TextPacker), or why the row was
   * not stored (nothing changed then).
   */
  store(cells: RowCells, line: number): RowGroup | string {
    const matrices = cells.matrices;
    if (matrices.length === 0) return 'no gradient matrix';
    const columns = this.columns;
    const same = this.lastGroup !== null && !this.lastGroup.evicted && sameKeys(matrices, this.lastMatrices);
    let group: RowGroup | string;
    if (same) group = this.lastGroup as RowGroup;
    else {
      const layers = this.layerSet(matrices);
      if (typeof layers === 'string') return layers;
      group = columns.group(layers);
      if (typeof group === 'string') return group;
    }
    const n = cells.count;
    const modules: ModuleKey[] = new Array<ModuleKey>(n);
    for (let c = 0; c < n; c++) modules[c] = cells.cellMatrix[c].module;
    const refused = columns.admit(modules, cells.cellStat.slice(0, n));
    if (refused !== null) return refused;
    if (this.moduleIds.length < n) {
      this.moduleIds = new Int32Array(n * 2);
      this.statIds = new Int32Array(n * 2);
    }
    const moduleIds = this.moduleIds;
    const statIds = this.statIds;
    for (let c = 0; c < n; c++) {
      moduleIds[c] = columns.moduleId(modules[c]);
      statIds[c] = columns.statId(cells.cellStat[c]);
    }
    const full = columns.reserve(group, moduleIds.subarray(0, n), statIds.subarray(0, n));
    if (full !== null) return full;
    const row = columns.beginRow(group, line, cells.loss);
    const base = row * group.width;
    for (let c = 0; c < n; c++) (group.column(moduleIds[c], statIds[c]) as Float64Array)[base + cells.cellMatrix[c].layer] = cells.cellValue[c];
    if (!same) {
      this.lastGroup = group;
      this.lastMatrices = matrices.slice();
    }
    return group;
  }

  /** The distinct layers of the matrices, ascending; why not when one is beyond the layer budget. */
  private layerSet(matrices: readonly MatrixKey[]): Int32Array | string {
    if (this.layers.length < matrices.length) this.layers = new Int32Array(matrices.length * 2);
    const layers = this.layers;
    for (let i = 0; i < matrices.length; i++) {
      const layer = matrices[i].layer;
      if (layer >= this.limits.layers) return `layer ${layer} (${matrices[i].name}) is beyond ${beyondLimit('layers', this.limits.layers)}; set aside`;
      layers[i] = layer;
    }
    const sorted = layers.subarray(0, matrices.length).sort();
    let n = 0;
    for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[n++] = sorted[i];
    return sorted.subarray(0, n);
  }
}

/** True when two lists hold the same keys in the same order. */
function sameKeys(a: readonly MatrixKey[], b: readonly MatrixKey[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The extra fields' JSON text: `{` + each member of `text` whose key is in `keys`, as
 * written (key, `: `, value), joined by `, ` + `}`. The accelerator writes the same
 * from its tape.
 */
export function extraText(text: string, keys: ReadonlySet<string>): string {
  const members = memberExtents(text);
  const parts: string[] = [];
  for (let i = 0; i < members.length; i += 4) {
    const rawKey = text.slice(members[i], members[i + 1]);
    const key = rawKey.includes('\\') ? (JSON.parse(rawKey) as string) : rawKey.slice(1, -1);
    if (keys.has(key)) parts.push(`${rawKey}: ${text.slice(members[i + 2], members[i + 3])}`);
  }
  return `{${parts.join(', ')}}`;
}
