/**
 * Per-layer curves of a run (DESIGN.md §3 "curve"): the mean over samples, after
 * dropping every sample whose row for that module and statistic holds a NaN, plus the
 * bands (percentiles, std) drawn around it, and one layer's per-sample values.
 */
import type { ModuleKey, Run, StatName } from '../format/run.ts';
import { quantileSorted } from './quantile.ts';
import { keptRows, keptRowSums, squaredDeviationSums } from './rowPasses.ts';
import { statLayerSpan, statValues } from './statValues.ts';

/** A module's curve over layers: columnar, one entry per layer. */
export interface Curve {
  layerCount: number;
  /** Layers 0 … span − 1 are where the statistic is defined (statLayerSpan); the others are NaN and outside MAD. */
  span: number;
  /** The study's curve: mean over kept samples. */
  mean: Float64Array;
  /** Percentiles over kept samples, numpy's linear method (see quantile.ts); median = p50. */
  median: Float64Array;
  p5: Float64Array;
  p25: Float64Array;
  p75: Float64Array;
  p95: Float64Array;
  /** Population standard deviation over kept samples (ddof = 0, numpy's default). */
  std: Float64Array;
  /** Samples whose whole row was NaN-free and so entered the curve. */
  kept: number;
  /** Samples dropped for a NaN anywhere in their row. */
  dropped: number;
}

/** Writes layer `layer` of the kept `rows` of a sample-major matrix into `out` (length rows.length); returns `out`. */
function gatherLayer(values: ArrayLike<number>, rows: Int32Array, layerCount: number, layer: number, out: Float64Array): Float64Array {
  for (let j = 0; j < rows.length; j++) out[j] = values[rows[j] * layerCount + layer];
  return out;
}

/** The percentile bands of a curve. */
interface Bands {
  median: Float64Array;
  p5: Float64Array;
  p25: Float64Array;
  p75: Float64Array;
  p95: Float64Array;
}

/**
 * A curve whose std and percentile bands are computed on first use: sorting each layer's
 * values is most of a curve's cost (~0.1 s a statistic for 5000 samples), and most views
 * draw the mean alone. Until then it holds the matrix and the kept rows, not a copy.
 */
class SampleCurve implements Curve {
  #bands: Bands | null = null;
  #std: Float64Array | null = null;
  #values: ArrayLike<number> | null;
  #rows: Int32Array | null;

  constructor(
    readonly layerCount: number,
    readonly span: number,
    readonly mean: Float64Array,
    readonly kept: number,
    readonly dropped: number,
    values: ArrayLike<number>,
    rows: Int32Array,
  ) {
    this.#values = values;
    this.#rows = rows;
  }

  /** stdOf per layer over the kept rows, computed on first use (a third pass over the rows most views never need). */
  get std(): Float64Array {
    if (this.#std !== null) return this.#std;
    const values = this.#values as ArrayLike<number>;
    const rows = this.#rows as Int32Array;
    const L = this.layerCount;
    const k = rows.length;
    const mean = this.mean;
    // The same sums in the same order as stdOf on each layer's column (kept rows ascending): the same bits.
    const std = squaredDeviationSums(values, this.kept + this.dropped, L, rows, mean);
    for (let l = 0; l < L; l++) std[l] = k === 0 ? NaN : Math.sqrt(std[l] / k);
    this.#std = std;
    return std;
  }

  get median(): Float64Array {
    return this.#computeBands().median;
  }
  get p5(): Float64Array {
    return this.#computeBands().p5;
  }
  get p25(): Float64Array {
    return this.#computeBands().p25;
  }
  get p75(): Float64Array {
    return this.#computeBands().p75;
  }
  get p95(): Float64Array {
    return this.#computeBands().p95;
  }

  #computeBands(): Bands {
    if (this.#bands !== null) return this.#bands;
    const values = this.#values as ArrayLike<number>;
    const rows = this.#rows as Int32Array;
    const L = this.layerCount;
    const make = () => new Float64Array(L);
    const bands: Bands = { median: make(), p5: make(), p25: make(), p75: make(), p95: make() };
    const column = new Float64Array(rows.length);
    for (let l = 0; l < L; l++) {
      gatherLayer(values, rows, L, l, column).sort(); // typed-array sort is numeric; no NaN left to place
      bands.p5[l] = quantileSorted(column, 0.05);
      bands.p25[l] = quantileSorted(column, 0.25);
      bands.median[l] = quantileSorted(column, 0.5);
      bands.p75[l] = quantileSorted(column, 0.75);
      bands.p95[l] = quantileSorted(column, 0.95);
    }
    this.#bands = bands;
    void this.std; // computed before the matrix is let go
    this.#values = null;
    this.#rows = null;
    return bands;
  }
}

/**
 * The curve of a sample-major [sampleCount × layerCount] matrix (the arithmetic of
 * {@link computeCurve}, for values not held in a Run). Does not modify `values`, and
 * reads it again for the percentile bands on their first use: do not modify it after.
 * With no kept sample (empty or every row has a NaN) every per-layer array is NaN,
 * as numpy's mean of an empty axis. Infinity in a kept row makes that layer's mean ±Infinity
 * (NaN if both signs appear) and its std NaN; percentiles follow {@link quantileSorted}.
 * Example: rows [[1, 10], [3, NaN], [5, 30]] → kept 2, dropped 1, mean [3, 20], std [2, 10].
 */
export function curveFromValues(values: ArrayLike<number>, sampleCount: number, layerCount: number, span = layerCount): Curve {
  // meanOf per layer, computed row by row: the same sums in the same order (kept rows
  // ascending), so the same bits, in one pass over the rows instead of two strided ones per
  // layer. The std follows on first use. Only the first `span` layers decide which rows are kept.
  const { rows, sums: mean } = keptRowSums(values, sampleCount, layerCount, span);
  const k = rows.length;
  for (let l = 0; l < layerCount; l++) mean[l] = k === 0 ? NaN : mean[l] / k;
  return new SampleCurve(layerCount, span, mean, k, sampleCount - k, values, rows);
}

/**
 * The curve of `stat` for `module` in `run`: per layer, the mean (and bands) over the
 * samples whose row for this module and statistic holds no NaN — the drop is per module
 * and per statistic, as in the reference code. Throws for an unknown module or statistic
 * (see statValues). A run with no samples gives all-NaN arrays and kept = dropped = 0.
 */
export function computeCurve(run: Run, module: ModuleKey, stat: StatName): Curve {
  let byKey = curveCache.get(run);
  if (byKey === undefined) {
    byKey = new Map();
    curveCache.set(run, byKey);
  }
  const key = `${module}\u0000${stat}`;
  let curve = byKey.get(key);
  if (curve === undefined) {
    curve = curveFromValues(statValues(run, module, stat), run.sampleCount, run.layerCount, statLayerSpan(run, stat));
    byKey.set(key, curve);
  }
  return curve;
}

/**
 * Curves already computed, per run object: a view, the MAD table and the overlay ask
 * for the same curves, and sorting for the percentile bands is the costly part (a
 * 5000-sample run takes ~0.1 s a statistic). Runs are never modified once built (a live
 * computation makes a new Run for each update), so a run object's curves never go stale;
 * callers must not modify a returned Curve.
 */
const curveCache = new WeakMap<Run, Map<string, Curve>>();

/** One layer's values for the kept samples, with their sample indices, in sample order. */
export interface LayerSamples {
  layer: number;
  /** Sample index (0-based, file order) of each value. */
  samples: Int32Array;
  values: Float64Array;
}

/**
 * The per-sample values at one layer over the samples the curve keeps (same NaN rule
 * as {@link computeCurve}), for drill-down histograms and sample lists. Throws a
 * RangeError when `layer` is not an integer in [0, layerCount).
 * Example: rows [[1, 10], [3, NaN], [5, 30]], layer 1 → samples [0, 2], values [10, 30].
 */
export function layerSamples(run: Run, module: ModuleKey, stat: StatName, layer: number): LayerSamples {
  const L = run.layerCount;
  if (!Number.isInteger(layer) || layer < 0 || layer >= L) {
    throw new RangeError(`layer ${layer} is outside 0..${L - 1}`);
  }
  const values = statValues(run, module, stat);
  const samples = keptRows(values, run.sampleCount, L, statLayerSpan(run, stat));
  return { layer, samples, values: gatherLayer(values, samples, L, layer, new Float64Array(samples.length)) };
}

/**
 * The `count` samples with the highest and the lowest value in `layer` (highest first
 * in `highest`, lowest first in `lowest`; ties by lower sample index). Fewer when fewer
 * samples are kept; empty input → both empty.
 * Example: samples [0, 2, 5], values [10, 30, 20], count 2 → highest [2, 5], lowest [0, 5].
 */
export function extremeSamples(layer: LayerSamples, count: number): { highest: number[]; lowest: number[] } {
  const order = Array.from(layer.samples.keys());
  const byValue = (a: number, b: number) => layer.values[a] - layer.values[b] || layer.samples[a] - layer.samples[b];
  const asc = order.slice().sort(byValue);
  const desc = order
    .slice()
    .sort((a, b) => layer.values[b] - layer.values[a] || layer.samples[a] - layer.samples[b]);
  const n = Math.max(0, Math.min(count, order.length));
  return {
    highest: desc.slice(0, n).map((j) => layer.samples[j]),
    lowest: asc.slice(0, n).map((j) => layer.samples[j]),
  };
}
