/**
 * Identity, Slice, SplitV, Concat and 2-D Transpose kernels for tfjs-wasm that copy
 * only what they must, cache-friendly. Its Identity (every tf.clone, and every tensor
 * a custom gradient saves) copied the data, where the cpu backend shares it.
 * tfjs-backend-wasm 4.22 reads the whole input out of the wasm heap into a fresh
 * ArrayBuffer on every slice (`readSync`), so splitting a [T, d] projection into H
 * heads copied it H times, with H large allocations, and its Concat copies each row
 * of each input through a new subarray: splitting attention into 2-D heads cost more
 * than the heads' matMuls. These kernels read and write through views of the heap,
 * taken after the output is allocated (allocating can grow, and so detach, the heap),
 * and copy short runs with a loop instead of a subarray per run. Its Transpose walks
 * the output with a stride of a whole row, a cache miss per element for a [512, 512]
 * matrix; the blocked loop here measured 3-5× faster (scripts/bench/compute.ts), and
 * the SIMD kernel of wasm/transpose.ts, run on tfjs-wasm's own memory, ~3× faster
 * again (0.18 against 0.52 ms for [512, 512]); the loop is its fallback.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { compileWasm } from '../format/wasmModule';
import { TRANSPOSE_WASM } from './transposeWasm';

type HeapArray = Float32Array | Int32Array | Uint8Array;

/** Runs shorter than this are copied element by element (a subarray object costs more). */
const SHORT_RUN = 64;

function copyRun(x: HeapArray, from: number, out: HeapArray, to: number, run: number): void {
  if (run < SHORT_RUN) {
    for (let i = 0; i < run; i++) out[to + i] = x[from + i];
  } else {
    out.set(x.subarray(from, from + run), to);
  }
}

/**
 * Copy the block `begin`/`size` of a row-major array of `shape` into `out` (row-major).
 * Trailing axes taken whole merge into one contiguous run.
 * Example: shape [2, 3], begin [0, 1], size [2, 2] copies x[1..3) and x[4..6).
 */
export function copySlice(x: HeapArray, shape: readonly number[], begin: readonly number[], size: readonly number[], out: HeapArray): void {
  const rank = shape.length;
  if (rank === 0) {
    out[0] = x[0];
    return;
  }
  const strides = new Array<number>(rank);
  strides[rank - 1] = 1;
  for (let j = rank - 2; j >= 0; j--) strides[j] = strides[j + 1] * shape[j + 1];
  // Axes k+1… are whole, so each run spans size[k] · strides[k] elements.
  let k = rank - 1;
  while (k > 0 && size[k] === shape[k]) k--;
  const run = size[k] * strides[k];
  let runs = 1;
  for (let j = 0; j < k; j++) runs *= size[j];
  if (runs === 0 || run === 0) return;
  const index = new Array<number>(k).fill(0);
  let from = begin[k] * strides[k];
  for (let j = 0; j < k; j++) from += begin[j] * strides[j];
  for (let r = 0, to = 0; r < runs; r++, to += run) {
    copyRun(x, from, out, to, run);
    // Next outer index (odometer over axes k-1 … 0).
    for (let j = k - 1; j >= 0; j--) {
      index[j]++;
      from += strides[j];
      if (index[j] < size[j]) break;
      from -= index[j] * strides[j];
      index[j] = 0;
    }
  }
}

/**
 * Concatenate row-major arrays along `axis` into `out`: each input is seen as
 * [outer, inner_i] with outer = product of the axes before `axis`.
 * Example: [[1, 2]] and [[3]] (shapes [1, 2], [1, 1]) along axis 1 → [1, 2, 3].
 */
export function copyConcat(inputs: readonly { values: HeapArray; shape: readonly number[] }[], axis: number, out: HeapArray): void {
  if (inputs.length === 0) return;
  let outer = 1;
  for (let j = 0; j < axis; j++) outer *= inputs[0].shape[j];
  const inner = inputs.map(({ shape }) => shape.slice(axis).reduce((a, b) => a * b, 1));
  const rowLength = inner.reduce((a, b) => a + b, 0);
  for (let o = 0; o < outer; o++) {
    let to = o * rowLength;
    for (let i = 0; i < inputs.length; i++) {
      copyRun(inputs[i].values, o * inner[i], out, to, inner[i]);
      to += inner[i];
    }
  }
}

/** Tile edge of the blocked transpose: 16 × 16 floats of input and output stay in cache. */
const TILE = 16;

/**
 * Transpose a row-major [rows, cols] array into `out` ([cols, rows]), tile by tile.
 * Example: [1, 2, 3, 4, 5, 6] as [2, 3] → [1, 4, 2, 5, 3, 6].
 */
export function copyTranspose2d(x: HeapArray, rows: number, cols: number, out: HeapArray): void {
  // One loop per element type keeps each monomorphic (a loop over the union ran ~1.5× slower).
  if (x instanceof Float32Array && out instanceof Float32Array) transposeFloat32(x, rows, cols, out);
  else transposeAny(x, rows, cols, out);
}

function transposeFloat32(x: Float32Array, rows: number, cols: number, out: Float32Array): void {
  for (let i0 = 0; i0 < rows; i0 += TILE) {
    const i1 = Math.min(rows, i0 + TILE);
    for (let j0 = 0; j0 < cols; j0 += TILE) {
      const j1 = Math.min(cols, j0 + TILE);
      for (let i = i0; i < i1; i++) {
        const row = i * cols;
        for (let j = j0; j < j1; j++) out[j * rows + i] = x[row + j];
      }
    }
  }
}

function transposeAny(x: HeapArray, rows: number, cols: number, out: HeapArray): void {
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = x[i * cols + j];
}

/** wasm/transpose.ts: out = xᵀ for 32-bit elements, at byte offsets of tfjs-wasm's memory. */
type SimdTranspose = (x: number, rows: number, cols: number, out: number) => void;

const simdTransposes = new WeakMap<BackendWasm, SimdTranspose | null>();

/**
 * The SIMD transpose instantiated on this backend's own memory (it imports it, so it
 * reads and writes tensors in place), or null where it cannot be (no SIMD, or a build
 * whose memory is not reachable): the JavaScript loop above serves then.
 */
function simdTranspose(backend: BackendWasm): SimdTranspose | null {
  if (simdTransposes.has(backend)) return simdTransposes.get(backend)!;
  let kernel: SimdTranspose | null = null;
  const memory = (backend.wasm as unknown as { asm?: { memory?: unknown } }).asm?.memory;
  const module = memory instanceof WebAssembly.Memory ? compileWasm(TRANSPOSE_WASM) : null;
  if (module && memory instanceof WebAssembly.Memory) {
    try {
      kernel = (new WebAssembly.Instance(module, { env: { memory } }).exports as { transpose2d: SimdTranspose }).transpose2d;
    } catch {
      kernel = null;
    }
  }
  simdTransposes.set(backend, kernel);
  return kernel;
}

/** Byte offset of a tensor's data in tfjs-wasm's memory. */
function heapOffset(backend: BackendWasm, t: tf.TensorInfo): number {
  return backend.dataIdMap.get(t.dataId)!.memoryOffset;
}

function sliceWasm(backend: BackendWasm, x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
  const out = backend.makeOutput(size, x.dtype);
  // Views taken after makeOutput: allocating may have grown the heap.
  copySlice(backend.typedArrayFromHeap(x) as HeapArray, x.shape, begin, size, backend.typedArrayFromHeap(out) as HeapArray);
  return out;
}

function replaceKernel(name: string, kernelFunc: (original: tf.KernelFunc) => tf.KernelFunc): void {
  const original = tf.getKernel(name, 'wasm')!;
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ ...original, kernelFunc: kernelFunc(original.kernelFunc) });
}

let replaced = false;

/**
 * Replace tfjs-wasm's Identity, Slice, SplitV, Concat and Transpose kernels by the
 * ones above; Identity shares the input's data as the cpu backend does (strings, empty tensors and transposes that are not a 2-D swap once axes of size 1
 * are dropped still go to the original kernels). Idempotent; does
 * nothing where the wasm backend is not bundled. Call before running models on wasm.
 */
export function useWasmCopyKernels(): void {
  if (replaced || !['Identity', 'Slice', 'SplitV', 'Concat', 'Transpose'].every((k) => tf.getKernel(k, 'wasm'))) return;
  replaced = true;
  replaceKernel('Identity', (original) => (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype === 'string') return original(args);
    (args.backend as BackendWasm).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  });
  replaceKernel('Slice', (original) => (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype === 'string') return original(args);
    const [begin, size] = tf.slice_util.parseSliceParams(x, args.attrs!.begin as number[], args.attrs!.size as number[]);
    return sliceWasm(args.backend as BackendWasm, x, begin, size);
  });
  replaceKernel('SplitV', (original) => (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype === 'string') return original(args);
    const axis = tf.util.parseAxisParam(args.attrs!.axis as number, x.shape)[0];
    const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, args.attrs!.numOrSizeSplits as number | number[], axis);
    const begin = new Array<number>(x.shape.length).fill(0);
    return sizes.map((s) => {
      const size = x.shape.slice();
      size[axis] = s;
      const out = sliceWasm(args.backend as BackendWasm, x, begin, size);
      begin[axis] += s;
      return out;
    });
  });
  replaceKernel('Concat', (original) => (args) => {
    const inputs = Object.values(args.inputs) as tf.TensorInfo[];
    const nonEmpty = inputs.filter((t) => tf.util.sizeFromShape(t.shape) > 0);
    if (nonEmpty.length < 2 || nonEmpty[0].dtype === 'string') return original(args);
    const backend = args.backend as BackendWasm;
    const axis = tf.util.parseAxisParam(args.attrs!.axis as number, nonEmpty[0].shape)[0];
    tf.backend_util.assertParamsConsistent(inputs.map((t) => t.shape), axis);
    const out = backend.makeOutput(tf.backend_util.computeOutShape(inputs.map((t) => t.shape), axis), nonEmpty[0].dtype);
    const views = nonEmpty.map((t) => ({ values: backend.typedArrayFromHeap(t) as HeapArray, shape: t.shape }));
    copyConcat(views, axis, backend.typedArrayFromHeap(out) as HeapArray);
    return out;
  });
  replaceKernel('Transpose', (original) => (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    const perm = args.attrs!.perm as number[];
    // The axes that are not 1, in input order and in output order: a 2-D swap when there are two and they trade places.
    const kept = x.shape.map((n, i) => (n === 1 ? -1 : i)).filter((i) => i >= 0);
    const order = perm.filter((i) => x.shape[i] !== 1);
    if (x.dtype === 'string' || kept.length !== 2 || order[0] !== kept[1]) return original(args);
    const backend = args.backend as BackendWasm;
    const out = backend.makeOutput(perm.map((i) => x.shape[i]), x.dtype);
    const simd = x.dtype === 'float32' || x.dtype === 'int32' ? simdTranspose(backend) : null;
    if (simd) {
      simd(heapOffset(backend, x), x.shape[kept[0]], x.shape[kept[1]], heapOffset(backend, out));
      return out;
    }
    copyTranspose2d(backend.typedArrayFromHeap(x) as HeapArray, x.shape[kept[0]], x.shape[kept[1]], backend.typedArrayFromHeap(out) as HeapArray);
    return out;
  });
}
