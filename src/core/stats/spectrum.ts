/**
 * Singular-value spectra of a follow-up run (`S_list`, arXiv 2504.10766): for one layer
 * and module, σ₁ ≥ σ₂ ≥ … averaged over samples rank by rank, with a percentile band;
 * the normalised spectrum pᵢ = σᵢ / Σσ whose entropy gives the effective rank; and the
 * log-spaced rank bins a layers × rank-index heatmap pools a long tail in.
 */
import type { ModuleKey, Run } from '../format/run.ts';
import { quantileSorted } from './quantile.ts';

/** σᵢ as written, or pᵢ = σᵢ / Σσ (the distribution whose exp-entropy is the effective rank). */
export type SpectrumScale = 'sigma' | 'normalised';

/** The spectrum of one (run, module, layer), rank index i = 0 for σ₁. */
export interface Spectrum {
  /** Mean over the kept samples that have rank index i (lists can differ in length when a file mixes shapes). */
  mean: Float64Array;
  /** Percentiles of the same samples at each rank index (numpy's linear rule), when a band was asked for. */
  lo?: Float64Array;
  hi?: Float64Array;
  /** Samples kept (a list with no NaN, and for `normalised` a positive Σσ) and dropped. */
  kept: number;
  dropped: number;
}

/** Whether `run` holds singular-value lists for `module`. */
export function hasSpectrum(run: Run, module: ModuleKey): boolean {
  const s = run.spectra?.get(module);
  return s !== undefined && s.values.length > 0;
}

/** The modules of `run` with singular-value lists, in the run's order. */
export function spectrumModules(run: Run): ModuleKey[] {
  return run.modules.filter((m) => hasSpectrum(run, m));
}

/**
 * Each sample's list at (module, layer), scaled: σ as written, or σ / Σσ with Σσ the
 * sample's `S_sum` (derived by the reader from the whole list, so a list cut at
 * --limit spectrum-ranks still sums to what the file gave) or, without it, the list's
 * own sum. A list is left out (dropped) when empty, when it holds a NaN (the study's
 * NaN rule, per list) or, normalised, when Σσ is not positive (a zero gradient has no
 * distribution). Returns the kept lists and the dropped count.
 */
function scaledLists(run: Run, module: ModuleKey, layer: number, scale: SpectrumScale): { lists: Float64Array[]; dropped: number } {
  const spectra = run.spectra?.get(module);
  const L = run.layerCount;
  const lists: Float64Array[] = [];
  let dropped = 0;
  if (spectra === undefined || !(layer >= 0 && layer < L)) return { lists, dropped: run.sampleCount };
  const sSum = run.values.get(module)?.get('S_sum');
  for (let s = 0; s < run.sampleCount; s++) {
    const cell = s * L + layer;
    const from = spectra.offsets[cell];
    const to = spectra.offsets[cell + 1];
    const list = Float64Array.from(spectra.values.subarray(from, to));
    let total = 0;
    let nan = list.length === 0;
    for (const x of list) {
      if (x !== x) nan = true;
      total += x;
    }
    if (scale === 'normalised') {
      const whole = sSum !== undefined && !Number.isNaN(sSum[cell]) ? sSum[cell] : total;
      if (!(whole > 0)) nan = true;
      else for (let i = 0; i < list.length; i++) list[i] /= whole;
    }
    if (nan) dropped++;
    else lists.push(list);
  }
  return { lists, dropped };
}

/**
 * The mean spectrum of `module` at `layer` over the samples whose list is kept (see
 * scaledLists): mean[i] averages the kept lists that have an entry i. `band` [p, q]
 * (fractions, e.g. [0.25, 0.75]) adds those percentiles per rank index. A layer outside
 * the run or a module without lists → empty arrays, every sample dropped.
 * Example: lists [4, 2] and [2, 0] → mean [3, 1]; normalised → [(2/3 + 1)/2, (1/3 + 0)/2].
 */
export function spectrumOf(run: Run, module: ModuleKey, layer: number, scale: SpectrumScale, band?: readonly [number, number]): Spectrum {
  const { lists, dropped } = scaledLists(run, module, layer, scale);
  const ranks = lists.reduce((m, l) => Math.max(m, l.length), 0);
  const mean = new Float64Array(ranks);
  const count = new Uint32Array(ranks);
  for (const list of lists) {
    for (let i = 0; i < list.length; i++) {
      mean[i] += list[i];
      count[i]++;
    }
  }
  for (let i = 0; i < ranks; i++) mean[i] /= count[i];
  const out: Spectrum = { mean, kept: lists.length, dropped };
  if (band !== undefined) {
    const lo = new Float64Array(ranks);
    const hi = new Float64Array(ranks);
    const column = new Float64Array(lists.length);
    for (let i = 0; i < ranks; i++) {
      let n = 0;
      for (const list of lists) if (i < list.length) column[n++] = list[i];
      const sorted = column.subarray(0, n).sort();
      lo[i] = quantileSorted(sorted, band[0]);
      hi[i] = quantileSorted(sorted, band[1]);
    }
    out.lo = lo;
    out.hi = hi;
  }
  return out;
}

/**
 * Rank-index bins for a log-scaled rank axis of `ranks` entries: at most `most` bins,
 * each [start, end) of rank indices, log-spaced in rank (1-based) so the first ranks keep
 * a bin each and the tail is pooled. ranks ≤ most → one bin per rank index.
 * Example: logBins(4, 8) → [[0,1],[1,2],[2,3],[3,4]].
 */
export function logBins(ranks: number, most: number): [number, number][] {
  if (ranks <= most) return Array.from({ length: ranks }, (_, i) => [i, i + 1]);
  const bins: [number, number][] = [];
  let start = 0;
  for (let b = 1; b <= most && start < ranks; b++) {
    const end = Math.min(ranks, Math.max(start + 1, Math.round(Math.exp((Math.log(ranks) * b) / most))));
    bins.push([start, end]);
    start = end;
  }
  if (start < ranks) bins[bins.length - 1][1] = ranks;
  return bins;
}

/** The mean of `values` over each bin's indices (NaN entries skipped; NaN when a bin has none). */
export function binMeans(values: ArrayLike<number>, bins: readonly (readonly [number, number])[]): Float64Array {
  return Float64Array.from(bins, ([a, b]) => {
    let sum = 0;
    let n = 0;
    for (let i = a; i < b && i < values.length; i++) {
      if (values[i] === values[i]) {
        sum += values[i];
        n++;
      }
    }
    return n === 0 ? NaN : sum / n;
  });
}
