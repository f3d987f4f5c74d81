/**
 * The follow-up study's per-sample blocks (arXiv 2504.10766, `Gradient_Unified`'s
 * get_grad_vector_initial_try.py) as columns, built while a file streams:
 *
 * - `S_list`, every singular value of a matrix's gradient (torch.linalg.svd, largest
 *   first): kept per module as a ragged column (a list per sample and layer), float32,
 *   at most `spectrumRanks` values a list (the statistics S_sum, …, effective_rank are
 *   derived from the whole list before, in records.ts);
 * - `cosine_sim`: per projection (`q_proj` …), `{layer_indices, matrix}`, the cosine
 *   between the flattened gradients of every pair of layers: kept per module as
 *   sampleCount × L × L values (L the run's layer count, matrix rows and columns placed
 *   at their layer_indices, NaN where the block gives none);
 * - `cosine_sim_qkvo`: per layer (`"0"`, `"1"`, … keys), `{"q_proj_x_o_proj": c,
 *   "k_proj_x_v_proj": c}`, the same-layer cosines: each pair becomes a module of its
 *   own (`self_attn.q_proj_x_o_proj`) holding the statistic `cosine_sim_qkvo`, so every
 *   view that takes a statistic shows it.
 *
 * A block read here leaves the sample's extra fields; a block that is no JSON object
 * stays there. Both reading paths (records.ts, the accelerator) hand the same parsed
 * values to the same FollowupRows, so both make the same run. The columns share the
 * budget rule of the other columns (bytes per byte of text, limits.ts); what does not
 * fit is left out and said, with its line.
 */
import { COLUMN_BYTES_FREE, COLUMN_BYTES_PER_TEXT_BYTE, formatSize, type ReadLimits } from './limits.ts';
import type { ModuleKey, SkippedLine, StatName } from './run.ts';

/** Top-level key of the layers × layers cosine block. */
export const COSINE_SIM = 'cosine_sim';
/** Top-level key of the same-layer cosine block; also the statistic its pair modules hold. */
export const COSINE_SIM_QKVO = 'cosine_sim_qkvo';
/** The derived statistic `cosine_sim[proj].matrix[i][i+1]` at layer i (statValues.ts). */
export const COSINE_SIM_ADJACENT = 'cosine_sim_adjacent';

/** At most this many distinct projections (cosine_sim) and pairs (cosine_sim_qkvo) per file. */
const MAX_BLOCK_KEYS = 16;
/** Problems listed per file (the rest counted). */
const MAX_PROBLEMS = 100;

/**
 * A module's singular values, ragged: the list of cell c (= sample × layerCount + layer)
 * is `values[offsets[c] … offsets[c + 1])`, in the file's order (largest first as torch
 * writes them); a cell without a list is empty. `longest` is the longest list the file
 * had, before the `spectrumRanks` cap.
 */
export interface Spectra {
  offsets: Uint32Array;
  values: Float32Array;
  longest: number;
}

/** Module key of a projection named in `cosine_sim` (as the follow-up names them: `q_proj` → `self_attn.q_proj`). */
export function projectionModule(key: string): ModuleKey {
  return key.includes('.') ? key : `self_attn.${key}`;
}

/** Module key of a pair named in `cosine_sim_qkvo` (`q_proj_x_o_proj` → `self_attn.q_proj_x_o_proj`). */
export function pairModule(key: string): ModuleKey {
  return key.includes('.') ? key : `self_attn.${key}`;
}

/** The two modules a pair module joins (`self_attn.q_proj_x_o_proj` → [`q_proj`, `o_proj`]), or null for any other module. */
export function pairParts(module: ModuleKey): [string, string] | null {
  const leaf = module.slice(module.lastIndexOf('.') + 1);
  const at = leaf.indexOf('_x_');
  return at > 0 && at + 3 < leaf.length ? [leaf.slice(0, at), leaf.slice(at + 3)] : null;
}

type Fields = Record<string, unknown>;
const isObject = (v: unknown): v is Fields => v !== null && typeof v === 'object' && !Array.isArray(v);
const LAYER_KEY = /^(0|[1-9][0-9]{0,8})$/;
const PAIR_KEY = /^[A-Za-z0-9]+(?:_[A-Za-z0-9]+)*_x_[A-Za-z0-9]+(?:_[A-Za-z0-9]+)*$/;

/** The follow-up columns' share of one file's memory, and what they had to leave out. */
export class FollowupBudget {
  allocated = 0;
  readonly problems: SkippedLine[] = [];
  private problemCount = 0;

  constructor(
    readonly limits: ReadLimits,
    /** Bytes of text read so far and expected in all: the budget grows with the larger. */
    private readonly textBytes: () => number,
  ) {}

  /** True when `more` bytes fit (and counts them). */
  take(more: number): boolean {
    const room = COLUMN_BYTES_PER_TEXT_BYTE * this.textBytes() + COLUMN_BYTES_FREE;
    if (this.allocated + more > room) return false;
    this.allocated += more;
    return true;
  }

  /** Notes a part of line `line` that was not kept. */
  problem(line: number, reason: string): void {
    if (this.problemCount++ < MAX_PROBLEMS) this.problems.push({ line, reason });
    else if (this.problemCount === MAX_PROBLEMS + 1) this.problems.push({ line, reason: 'more parts of the follow-up blocks left out from here on, not listed' });
  }

  /** Why a part of `what` was not kept: the budget. */
  overBudget(what: string): string {
    return `${what} not kept: the follow-up columns would pass their budget of ${COLUMN_BYTES_PER_TEXT_BYTE} bytes per byte of text plus ${formatSize(COLUMN_BYTES_FREE)}`;
  }
}

/** One module's singular values while the file streams: each cell's start and length in `values`. */
class SpectrumRows {
  starts = new Uint32Array(0);
  lengths = new Uint32Array(0);
  values = new Float32Array(0);
  used = 0;
  longest = 0;
}

/** The follow-up columns of one group of rows (one layer set, see columns.ts). */
export class FollowupRows {
  private readonly spectra = new Map<ModuleKey, SpectrumRows>();
  /** Per projection module: rows × width × width. */
  private readonly cosine = new Map<ModuleKey, Float64Array>();
  /** Per pair module: rows × width. */
  private readonly sameLayer = new Map<ModuleKey, Float64Array>();

  constructor(
    /** The group's width: deepest layer + 1. */
    readonly width: number,
    private readonly budget: FollowupBudget,
  ) {}

  /** Keeps the singular values of (row, module, layer): at most `spectrumRanks` of them, as float32. */
  addSpectrum(row: number, line: number, module: ModuleKey, layer: number, list: ArrayLike<unknown>): void {
    if (layer >= this.width) return;
    let rows = this.spectra.get(module);
    if (rows === undefined) {
      if (this.spectra.size >= this.budget.limits.modules) return;
      rows = new SpectrumRows();
      this.spectra.set(module, rows);
    }
    const cells = (row + 1) * this.width;
    if (rows.starts.length < cells) {
      const grown = Math.max(cells, rows.starts.length * 2);
      if (!this.budget.take(8 * (grown - rows.starts.length))) return this.budget.problem(line, this.budget.overBudget(`S_list of ${module}`));
      const starts = new Uint32Array(grown);
      starts.set(rows.starts);
      const lengths = new Uint32Array(grown);
      lengths.set(rows.lengths);
      rows.starts = starts;
      rows.lengths = lengths;
    }
    rows.longest = Math.max(rows.longest, list.length);
    const n = Math.min(list.length, this.budget.limits.spectrumRanks);
    if (rows.used + n > rows.values.length) {
      const grown = Math.max(rows.used + n, rows.values.length * 2, 1024);
      if (!this.budget.take(4 * (grown - rows.values.length))) return this.budget.problem(line, this.budget.overBudget(`S_list of ${module}`));
      const values = new Float32Array(grown);
      values.set(rows.values.subarray(0, rows.used));
      rows.values = values;
    }
    const at = rows.used;
    const values = rows.values;
    for (let i = 0; i < n; i++) {
      const x = list[i];
      values[at + i] = typeof x === 'number' ? x : NaN;
    }
    const cell = row * this.width + layer;
    rows.starts[cell] = at;
    rows.lengths[cell] = n;
    rows.used += n;
  }

  /** Keeps a `cosine_sim` or `cosine_sim_qkvo` block of row `row` (read from line `line`); any other key is ignored. */
  addBlock(row: number, line: number, key: string, block: unknown): void {
    if (!isObject(block)) return;
    if (key === COSINE_SIM) this.addCosine(row, line, block);
    else if (key === COSINE_SIM_QKVO) this.addSameLayer(row, line, block);
  }

  private addCosine(row: number, line: number, block: Fields): void {
    const W = this.width;
    for (const projection of Object.keys(block)) {
      const entry = block[projection];
      if (!isObject(entry)) continue;
      const indices = entry.layer_indices;
      const matrix = entry.matrix;
      if (!Array.isArray(indices) || !Array.isArray(matrix)) {
        this.budget.problem(line, `cosine_sim.${projection} not kept: it needs layer_indices and matrix lists`);
        continue;
      }
      const layers: number[] = [];
      for (const index of indices) {
        if (!(Number.isInteger(index) && (index as number) >= 0 && (index as number) < W) || layers.includes(index as number)) {
          this.budget.problem(line, `cosine_sim.${projection} not kept: layer index ${JSON.stringify(index)} is not one of this run's layers 0–${W - 1} (or repeats)`);
          layers.length = 0;
          break;
        }
        layers.push(index as number);
      }
      if (layers.length === 0) continue;
      const column = this.column(this.cosine, projectionModule(projection), row, W * W, line, `cosine_sim.${projection}`);
      if (column === null) continue;
      const base = row * W * W;
      for (let i = 0; i < layers.length; i++) {
        const values = matrix[i];
        if (!Array.isArray(values)) continue;
        const at = base + layers[i] * W;
        for (let j = 0; j < layers.length && j < values.length; j++) {
          const x = values[j];
          column[at + layers[j]] = typeof x === 'number' ? x : NaN;
        }
      }
    }
  }

  private addSameLayer(row: number, line: number, block: Fields): void {
    const W = this.width;
    for (const layerKey of Object.keys(block)) {
      const pairs = block[layerKey];
      if (!isObject(pairs)) continue;
      const layer = LAYER_KEY.test(layerKey) ? Number(layerKey) : -1;
      if (layer < 0 || layer >= W) {
        this.budget.problem(line, `cosine_sim_qkvo["${layerKey.slice(0, 40)}"] not kept: not one of this run's layers 0–${W - 1}`);
        continue;
      }
      for (const pair of Object.keys(pairs)) {
        const x = pairs[pair];
        if (!PAIR_KEY.test(pair) || !(typeof x === 'number' || x === null)) continue;
        const column = this.column(this.sameLayer, pairModule(pair), row, W, line, `cosine_sim_qkvo ${pair}`);
        if (column !== null) column[row * W + layer] = x === null ? NaN : x;
      }
    }
  }

  /**
   * The column of `module` in `columns` (`cells` values a row), made or grown to hold row
   * `row` (doubling, or just enough when doubling passes the budget); null (a problem
   * noted) when it cannot.
   */
  private column(columns: Map<ModuleKey, Float64Array>, module: ModuleKey, row: number, cells: number, line: number, what: string): Float64Array | null {
    const column = columns.get(module);
    const need = (row + 1) * cells;
    if (column !== undefined && column.length >= need) return column;
    if (column === undefined && columns.size >= MAX_BLOCK_KEYS) {
      this.budget.problem(line, `${what} not kept: more than ${MAX_BLOCK_KEYS} distinct keys in this block`);
      return null;
    }
    const have = column?.length ?? 0;
    for (const want of [Math.max(need, 2 * have), need]) {
      if (!this.budget.take(8 * (want - have))) continue;
      const next = new Float64Array(want).fill(NaN);
      if (column !== undefined) next.set(column);
      columns.set(module, next);
      return next;
    }
    this.budget.problem(line, this.budget.overBudget(what));
    return null;
  }

  /**
   * The columns of the group's first `rows` rows: spectra with canonical offsets,
   * cosine matrices (rows × W × W) and same-layer cosines (rows × W), NaN where a row
   * gave none.
   */
  finish(rows: number): FinishedFollowup {
    const W = this.width;
    const cells = rows * W;
    const spectra = new Map<ModuleKey, Spectra>();
    for (const [module, s] of this.spectra) {
      const offsets = new Uint32Array(cells + 1);
      let inOrder = true;
      let total = 0;
      for (let c = 0; c < cells; c++) {
        const n = c < s.lengths.length ? s.lengths[c] : 0;
        if (n > 0 && s.starts[c] !== total) inOrder = false;
        total += n;
        offsets[c + 1] = total;
      }
      let values: Float32Array;
      if (inOrder) values = s.values.length - total <= s.values.length / 8 ? s.values.subarray(0, total) : s.values.slice(0, total);
      else {
        values = new Float32Array(total);
        for (let c = 0; c < cells && c < s.lengths.length; c++) values.set(s.values.subarray(s.starts[c], s.starts[c] + s.lengths[c]), offsets[c]);
      }
      spectra.set(module, { offsets, values, longest: s.longest });
    }
    const fit = (columns: Map<ModuleKey, Float64Array>, perRow: number) => {
      const out = new Map<ModuleKey, Float64Array>();
      for (const [module, column] of columns) {
        const n = rows * perRow;
        const fitted = column.length >= n ? column.slice(0, n) : new Float64Array(n).fill(NaN);
        if (column.length < n) fitted.set(column);
        out.set(module, fitted);
      }
      return out;
    };
    return { spectra, cosineSim: fit(this.cosine, W * W), sameLayer: fit(this.sameLayer, W) };
  }
}

/** What a group's follow-up columns give its run. */
export interface FinishedFollowup {
  spectra: Map<ModuleKey, Spectra>;
  cosineSim: Map<ModuleKey, Float64Array>;
  /** Per pair module: sampleCount × layerCount same-layer cosines. */
  sameLayer: Map<ModuleKey, Float64Array>;
}

/**
 * The run's modules, statistics and values with the same-layer cosines added (each pair
 * a module after the others, holding COSINE_SIM_QKVO), from a finished group. The
 * inputs are not modified.
 */
export function withSameLayer(
  modules: readonly ModuleKey[],
  stats: readonly StatName[],
  values: ReadonlyMap<ModuleKey, ReadonlyMap<StatName, Float64Array>>,
  sameLayer: ReadonlyMap<ModuleKey, Float64Array>,
): { modules: ModuleKey[]; stats: StatName[]; values: Map<ModuleKey, Map<StatName, Float64Array>> } {
  const out = new Map<ModuleKey, Map<StatName, Float64Array>>();
  for (const [module, byStat] of values) out.set(module, new Map(byStat));
  const allModules = modules.slice();
  for (const [module, column] of sameLayer) {
    let byStat = out.get(module);
    if (byStat === undefined) {
      out.set(module, (byStat = new Map()));
      allModules.push(module);
    }
    byStat.set(COSINE_SIM_QKVO, column);
  }
  const allStats = stats.slice();
  if (sameLayer.size > 0 && !allStats.includes(COSINE_SIM_QKVO)) allStats.push(COSINE_SIM_QKVO);
  return { modules: allModules, stats: allStats, values: out };
}
