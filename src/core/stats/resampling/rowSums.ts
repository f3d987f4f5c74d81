/**
 * Weighted sums of a matrix's rows, four weight vectors at a time: the one inner loop of
 * every bootstrap resample (weights = how many times each sample was drawn) and every
 * permutation (weights 0 or 1). A WebAssembly SIMD kernel (wasm/weightedRowSums.ts)
 * runs it where WebAssembly SIMD is available; elsewhere the JavaScript loop below does
 * the same additions in the same order, so both give the same bits.
 */
import { compileWasm, growMemory, instantiateWasm } from '../../format/wasmModule.ts';
import { WEIGHTED_ROW_SUMS_WASM } from './weightedRowSumsWasm.ts';

interface Exports {
  memory: WebAssembly.Memory;
  weightedRowSums(x: number, rows: number, width: number, weights: number, weightStride: number, out: number): void;
}

/** How many weight vectors one call sums with. */
export const BLOCK = 4;

let compiled: WebAssembly.Module | null | undefined;

function kernelModule(): WebAssembly.Module | null {
  if (compiled === undefined) compiled = compileWasm(WEIGHTED_ROW_SUMS_WASM);
  return compiled;
}

/** True when the WebAssembly kernel runs here (tests use it to know both paths are covered). */
export function rowSumsKernelAvailable(): boolean {
  return kernelModule() !== null;
}

/**
 * A matrix held for repeated weighted row sums. Write the four weight vectors into
 * `weights` (vector q at `q * rows + k`, row k), call `sum(first, count)`, and read
 * `out` (vector q's sums at `q * width + j`, column j):
 * out[q][j] = Σ_{first ≤ k < first + count} weights[q][k] · matrix[k][j], rows ascending.
 * `width` is the matrix's column count rounded up to a multiple of 4 (padding columns sum to 0).
 */
export interface RowSums {
  readonly rows: number;
  readonly width: number;
  readonly weights: Float64Array;
  readonly out: Float64Array;
  sum(first: number, count: number): void;
  /** Done with it: its kernel instance may serve the next matrix (do not use this one after). */
  release(): void;
}

/** Columns rounded up to the kernel's multiple of four. */
function paddedWidth(columns: number): number {
  return Math.ceil(columns / 4) * 4;
}

/**
 * Holds the row-major [rows × columns] `matrix` for weighted sums (copied; the input is
 * not modified). `useKernel: false` forces the JavaScript loop (for tests and where the
 * kernel is refused, which it also falls back to by itself).
 * Example: matrix [[1, 2], [3, 4]], weights[0] = [2, 1] → out[0] starts [5, 8].
 */
export function createRowSums(matrix: ArrayLike<number>, rows: number, columns: number, useKernel = true): RowSums {
  const width = paddedWidth(columns);
  const kernel = useKernel ? kernelSums(matrix, rows, columns, width) : null;
  return kernel ?? scriptSums(matrix, rows, columns, width);
}

/** Copies rows of `columns` values into a row-major array of stride `width`. */
function placeRows(target: Float64Array, matrix: ArrayLike<number>, rows: number, columns: number, width: number): void {
  for (let k = 0; k < rows; k++) {
    for (let j = 0; j < columns; j++) target[k * width + j] = matrix[k * columns + j];
  }
}

/**
 * Kernel instances no RowSums holds. A new instance reserves a new WebAssembly memory,
 * which cost ~1 ms and a garbage collection per small comparison; released ones are kept
 * unless their memory grew past {@link POOLED_BYTES}.
 */
const pool: Exports[] = [];
const POOLED_BYTES = 64 * 1024 * 1024;

/** The kernel path: an instance of its own (from the pool) laid out [matrix | weights | out]; null when WebAssembly SIMD is refused. */
function kernelSums(matrix: ArrayLike<number>, rows: number, columns: number, width: number): RowSums | null {
  const kernel = pool.pop() ?? instantiateWasm<Exports>(kernelModule() ?? null);
  if (kernel === null) return null;
  const x = 0;
  const weightsAt = x + rows * width * 8;
  const outAt = weightsAt + BLOCK * rows * 8;
  const end = outAt + BLOCK * width * 8;
  if (!growMemory(kernel.memory, end)) return null;
  const buffer = kernel.memory.buffer;
  placeRows(new Float64Array(buffer, x, rows * width), matrix, rows, columns, width);
  const weights = new Float64Array(buffer, weightsAt, BLOCK * rows);
  const out = new Float64Array(buffer, outAt, BLOCK * width);
  return {
    rows,
    width,
    weights,
    out,
    sum(first, count) {
      kernel.weightedRowSums(x + first * width * 8, count, width, weightsAt + first * 8, rows * 8, outAt);
    },
    release() {
      if (kernel.memory.buffer.byteLength <= POOLED_BYTES && !pool.includes(kernel)) pool.push(kernel);
    },
  };
}

/** The JavaScript path: the kernel's additions in the kernel's order. */
function scriptSums(matrix: ArrayLike<number>, rows: number, columns: number, width: number): RowSums {
  const x = new Float64Array(rows * width);
  placeRows(x, matrix, rows, columns, width);
  const weights = new Float64Array(BLOCK * rows);
  const out = new Float64Array(BLOCK * width);
  return {
    rows,
    width,
    weights,
    out,
    sum(first, count) {
      out.fill(0);
      for (let q = 0; q < BLOCK; q++) {
        const o = q * width;
        for (let k = first; k < first + count; k++) {
          const w = weights[q * rows + k];
          const p = k * width;
          for (let j = 0; j < width; j++) out[o + j] += w * x[p + j];
        }
      }
    },
    release() {},
  };
}
