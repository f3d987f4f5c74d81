/**
 * Eigenvalues of symmetric matrices, and of the smaller Gram matrix of a dense matrix (A Aᵀ or Aᵀ A): the squared
 * singular values of the dense route of singularValues.ts. The Gram matrix and its
 * Householder reduction run in a WebAssembly SIMD kernel (wasm/gramTridiagonal.ts)
 * where one instantiates, ~2-3× faster than the JavaScript of gram.ts and
 * symmetricEigenvalues.ts, which is the fallback; QL on the tridiagonal (O(n²)) stays
 * in JavaScript.
 */
import { compileWasm, growMemory, instantiateWasm } from '../format/wasmModule';
import { gramOfColumns, gramOfRows } from './gram';
import { GRAM_TRIDIAGONAL_WASM } from './gramTridiagonalWasm';
import { symmetricEigenvalues, tridiagonalEigenvalues } from './symmetricEigenvalues';

interface Kernel {
  memory: WebAssembly.Memory;
  gramOfRows(a: number, rows: number, cols: number, k: number): void;
  tridiagonalize(z: number, n: number, d: number, e: number): void;
}

let kernel: Kernel | null | undefined;

/** This thread's instance of the kernel, or null where WebAssembly SIMD is missing. */
function gramKernel(): Kernel | null {
  if (kernel === undefined) kernel = instantiateWasm<Kernel>(compileWasm(GRAM_TRIDIAGONAL_WASM));
  return kernel;
}

/**
 * Eigenvalues, descending, of A Aᵀ when rows ≤ cols, else of Aᵀ A, for the finite
 * row-major A [rows, cols] (min(rows, cols) of them). All NaN when QL does not converge.
 * Example: gramEigenvalues([3, 0, 4, 5], 2, 2) → [45, 5].
 */
export function gramEigenvalues(a: Float64Array, rows: number, cols: number): Float64Array {
  const n = Math.min(rows, cols);
  const wasm = gramKernel();
  // Memory: A (rows ≤ cols only), the n×n Gram matrix, d and e, 8 bytes each.
  const aBytes = rows <= cols ? a.length * 8 : 0;
  const bytes = aBytes + n * n * 8 + 2 * n * 8;
  if (n === 0 || wasm === null || !growMemory(wasm.memory, bytes)) {
    return symmetricEigenvalues(rows <= cols ? gramOfRows(a, rows, cols) : gramOfColumns(a, rows, cols), n);
  }
  const z = aBytes;
  const d = z + n * n * 8;
  const e = d + n * 8;
  const heap = new Float64Array(wasm.memory.buffer);
  if (rows <= cols) {
    heap.set(a, 0);
    wasm.gramOfRows(0, rows, cols, z);
  } else {
    // Aᵀ A as outer products of rows: gram.ts's loop (rare here: gradients are d × d or wider than tall).
    heap.set(gramOfColumns(a, rows, cols), z / 8);
  }
  wasm.tridiagonalize(z, n, d, e);
  return tridiagonalEigenvalues(heap.slice(d / 8, d / 8 + n), heap.slice(e / 8, e / 8 + n), n);
}

/**
 * symmetricEigenvalues (same contract: descending, the lower triangle of the n×n `a`
 * read, all NaN for a non-finite entry) with the Householder reduction in the kernel.
 */
export function symmetricEigenvaluesFast(a: Float64Array, n: number): Float64Array {
  const wasm = gramKernel();
  if (n === 0 || wasm === null || a.length < n * n || !growMemory(wasm.memory, (n * n + 2 * n) * 8)) return symmetricEigenvalues(a, n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) if (!Number.isFinite(a[i * n + j])) return new Float64Array(n).fill(NaN);
  const heap = new Float64Array(wasm.memory.buffer);
  heap.set(a.subarray(0, n * n), 0);
  const d = n * n * 8;
  const e = d + n * 8;
  wasm.tridiagonalize(0, n, d, e);
  return tridiagonalEigenvalues(heap.slice(d / 8, d / 8 + n), heap.slice(e / 8, e / 8 + n), n);
}

/** gramOfRows of gram.ts (A Aᵀ, lower triangle filled, upper 0) computed by the kernel. */
export function gramOfRowsFast(a: Float64Array, rows: number, cols: number): Float64Array {
  const wasm = gramKernel();
  const aBytes = a.length * 8;
  if (rows === 0 || wasm === null || a.length !== rows * cols || !growMemory(wasm.memory, aBytes + rows * rows * 8)) return gramOfRows(a, rows, cols);
  const heap = new Float64Array(wasm.memory.buffer);
  heap.set(a, 0);
  // The kernel leaves the upper triangle as it found it: clear it, as gram.ts returns zeros there.
  heap.fill(0, aBytes / 8, aBytes / 8 + rows * rows);
  wasm.gramOfRows(0, rows, cols, aBytes);
  return heap.slice(aBytes / 8, aBytes / 8 + rows * rows);
}
