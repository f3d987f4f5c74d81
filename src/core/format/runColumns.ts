/**
 * The growable columnar store a Run is built in while a file streams: one
 * Float64Array per (module, statistic), sample-major, plus the loss column. Rows and
 * layers grow as lines arrive (a later line may name a deeper layer: the store is
 * re-laid out), and `finish` compacts everything to exactly sampleCount × layerCount.
 */
import { BASE_STATS } from './run.ts';
import type { ModuleKey, StatName } from './run.ts';
import { orderModules } from './paramName.ts';

/** The compacted columns of a finished store. */
export interface FinishedColumns {
  sampleCount: number;
  layerCount: number;
  modules: ModuleKey[];
  stats: StatName[];
  values: Map<ModuleKey, Map<StatName, Float64Array>>;
  loss: Float64Array;
}

const INITIAL_ROWS = 64;

function nanArray(length: number): Float64Array {
  return new Float64Array(length).fill(NaN);
}

/** Growable (module, stat) columns; values not written stay NaN. */
export class RunColumns {
  sampleCount = 0;
  /** 1 + the largest layer index written so far. */
  layerCount = 0;
  private stride = 0;
  private capacity = 0;
  private readonly moduleNames: ModuleKey[] = [];
  private readonly moduleIds = new Map<ModuleKey, number>();
  private readonly statNames: StatName[] = [];
  private readonly statIds = new Map<StatName, number>();
  private readonly columns: (Float64Array | undefined)[][] = [];
  private loss: Float64Array = new Float64Array(0);
  private row = -1;

  /** Id of a module, registering it (in order of first appearance) when new. */
  moduleId(module: ModuleKey): number {
    let id = this.moduleIds.get(module);
    if (id === undefined) {
      id = this.moduleNames.length;
      this.moduleIds.set(module, id);
      this.moduleNames.push(module);
      this.columns.push([]);
    }
    return id;
  }

  /** Id of a statistic, registering it when new. */
  statId(stat: StatName): number {
    let id = this.statIds.get(stat);
    if (id === undefined) {
      id = this.statNames.length;
      this.statIds.set(stat, id);
      this.statNames.push(stat);
    }
    return id;
  }

  /** Starts a new sample row whose largest layer index is `maxLayer`; returns the row index. */
  beginSample(maxLayer: number): number {
    if (maxLayer >= this.stride) this.relayout(Math.max(maxLayer + 1, this.stride === 0 ? 0 : Math.ceil(this.stride * 1.25)));
    if (maxLayer >= this.layerCount) this.layerCount = maxLayer + 1;
    if (this.sampleCount >= this.capacity) this.grow(Math.max(INITIAL_ROWS, this.capacity * 2));
    this.row = this.sampleCount++;
    return this.row;
  }

  /**
   * Makes room for `rows` rows in one step (a reader that knows the file's size calls it
   * after the first line, sparing the doubling copies), but never for more than
   * `maxBytes` of columns (the estimate may be far off when the first line is atypical).
   */
  reserveRows(rows: number, maxBytes: number): void {
    let columns = 0;
    for (const byStat of this.columns) for (const column of byStat) if (column !== undefined) columns++;
    const affordable = Math.floor(maxBytes / (8 * Math.max(1, columns * this.stride)));
    const target = Math.min(Math.ceil(rows), affordable);
    if (target > this.capacity) this.grow(target);
  }

  /** Writes one value of the current row (layer must be ≤ the row's maxLayer). */
  set(moduleId: number, statId: number, layer: number, value: number): void {
    this.column(moduleId, statId)[this.row * this.stride + layer] = value;
  }

  /** The column of (module, statistic), made when new; replaced when rows grow or are re-laid out, so take it again after beginSample. */
  column(moduleId: number, statId: number): Float64Array {
    const byStat = this.columns[moduleId];
    let column = byStat[statId];
    if (column === undefined) {
      column = nanArray(this.capacity * this.stride);
      byStat[statId] = column;
    }
    return column;
  }

  /** How many values a row takes in each column (≥ layerCount; rows are re-laid out when a deeper layer comes). */
  get rowLength(): number {
    return this.stride;
  }

  /** Sets the loss of the current row. */
  setLoss(value: number): void {
    this.loss[this.row] = value;
  }

  private forEachColumn(replace: (column: Float64Array) => Float64Array): void {
    for (const byStat of this.columns) {
      for (let s = 0; s < byStat.length; s++) {
        const column = byStat[s];
        if (column !== undefined) byStat[s] = replace(column);
      }
    }
  }

  private grow(rows: number): void {
    const stride = this.stride;
    this.forEachColumn((column) => {
      const next = nanArray(rows * stride);
      next.set(column);
      return next;
    });
    const loss = nanArray(rows);
    loss.set(this.loss);
    this.loss = loss;
    this.capacity = rows;
  }

  private relayout(stride: number): void {
    const old = this.stride;
    const rows = this.sampleCount;
    this.forEachColumn((column) => {
      const next = nanArray(this.capacity * stride);
      for (let r = 0; r < rows; r++) next.set(column.subarray(r * old, r * old + old), r * stride);
      return next;
    });
    this.stride = stride;
  }

  /**
   * Compacts to exactly sampleCount × layerCount per column. Every module gets every
   * statistic (a pair the file never gave is all NaN). Modules in display order
   * (q, k, v, o first); statistics with BASE_STATS first in their canonical order,
   * the rest in order of first appearance. The store is emptied.
   */
  finish(): FinishedColumns {
    const n = this.sampleCount;
    const layers = this.layerCount;
    const stride = this.stride;
    const base = BASE_STATS.filter((s) => this.statIds.has(s));
    const others = this.statNames.filter((s) => !(BASE_STATS as readonly string[]).includes(s));
    const stats = [...base, ...others];
    const modules = orderModules(this.moduleNames);
    const values = new Map<ModuleKey, Map<StatName, Float64Array>>();
    for (const module of modules) {
      const byStat = this.columns[this.moduleIds.get(module) as number];
      const out = new Map<StatName, Float64Array>();
      for (const stat of stats) {
        const id = this.statIds.get(stat) as number;
        const column = byStat[id];
        byStat[id] = undefined;
        if (column === undefined) {
          out.set(stat, nanArray(n * layers));
        } else if (stride === layers) {
          // A view when little capacity is unused (a store sized from the file's size), a compact copy otherwise.
          out.set(stat, column.length - n * layers <= column.length / 8 ? column.subarray(0, n * layers) : column.slice(0, n * layers));
        } else {
          const compact = new Float64Array(n * layers);
          for (let r = 0; r < n; r++) compact.set(column.subarray(r * stride, r * stride + layers), r * layers);
          out.set(stat, compact);
        }
      }
      values.set(module, out);
    }
    const loss = this.loss.slice(0, n);
    this.loss = new Float64Array(0);
    return { sampleCount: n, layerCount: layers, modules, stats, values, loss };
  }
}
