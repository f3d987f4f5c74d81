// The replaced tfjs-wasm kernels (Identity, Slice, SplitV, Concat, Transpose) against
// plain index arithmetic: random shapes and blocks, every rank from 1 to 4, float32 and
// int32, with the tensors' values checked unchanged.
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../../scripts/lib/nodeBackend';
import { copyConcat, copySlice, copyTranspose2d } from '../../../src/core/model/wasmCopyKernels';

beforeAll(async () => {
  expect(await useNodeBackend('wasm')).toBe('wasm');
});

const stridesOf = (shape: readonly number[]) => shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));

/** Every multi-index of `shape`, in row-major order. */
function* indices(shape: readonly number[]): Generator<number[]> {
  const n = shape.reduce((a, b) => a * b, 1);
  const strides = stridesOf(shape);
  for (let flat = 0; flat < n; flat++) yield shape.map((s, i) => Math.floor(flat / strides[i]) % s);
}

function naiveSlice(x: ArrayLike<number>, shape: number[], begin: number[], size: number[]): number[] {
  const strides = stridesOf(shape);
  return [...indices(size)].map((idx) => x[idx.reduce((acc, v, i) => acc + (begin[i] + v) * strides[i], 0)]);
}

/** A shape of rank 1–4 and a block inside it. */
const shapeAndBlock = fc
  .array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 })
  .chain((shape) =>
    fc.tuple(fc.constant(shape), ...shape.map((n) => fc.integer({ min: 0, max: n - 1 }).chain((b) => fc.tuple(fc.constant(b), fc.integer({ min: 1, max: n - b }))))),
  )
  .map(([shape, ...blocks]) => ({ shape: shape as number[], begin: blocks.map((b) => (b as number[])[0]), size: blocks.map((b) => (b as number[])[1]) }));

describe('copySlice, copyConcat and copyTranspose2d', () => {
  it('copy the documented examples', () => {
    const out = new Float32Array(4);
    copySlice(Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3], [0, 1], [2, 2], out);
    expect(Array.from(out)).toEqual([2, 3, 5, 6]);
    const cat = new Float32Array(3);
    copyConcat([{ values: Float32Array.from([1, 2]), shape: [1, 2] }, { values: Float32Array.from([3]), shape: [1, 1] }], 1, cat);
    expect(Array.from(cat)).toEqual([1, 2, 3]);
    const tr = new Float32Array(6);
    copyTranspose2d(Float32Array.from([1, 2, 3, 4, 5, 6]), 2, 3, tr);
    expect(Array.from(tr)).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('copySlice takes any block of any array as index arithmetic does, runs long and short', () => {
    fc.assert(
      fc.property(shapeAndBlock, fc.integer({ min: 1, max: 40 }), ({ shape, begin, size }, scale) => {
        // Scaling the last axis makes runs longer than the loop/subarray threshold.
        const s = [...shape.slice(0, -1), shape[shape.length - 1] * scale];
        const b = [...begin.slice(0, -1), begin[begin.length - 1] * scale];
        const z = [...size.slice(0, -1), size[size.length - 1] * scale];
        const x = Float32Array.from({ length: s.reduce((a, c) => a * c, 1) }, (_, i) => i);
        const out = new Float32Array(z.reduce((a, c) => a * c, 1));
        copySlice(x, s, b, z, out);
        expect(Array.from(out)).toEqual(naiveSlice(x, s, b, z));
      }),
    );
  });

  it('copyTranspose2d transposes matrices larger and smaller than a tile', () => {
    for (const [r, c] of [[1, 1], [1, 7], [17, 3], [33, 40], [64, 16]]) {
      const x = Float32Array.from({ length: r * c }, (_, i) => i);
      const out = new Float32Array(r * c);
      copyTranspose2d(x, r, c, out);
      for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) expect(out[j * r + i]).toBe(x[i * c + j]);
    }
  });
});

describe('the replaced wasm kernels', () => {
  it('slice like tf.slice on plain arrays, for float32 and int32, leaving the input unchanged', () => {
    fc.assert(
      fc.property(shapeAndBlock, fc.boolean(), ({ shape, begin, size }, int) => {
        const n = shape.reduce((a, c) => a * c, 1);
        const values = Array.from({ length: n }, (_, i) => i * 3 - 7);
        const x = tf.tensor(values, shape, int ? 'int32' : 'float32');
        const y = tf.slice(x, begin, size);
        expect(y.shape).toEqual(size);
        expect(y.dtype).toBe(x.dtype);
        expect(Array.from(y.dataSync())).toEqual(naiveSlice(values, shape, begin, size));
        expect(Array.from(x.dataSync())).toEqual(values);
        tf.dispose([x, y]);
      }),
    );
  });

  it('split into equal and unequal parts along every axis, and concat puts them back', () => {
    const x = tf.tensor3d(Array.from({ length: 4 * 6 * 8 }, (_, i) => i), [4, 6, 8]);
    for (let axis = 0; axis < 3; axis++) {
      for (const sizes of [2, [1, x.shape[axis] - 1]] as (number | number[])[]) {
        const pieces = tf.split(x, sizes, axis);
        let at = 0;
        for (const p of pieces) {
          const begin = [0, 0, 0];
          begin[axis] = at;
          expect(Array.from(p.dataSync())).toEqual(naiveSlice(x.dataSync(), x.shape, begin, p.shape));
          at += p.shape[axis];
        }
        const back = tf.concat(pieces, axis);
        expect(back.shape).toEqual(x.shape);
        expect(Array.from(back.dataSync())).toEqual(Array.from(x.dataSync()));
        tf.dispose([...pieces, back]);
      }
    }
    x.dispose();
  });

  it('transpose 2-D swaps (also with axes of size 1) and leave other permutations to the original kernel', () => {
    const cases: [number[], number[]][] = [
      [[5, 7], [1, 0]],
      [[1, 5, 7], [0, 2, 1]],
      [[5, 1, 7], [2, 1, 0]],
      [[2, 3, 4], [2, 0, 1]],
      [[2, 3, 4], [0, 2, 1]],
    ];
    for (const [shape, perm] of cases) {
      const values = Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i);
      const x = tf.tensor(values, shape);
      const y = tf.transpose(x, perm);
      const outShape = perm.map((p) => shape[p]);
      expect(y.shape).toEqual(outShape);
      const xStrides = stridesOf(shape);
      const expected = [...indices(outShape)].map((idx) => values[idx.reduce((acc, v, i) => acc + v * xStrides[perm[i]], 0)]);
      expect(Array.from(y.dataSync()), `${shape} ${perm}`).toEqual(expected);
      tf.dispose([x, y]);
    }
  });

  it('transpose float32 and int32 matrices on each side of the SIMD kernel\'s 4 × 4 blocks and 32 × 32 tiles, touching nothing else', () => {
    for (const [rows, cols] of [[1, 1], [3, 5], [4, 4], [5, 3], [33, 67], [64, 32], [67, 33], [129, 6]]) {
      for (const dtype of ['float32', 'int32'] as const) {
        const values = Array.from({ length: rows * cols }, (_, i) => (dtype === 'int32' ? i - 7 : i * 0.5 - 3.25));
        const before = tf.fill([97], 11, dtype);
        const x = tf.tensor2d(values, [rows, cols], dtype);
        const y = tf.transpose(x);
        const after = tf.fill([97], 13, dtype);
        const expected = Array.from({ length: rows * cols }, (_, k) => values[(k % rows) * cols + Math.floor(k / rows)]);
        expect(Array.from(y.dataSync()), `${dtype} [${rows}, ${cols}]`).toEqual(expected);
        expect(Array.from(x.dataSync())).toEqual(values);
        expect(new Set(before.dataSync()), 'the tensor allocated before').toEqual(new Set([11]));
        expect(new Set(after.dataSync()), 'the tensor allocated after').toEqual(new Set([13]));
        tf.dispose([before, x, y, after]);
      }
    }
  });

  it('clone shares data that outlives the original tensor', () => {
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    const y = tf.clone(x);
    x.dispose();
    expect(y.arraySync()).toEqual([[1, 2], [3, 4]]);
    y.dispose();
  });
});
