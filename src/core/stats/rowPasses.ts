/**
 * The row passes of a curve over a sample-major [samples × layers] matrix: the rows kept
 * by the study's NaN rule, and per layer the sum of those rows and of their squared
 * deviations. Float64Arrays go through a WebAssembly kernel (wasm/rowStats.ts): cold
 * JavaScript boxes every double it reads, which made the curves a sixth of a cold CLI
 * read. Plain arrays, and every input where WebAssembly is refused, take the JavaScript
 * loops below. Both add in the same order (kept rows ascending), so both give the bits
 * of meanOf / stdOf on each layer's column.
 */
import { compileWasm, growMemory, instantiateWasm } from '../format/wasmModule.ts';
import { ROW_STATS_WASM } from './rowStatsWasm.ts';

interface Exports {
  memory: WebAssembly.Memory;
  keptRows(values: number, samples: number, layers: number, rows: number): number;
  rowSums(values: number, layers: number, rows: number, count: number, out: number): void;
  squaredDeviationSums(values: number, layers: number, rows: number, count: number, mean: number, out: number): void;
}

let kernel: Exports | null | undefined;

function instance(): Exports | null {
  if (kernel === undefined) kernel = instantiateWasm<Exports>(compileWasm(ROW_STATS_WASM));
  return kernel;
}

/** True when the WebAssembly kernel runs here (tests use it to know both paths are covered). */
export function rowKernelAvailable(): boolean {
  return instance() !== null;
}

/** Byte offsets of one kernel call's regions: the matrix at 0, then the row list, the mean and the output. */
interface Layout {
  kernel: Exports;
  rows: number;
  mean: number;
  out: number;
}

/** Copies the matrix into the kernel's memory (grown as needed); null for a plain array or when the kernel cannot take it. */
function place(values: ArrayLike<number>, samples: number, layers: number): Layout | null {
  if (!(values instanceof Float64Array)) return null;
  const k = instance();
  const cells = samples * layers;
  if (k === null || values.length < cells) return null;
  const rows = cells * 8;
  const mean = rows + Math.ceil((samples * 4) / 8) * 8;
  const out = mean + layers * 8;
  const end = out + layers * 8;
  if (!growMemory(k.memory, end)) return null;
  new Float64Array(k.memory.buffer, 0, cells).set(values.length === cells ? values : values.subarray(0, cells));
  return { kernel: k, rows, mean, out };
}

/**
 * Indices of the samples kept by the study's rule `x[~np.isnan(x).any(axis=1)]`: rows
 * (length `layers`, sample-major `values`) with no NaN, ascending. ±Infinity is not NaN,
 * so a row holding it is kept. Example: rows [[1, 2], [NaN, 3], [Infinity, 0]] → [0, 2].
 * Zero samples → empty; `layers` 0 → every sample kept (an empty row holds no NaN).
 */
export function keptRows(values: ArrayLike<number>, samples: number, layers: number): Int32Array {
  const at = place(values, samples, layers);
  if (at !== null) {
    const count = at.kernel.keptRows(0, samples, layers, at.rows);
    return new Int32Array(at.kernel.memory.buffer, at.rows, count).slice();
  }
  const kept = new Int32Array(samples);
  let n = 0;
  for (let s = 0; s < samples; s++) {
    let ok = true;
    for (let l = 0, i = s * layers; l < layers; l++, i++) {
      const x = values[i];
      if (x !== x) {
        // NaN (the only value unequal to itself; cheaper than Number.isNaN in code not yet optimized)
        ok = false;
        break;
      }
    }
    if (ok) kept[n++] = s;
  }
  return kept.slice(0, n);
}

/** The kept rows (as keptRows) and, per layer, their sum in row order: one copy into the kernel for both. */
export function keptRowSums(values: ArrayLike<number>, samples: number, layers: number): { rows: Int32Array; sums: Float64Array } {
  const at = place(values, samples, layers);
  if (at !== null) {
    const count = at.kernel.keptRows(0, samples, layers, at.rows);
    at.kernel.rowSums(0, layers, at.rows, count, at.out);
    const buffer = at.kernel.memory.buffer;
    return { rows: new Int32Array(buffer, at.rows, count).slice(), sums: new Float64Array(buffer, at.out, layers).slice() };
  }
  const rows = keptRows(values, samples, layers);
  const sums = new Float64Array(layers);
  for (let j = 0; j < rows.length; j++) {
    for (let l = 0, i = rows[j] * layers; l < layers; l++, i++) sums[l] += values[i];
  }
  return { rows, sums };
}

/** Per layer, the sum of (x − mean)² over the listed rows, in list order. */
export function squaredDeviationSums(values: ArrayLike<number>, samples: number, layers: number, rows: Int32Array, mean: Float64Array): Float64Array {
  const at = place(values, samples, layers);
  if (at !== null) {
    const buffer = at.kernel.memory.buffer;
    new Int32Array(buffer, at.rows, rows.length).set(rows);
    new Float64Array(buffer, at.mean, layers).set(mean);
    at.kernel.squaredDeviationSums(0, layers, at.rows, rows.length, at.mean, at.out);
    return new Float64Array(buffer, at.out, layers).slice();
  }
  const sums = new Float64Array(layers);
  for (let j = 0; j < rows.length; j++) {
    for (let l = 0, i = rows[j] * layers; l < layers; l++, i++) {
      const d = values[i] - mean[l];
      sums[l] += d * d;
    }
  }
  return sums;
}
