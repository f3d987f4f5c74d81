/**
 * The row passes of a curve in WebAssembly (wasm/rowStats.ts): the rows kept by the
 * study's NaN rule, their per-layer sums and squared deviations. Cold JavaScript boxes
 * every double it reads, which made the curves a sixth of a cold CLI read; the kernel
 * does the same sums in the same order, so callers get the same bits as their
 * JavaScript path, which they take whenever these functions return null.
 */
import { compileWasm } from '../format/wasmModule.ts';
import { ROW_STATS_WASM } from './rowStatsWasm.ts';

interface Exports {
  memory: WebAssembly.Memory;
  keptRows(values: number, samples: number, layers: number, rows: number): number;
  rowSums(values: number, layers: number, rows: number, count: number, out: number): void;
  squaredDeviationSums(values: number, layers: number, rows: number, count: number, mean: number, out: number): void;
}

let kernel: Exports | null | undefined;

function instance(): Exports | null {
  if (kernel === undefined) {
    const module = compileWasm(ROW_STATS_WASM);
    try {
      kernel = module === null ? null : (new WebAssembly.Instance(module, {}).exports as unknown as Exports);
    } catch {
      kernel = null;
    }
  }
  return kernel;
}

/** Byte offsets of one call's regions: the matrix at 0, then the row list, the mean and the output. */
interface Layout {
  kernel: Exports;
  rows: number;
  mean: number;
  out: number;
}

/** Copies the [samples × layers] matrix into the kernel's memory (grown as needed); null when it cannot. */
function place(values: Float64Array, samples: number, layers: number): Layout | null {
  const k = instance();
  const cells = samples * layers;
  if (k === null || values.length < cells) return null;
  const rows = cells * 8;
  const mean = rows + Math.ceil((samples * 4) / 8) * 8;
  const out = mean + layers * 8;
  const end = out + layers * 8;
  const have = k.memory.buffer.byteLength;
  if (end > have) {
    try {
      k.memory.grow(Math.ceil((end - have) / 65536));
    } catch {
      return null;
    }
  }
  new Float64Array(k.memory.buffer, 0, cells).set(values.length === cells ? values : values.subarray(0, cells));
  return { kernel: k, rows, mean, out };
}

/** The rows of a sample-major matrix with no NaN, ascending (as keptSampleIndices), and their per-layer sums; null when the kernel is unavailable. */
export function keptRowSums(values: Float64Array, samples: number, layers: number): { rows: Int32Array; sums: Float64Array } | null {
  const at = place(values, samples, layers);
  if (at === null) return null;
  const count = at.kernel.keptRows(0, samples, layers, at.rows);
  at.kernel.rowSums(0, layers, at.rows, count, at.out);
  const buffer = at.kernel.memory.buffer;
  return { rows: new Int32Array(buffer, at.rows, count).slice(), sums: new Float64Array(buffer, at.out, layers).slice() };
}

/** The rows of a sample-major matrix with no NaN, ascending; null when the kernel is unavailable. */
export function keptRows(values: Float64Array, samples: number, layers: number): Int32Array | null {
  const at = place(values, samples, layers);
  if (at === null) return null;
  const count = at.kernel.keptRows(0, samples, layers, at.rows);
  return new Int32Array(at.kernel.memory.buffer, at.rows, count).slice();
}

/** Per layer, the sum of (x − mean)² over the listed rows, in list order; null when the kernel is unavailable. */
export function squaredDeviationSums(values: Float64Array, samples: number, layers: number, rows: Int32Array, mean: Float64Array): Float64Array | null {
  const at = place(values, samples, layers);
  if (at === null) return null;
  const buffer = at.kernel.memory.buffer;
  new Int32Array(buffer, at.rows, rows.length).set(rows);
  new Float64Array(buffer, at.mean, layers).set(mean);
  at.kernel.squaredDeviationSums(0, layers, at.rows, rows.length, at.mean, at.out);
  return new Float64Array(buffer, at.out, layers).slice();
}
