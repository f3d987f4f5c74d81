/**
 * Records → columns: where a Run is built while a file streams. Samples are kept in
 * groups by layer set (the layer indices a record names): each group is its own
 * sample-major store, one Float64Array per (module, statistic) the group's records give,
 * `rows × width` with width = its deepest layer + 1. At the end the largest group is
 * the run and the others are set aside, each record named with its line: a record
 * naming one more layer, or layer 1000, neither widens every column nor turns every
 * curve's rows into NaN rows. Memory grows with what is present and stops at a budget
 * relative to the text read (limits.ts).
 */
import type { FollowupRows } from './followup.ts';
import { BASE_STATS, type ModuleKey, type SampleTexts, type StatName } from './run.ts';
import { beyondLimit, COLUMN_BYTES_FREE, COLUMN_BYTES_PER_TEXT_BYTE, formatSize, type ReadLimits } from './limits.ts';
import { orderModules } from './paramName.ts';
import { TextPacker } from './texts.ts';

/**
 * Distinct layer sets kept apart in one file. Past it, records of a new set are set
 * aside and counted; once a set has come more often than the smallest group holds, that
 * group's records are set aside instead and the new set gets its place: a majority that
 * comes late still ends as the run (without the records it had to give up).
 */
export const MAX_LAYER_SETS = 16;
/** Layer sets counted while they wait for a place (more are set aside uncounted). */
const MAX_WAITING = 4096;
/** Rows the first group starts with (when the file's size gives no better guess); other groups start with one. */
const INITIAL_ROWS = 64;

/** The samples of one layer set. */
export class RowGroup {
  /** Deepest layer + 1: the length of a row in each column. */
  readonly width: number;
  rows = 0;
  capacity = 0;
  /** Columns made. */
  columnCount = 0;
  /** True once the group was given up for another layer set (its records set aside). */
  evicted = false;
  /** By module id, then statistic id: `rows × width` values, sample-major; undefined where no record of the group gave the pair. */
  readonly columns: (Float64Array | undefined)[][] = [];
  loss: Float64Array = new Float64Array(0);
  /** The line (or record index) each sample came from. */
  lines: Float64Array = new Float64Array(0);
  readonly texts = new TextPacker();
  /** The follow-up study's blocks of these rows (followup.ts), once a record has one. */
  followup: FollowupRows | null = null;

  constructor(
    /** The layer indices, ascending. */
    readonly layers: Int32Array,
  ) {
    this.width = layers.length === 0 ? 0 : layers[layers.length - 1] + 1;
  }

  /** The column of (module, statistic), or undefined. */
  column(moduleId: number, statId: number): Float64Array | undefined {
    return this.columns[moduleId]?.[statId];
  }
}

/** The finished columns: the run's part of them. */
export interface FinishedColumns {
  sampleCount: number;
  layerCount: number;
  modules: ModuleKey[];
  stats: StatName[];
  values: Map<ModuleKey, Map<StatName, Float64Array>>;
  loss: Float64Array;
  texts: SampleTexts;
  /** The run's group's follow-up columns, or null. */
  followup: FollowupRows | null;
}

function nanArray(length: number): Float64Array {
  return new Float64Array(length).fill(NaN);
}

/** `0–31`, `0–31, 40`, `3`: layer indices as ranges. */
export function describeLayers(layers: ArrayLike<number>): string {
  const parts: string[] = [];
  for (let i = 0; i < layers.length; ) {
    let j = i;
    while (j + 1 < layers.length && layers[j + 1] === layers[j] + 1) j++;
    parts.push(j === i ? `${layers[i]}` : `${layers[i]}–${layers[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

/** The names, groups and budgets of one file's columns. */
export class RunColumns {
  readonly moduleNames: ModuleKey[] = [];
  readonly statNames: StatName[] = [];
  readonly groups: RowGroup[] = [];
  /** Text bytes of the file up to the record being stored, and the file's expected size: the columns' budget grows with the larger. */
  textOffset = 0;
  expectedBytes = 0;
  /** Rows the first group starts with: 1 when the reader sizes it after the first record (reserveRows), which a file's size lets it do. */
  initialRows = INITIAL_ROWS;
  private readonly moduleIds = new Map<ModuleKey, number>();
  private readonly statIds = new Map<StatName, number>();
  /** Per module id, the statistic ids some group holds for it. */
  private readonly statsOfModule: Set<number>[] = [];
  private allocated = 0;
  private last: RowGroup | null = null;
  /** Records seen of layer sets waiting for a place, by their description. */
  private readonly waiting = new Map<string, number>();

  /** `onSetAside` hears of each record set aside for its layer set (at finish, or when its group is given up). */
  constructor(
    readonly limits: ReadLimits,
    private readonly onSetAside: (line: number, reason: string) => void = () => {},
  ) {}

  /** Samples stored in every group. */
  get rows(): number {
    let n = 0;
    for (const group of this.groups) n += group.rows;
    return n;
  }

  /** Id of a module name, or −1 when it was never stored. */
  moduleId(name: ModuleKey): number {
    return this.moduleIds.get(name) ?? -1;
  }

  /** Id of a statistic name, or −1 when it was never stored. */
  statId(name: StatName): number {
    return this.statIds.get(name) ?? -1;
  }

  /** Whether the module may hold the statistic: known for it already, or within the budgets. */
  private knows(moduleId: number, statId: number): boolean {
    return moduleId >= 0 && statId >= 0 && this.statsOfModule[moduleId].has(statId);
  }

  /**
   * The group of records naming exactly these layers (ascending, distinct), made when
   * new (see MAX_LAYER_SETS); a reason when the record must be set aside instead.
   */
  group(layers: ArrayLike<number>): RowGroup | string {
    const last = this.last;
    if (last !== null && sameLayers(last.layers, layers)) return last;
    for (const group of this.groups) {
      if (sameLayers(group.layers, layers)) return (this.last = group);
    }
    if (this.groups.length >= MAX_LAYER_SETS && !this.makeRoom(describeLayers(layers))) {
      return `layers ${describeLayers(layers)}: one more layer set than the ${MAX_LAYER_SETS} this file already holds; set aside`;
    }
    const group = new RowGroup(Int32Array.from(layers));
    this.groups.push(group);
    return (this.last = group);
  }

  /** Counts one more record of the waiting set `key`; when it has come more often than the smallest group holds (the latest of equals), gives that group up. */
  private makeRoom(key: string): boolean {
    const seen = (this.waiting.get(key) ?? 0) + 1;
    let smallest = this.groups[0];
    for (const group of this.groups) if (group.rows <= smallest.rows) smallest = group;
    if (seen <= smallest.rows) {
      if (this.waiting.has(key) || this.waiting.size < MAX_WAITING) this.waiting.set(key, seen);
      return false;
    }
    this.waiting.delete(key);
    smallest.evicted = true;
    this.groups.splice(this.groups.indexOf(smallest), 1);
    this.allocated -= groupBytes(smallest);
    const reason = `layers ${describeLayers(smallest.layers)}: a rare layer set, given up for a more frequent one (the file has more than ${MAX_LAYER_SETS}); set aside`;
    for (let r = 0; r < smallest.rows; r++) this.onSetAside(smallest.lines[r], reason);
    return true;
  }

  /**
   * Checks that a record with these (module, statistic) pairs fits the budgets (modules
   * per file, statistics per module), and registers their names; returns why not
   * (nothing registered then). Pairs as parallel arrays of names; repeats allowed.
   */
  admit(modules: readonly ModuleKey[], stats: readonly StatName[]): string | null {
    let newModules: Set<ModuleKey> | null = null;
    let newPairs: Map<ModuleKey, Set<StatName>> | null = null;
    for (let k = 0; k < modules.length; k++) {
      const m = this.moduleId(modules[k]);
      if (this.knows(m, this.statId(stats[k]))) continue;
      if (m < 0) (newModules ??= new Set()).add(modules[k]);
      newPairs ??= new Map();
      let set = newPairs.get(modules[k]);
      if (set === undefined) newPairs.set(modules[k], (set = new Set()));
      set.add(stats[k]);
    }
    if (newPairs === null) return null;
    if (newModules !== null && this.moduleNames.length + newModules.size > this.limits.modules) {
      return `module ${[...newModules][Math.max(0, this.limits.modules - this.moduleNames.length)]} is beyond ${beyondLimit('modules', this.limits.modules)}`;
    }
    for (const [module, stats] of newPairs) {
      const m = this.moduleId(module);
      const have = m < 0 ? 0 : this.statsOfModule[m].size;
      if (have + stats.size > this.limits.stats) return `statistic ${[...stats][Math.max(0, this.limits.stats - have)]} of ${module} is beyond ${beyondLimit('stats', this.limits.stats)}`;
    }
    for (const [module, stats] of newPairs) {
      let m = this.moduleId(module);
      if (m < 0) {
        m = this.moduleNames.length;
        this.moduleIds.set(module, m);
        this.moduleNames.push(module);
        this.statsOfModule.push(new Set());
      }
      for (const stat of stats) {
        let s = this.statId(stat);
        if (s < 0) {
          s = this.statNames.length;
          this.statIds.set(stat, s);
          this.statNames.push(stat);
        }
        this.statsOfModule[m].add(s);
      }
    }
    return null;
  }

  /** Bytes the columns may take now. */
  private budget(): number {
    return COLUMN_BYTES_PER_TEXT_BYTE * Math.max(this.textOffset, this.expectedBytes) + COLUMN_BYTES_FREE;
  }

  private overBudget(more: number): string {
    return `storing it would take the columns to ${formatSize(this.allocated + more)}, past their budget of ${formatSize(this.budget())} (${COLUMN_BYTES_PER_TEXT_BYTE} bytes per byte of text, plus ${formatSize(COLUMN_BYTES_FREE)}): the records leave most of their columns empty`;
  }

  /**
   * Makes room in `group` for one more row with the given (module id, statistic id)
   * columns (made when missing), growing the group within the budget. Returns why not;
   * nothing changes then.
   */
  reserve(group: RowGroup, moduleIds: ArrayLike<number>, statIds: ArrayLike<number>): string | null {
    let fresh: Set<number> | null = null;
    for (let k = 0; k < moduleIds.length; k++) {
      if (group.column(moduleIds[k], statIds[k]) === undefined) (fresh ??= new Set()).add(moduleIds[k] * 65536 + statIds[k]);
    }
    const columns = group.columnCount + (fresh?.size ?? 0);
    const perRow = 8 * (columns * group.width + 2);
    const room = this.budget() - (this.allocated - groupBytes(group));
    let capacity = group.capacity;
    if (group.rows === capacity) {
      const want = capacity === 0 ? (this.groups[0] === group ? this.initialRows : 1) : capacity * 2;
      capacity = Math.min(want, Math.floor(room / perRow));
    }
    if (capacity <= group.rows || capacity * perRow > room) return this.overBudget(Math.max(capacity, group.rows + 1) * perRow - groupBytes(group));
    this.allocated += capacity * perRow - groupBytes(group);
    if (capacity > group.capacity) this.grow(group, capacity);
    for (const pair of fresh ?? []) {
      (group.columns[Math.floor(pair / 65536)] ??= [])[pair % 65536] = nanArray(group.capacity * group.width);
      group.columnCount++;
    }
    return null;
  }

  /** Sizes the first group (its texts too) for `rows` rows at once (a reader that knows the file's size, after its first record), within the budget. */
  reserveRows(rows: number): void {
    const group = this.groups[0];
    if (group === undefined || rows <= group.capacity) return;
    group.texts.reserveSamples(rows);
    const perRow = 8 * (group.columnCount * group.width + 2);
    const target = Math.min(Math.ceil(rows), Math.floor((this.budget() - (this.allocated - groupBytes(group))) / perRow));
    if (target <= group.capacity) return;
    this.allocated += target * perRow - groupBytes(group);
    this.grow(group, target);
  }

  /** Starts a row in `group` (room reserved) and returns its index. */
  beginRow(group: RowGroup, line: number, loss: number): number {
    const row = group.rows++;
    group.loss[row] = loss;
    group.lines[row] = line;
    return row;
  }

  private grow(group: RowGroup, capacity: number): void {
    const width = group.width;
    for (const byStat of group.columns) {
      if (byStat === undefined) continue;
      for (let s = 0; s < byStat.length; s++) {
        const column = byStat[s];
        if (column === undefined) continue;
        const next = nanArray(capacity * width);
        next.set(column.subarray(0, group.rows * width));
        byStat[s] = next;
      }
    }
    const loss = nanArray(capacity);
    loss.set(group.loss.subarray(0, group.rows));
    group.loss = loss;
    const lines = new Float64Array(capacity);
    lines.set(group.lines.subarray(0, group.rows));
    group.lines = lines;
    group.capacity = capacity;
  }

  /**
   * The run's columns: the group with the most samples (the first of equals), compacted
   * to sampleCount × layerCount; modules in display order (q, k, v, o first), statistics
   * with BASE_STATS first in their order, the rest in order of first appearance; only
   * pairs the group holds. Every other group's records set aside, named by line. The
   * store is emptied. No group → an empty run.
   */
  finish(): FinishedColumns {
    let run: RowGroup | null = null;
    for (const group of this.groups) if (run === null || group.rows > run.rows) run = group;
    this.setAsideOthers(run);
    if (run === null) {
      return { sampleCount: 0, layerCount: 0, modules: [], stats: [], values: new Map(), loss: new Float64Array(0), texts: new TextPacker().finish(), followup: null };
    }
    const n = run.rows;
    const width = run.width;
    const fit = (column: Float64Array): Float64Array => (column.length - n * width <= column.length / 8 ? column.subarray(0, n * width) : column.slice(0, n * width));
    const held = (m: number, s: number) => run.column(m, s) !== undefined;
    const modules = orderModules(this.moduleNames.filter((_, m) => run.columns[m]?.some((c) => c !== undefined)));
    const base = BASE_STATS.filter((s) => this.moduleNames.some((_, m) => held(m, this.statId(s))));
    const others = this.statNames.filter((s, id) => !(BASE_STATS as readonly string[]).includes(s) && this.moduleNames.some((_, m) => held(m, id)));
    const stats = [...base, ...others];
    const values = new Map<ModuleKey, Map<StatName, Float64Array>>();
    for (const module of modules) {
      const m = this.moduleId(module);
      const byStat = new Map<StatName, Float64Array>();
      for (const stat of stats) {
        const column = run.column(m, this.statId(stat));
        if (column !== undefined) byStat.set(stat, fit(column));
      }
      values.set(module, byStat);
    }
    const result = { sampleCount: n, layerCount: width, modules, stats, values, loss: run.loss.slice(0, n), texts: run.texts.finish(), followup: run.followup };
    this.groups.length = 0;
    this.last = null;
    return result;
  }

  /** Sets aside every record outside `run`'s group. */
  private setAsideOthers(run: RowGroup | null): void {
    if (run === null) return;
    const majority = `the layers ${describeLayers(run.layers)} of ${run.rows} of the file's records`;
    for (const group of this.groups) {
      if (group === run) continue;
      const reason = `layers ${describeLayers(group.layers)}, not ${majority}; set aside`;
      for (let r = 0; r < group.rows; r++) this.onSetAside(group.lines[r], reason);
    }
  }
}

/** Bytes a group's arrays take (columns, loss, lines). */
function groupBytes(group: RowGroup): number {
  return 8 * group.capacity * (group.columnCount * group.width + 2);
}

function sameLayers(a: Int32Array, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
