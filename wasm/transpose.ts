/**
 * AssemblyScript with SIMD (compiled by `npm run build:wasm` into
 * src/core/model/transposeWasm.ts). The 2-D float32 transpose of tfjs-wasm tensors,
 * run on tfjs-wasm's own memory (the module imports it), so nothing is copied in or
 * out: out[j][i] = x[i][j] for x [rows, cols] row-major, out [cols, rows].
 *
 * A kernel because attention's backward pass needs Pᵀ and dSᵀ of every head (T × T):
 * JavaScript's blocked loop moves ~2 ns per element, four rows at a time as 4 × 4 SIMD
 * blocks several times less. It allocates nothing and has no data, so it writes only
 * the `out` it is given (byte offsets into the imported memory).
 */

/** Tile edge (elements) of the blocks that stay in cache while they are transposed. */
const TILE: i32 = 32;

export function transpose2d(x: usize, rows: i32, cols: i32, out: usize): void {
  const rows4 = rows & ~3;
  const cols4 = cols & ~3;
  const inRow = <usize>cols << 2;
  const outRow = <usize>rows << 2;
  for (let i0 = 0; i0 < rows4; i0 += TILE) {
    const i1 = min(i0 + TILE, rows4);
    for (let j0 = 0; j0 < cols4; j0 += TILE) {
      const j1 = min(j0 + TILE, cols4);
      for (let i = i0; i < i1; i += 4) {
        const p0 = x + <usize>i * inRow;
        const q0 = out + (<usize>i << 2);
        for (let j = j0; j < j1; j += 4) {
          const p = p0 + (<usize>j << 2);
          const a = v128.load(p);
          const b = v128.load(p + inRow);
          const c = v128.load(p + 2 * inRow);
          const d = v128.load(p + 3 * inRow);
          const ab0 = v128.shuffle<i32>(a, b, 0, 4, 1, 5); // a0 b0 a1 b1
          const ab1 = v128.shuffle<i32>(a, b, 2, 6, 3, 7); // a2 b2 a3 b3
          const cd0 = v128.shuffle<i32>(c, d, 0, 4, 1, 5);
          const cd1 = v128.shuffle<i32>(c, d, 2, 6, 3, 7);
          const q = q0 + <usize>j * outRow;
          v128.store(q, v128.shuffle<i32>(ab0, cd0, 0, 1, 4, 5)); // a0 b0 c0 d0
          v128.store(q + outRow, v128.shuffle<i32>(ab0, cd0, 2, 3, 6, 7));
          v128.store(q + 2 * outRow, v128.shuffle<i32>(ab1, cd1, 0, 1, 4, 5));
          v128.store(q + 3 * outRow, v128.shuffle<i32>(ab1, cd1, 2, 3, 6, 7));
        }
      }
    }
  }
  // The columns past the last multiple of 4 (rows in blocks), then the rows past it.
  for (let i = 0; i < rows4; i++) {
    for (let j = cols4; j < cols; j++) store<f32>(out + ((<usize>j * rows + i) << 2), load<f32>(x + ((<usize>i * cols + j) << 2)));
  }
  for (let i = rows4; i < rows; i++) {
    for (let j = 0; j < cols; j++) store<f32>(out + ((<usize>j * rows + i) << 2), load<f32>(x + ((<usize>i * cols + j) << 2)));
  }
}
