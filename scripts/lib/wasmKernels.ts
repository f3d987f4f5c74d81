/**
 * Compiles gradlens's WebAssembly kernels (AssemblyScript sources in wasm/) and writes
 * each into a TypeScript module of src/core as base64, so the same bytes load in Node,
 * workers and the browser without a loader or a fetch. The test
 * tests/scripts/wasmKernels.test.ts holds the checked-in bytes to a fresh compile.
 */
import asc from 'assemblyscript/asc';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** One kernel: its AssemblyScript entry, the generated module and the constant it exports. */
export interface WasmKernel {
  source: string;
  output: string;
  constant: string;
  /** What the bytes are, for the generated module's comment. */
  what: string;
  /** Compiler flags beyond FLAGS, e.g. `--enable simd`. */
  flags?: readonly string[];
}

export const KERNELS: readonly WasmKernel[] = [
  {
    source: 'wasm/tape.ts',
    output: join(ROOT, 'src/core/format/accelerator/tapeWasm.ts'),
    constant: 'TAPE_WASM',
    what: 'the reader accelerator\'s line tokenizer (see tape.ts beside this file)',
  },
  {
    source: 'wasm/weightedRowSums.ts',
    output: join(ROOT, 'src/core/stats/resampling/weightedRowSumsWasm.ts'),
    constant: 'WEIGHTED_ROW_SUMS_WASM',
    what: 'the WebAssembly weighted row sums of resampling (see rowSums.ts)',
    flags: ['--enable', 'simd'],
  },
  {
    source: 'wasm/transpose.ts',
    output: join(ROOT, 'src/core/model/transposeWasm.ts'),
    constant: 'TRANSPOSE_WASM',
    what: 'the SIMD transpose of tfjs-wasm tensors, run on tfjs-wasm\'s memory (see wasmCopyKernels.ts)',
    flags: ['--enable', 'simd', '--importMemory'],
  },
  {
    source: 'wasm/gramTridiagonal.ts',
    output: join(ROOT, 'src/core/linalg/gramTridiagonalWasm.ts'),
    constant: 'GRAM_TRIDIAGONAL_WASM',
    what: 'the SIMD Gram matrix and Householder tridiagonalization of singular values (see gramEigenvalues.ts)',
    flags: ['--enable', 'simd'],
  },
];

/** x × 2^n for n down to −1100 without passing through a subnormal power of two. */
function ldexp(x: number, n: number): number {
  const a = Math.trunc(n / 2);
  return x * 2 ** a * 2 ** (n - a);
}

/**
 * The source of `wasm/powers.ts`, made here rather than checked in: 10^e for
 * e = −270 … 270 as double-doubles (high parts, then low parts) with a relative error
 * below 2⁻¹⁰⁶, from exact BigInt arithmetic, as static data of the kernel.
 */
export function powersSource(): string {
  const high: number[] = [];
  const low: number[] = [];
  for (let e = -270; e <= 270; e++) {
    let z: bigint;
    let scale = 0;
    if (e >= 0) z = 10n ** BigInt(e);
    else {
      // 10^e = 2^-K × (2^K / 10^-e); K keeps ~120 bits in the quotient.
      const K = Math.ceil(-e * Math.log2(10)) + 121;
      z = (1n << BigInt(K)) / 10n ** BigInt(-e);
      scale = -K;
    }
    const hi = Number(z);
    high.push(ldexp(hi, scale));
    low.push(ldexp(Number(z - BigInt(hi)), scale));
  }
  return [
    '// Made by scripts/lib/wasmKernels.ts at build time (no such file is checked in).',
    '/** 10^e for e = MIN_EXP … MAX_EXP as double-doubles: high parts, then low parts. */',
    `export const POWERS: usize = memory.data<f64>([${[...high, ...low].map((x) => (Number.isInteger(x) ? x.toFixed(1) : String(x))).join(', ')}]);`,
    '',
  ].join('\n');
}

/** Sources made at build time, by path from the repository's root. */
const MADE: Record<string, () => string> = { 'wasm/powers.ts': powersSource };

/** The compiler flags: optimized, no garbage collector (the kernels allocate nothing), no assertions. */
const FLAGS = ['--optimizeLevel', '3', '--shrinkLevel', '0', '--runtime', 'stub', '--noAssert', '--enable', 'bulk-memory'];

/** Compiles one kernel; throws with the compiler's messages on an error. */
export async function compileKernel(kernel: WasmKernel): Promise<Uint8Array> {
  let binary: Uint8Array | null = null;
  let messages = '';
  const { error } = await asc.main([kernel.source, '--outFile', 'kernel.wasm', ...FLAGS, ...(kernel.flags ?? [])], {
    readFile: (name, baseDir) => {
      const made = MADE[relative(ROOT, resolve(ROOT, baseDir, name)).replaceAll('\\', '/')];
      if (made !== undefined) return made();
      try {
        return readFileSync(resolve(ROOT, baseDir, name), 'utf8');
      } catch {
        return null;
      }
    },
    writeFile: (name, contents) => {
      if (name.endsWith('.wasm') && typeof contents !== 'string') binary = contents;
    },
    listFiles: () => [],
    stdout: { write: (text: string | Uint8Array) => (messages += String(text), true) } as never,
    stderr: { write: (text: string | Uint8Array) => (messages += String(text), true) } as never,
  });
  if (error) throw new Error(`asc failed on ${kernel.source}: ${error.message}\n${messages}`);
  if (binary === null) throw new Error(`asc wrote no binary for ${kernel.source}\n${messages}`);
  return binary;
}

/** The generated module's text for a kernel's bytes. */
export function moduleText(kernel: WasmKernel, binary: Uint8Array): string {
  const base64 = Buffer.from(binary).toString('base64');
  return [
    `// Generated by \`npm run build:wasm\` from ${kernel.source} (AssemblyScript); do not edit.`,
    `// The bytes of ${kernel.what}, as base64.`,
    `export const ${kernel.constant} = '${base64}';`,
    '',
  ].join('\n');
}
