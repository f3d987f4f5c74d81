/**
 * One sample's time on tfjs-wasm's threaded build in Node (XNNPACK's thread pool over
 * one shared wasm memory), run as a child of the compute bench:
 *   node --import tsx scripts/bench/computeThreaded.ts '{"config":…,"sample":…}' THREADS REPEATS
 * prints {"threads", "wall", "cpu", "loss"} (seconds, best of REPEATS after a warm-up)
 * and "matMulCores", the CPU seconds per wall second of one large matMul.
 *
 * tfjs-backend-wasm 4.22 cannot start its threaded build in Node as shipped, for two
 * reasons this works around for the measurement only:
 * - it hands Emscripten a `blob:` URL for the pthread worker script, which
 *   worker_threads refuses (ERR_WORKER_PATH), and the worker then loads the main
 *   script from a Blob too; here the worker script is written to a temporary file
 *   (the text tfjs puts in the Blob, captured as the Blob is made) whose `load`
 *   message is pointed at the package's own wasm-out/…-threaded-simd.js;
 * - its C++ caps the pool at navigator.hardwareConcurrency / 2 (os.cpus() / 2 in
 *   Node): 1 thread on a 2-core machine whatever setThreadsCount asks; os.cpus is
 *   widened while the backend starts.
 * gradlens's own SIMD transpose imports a non-shared memory and so falls back to its
 * JavaScript loop on this build (wasmCopyKernels.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import type { LlamaConfig } from '../../src/core/model/config';
import type { EncodedSample } from '../../src/core/model/sampleStats';
import { disposeParams, initParams } from '../../src/core/model/params';
import { sampleStats } from '../../src/core/model/sampleStats';
import { useWasmCopyKernels } from '../../src/core/model/wasmCopyKernels';
import { wasmDistDir } from '../lib/nodeBackend';
import { cpuSeconds } from './cpuTime';

/** Start tfjs-wasm's threaded build with `threads` XNNPACK threads; returns the count it reports. */
async function startThreadedWasm(threads: number): Promise<number> {
  const dir = mkdtempSync(join(os.tmpdir(), 'gradlens-wasm-threads-'));
  const mainScript = join(wasmDistDir(), '../wasm-out/tfjs-backend-wasm-threaded-simd.js');
  const workerFiles = new WeakMap<Blob, string>();
  const { Blob: RealBlob } = globalThis;
  const realObjectUrl = URL.createObjectURL;
  const realCpus = os.cpus;
  globalThis.Blob = class extends RealBlob {
    constructor(parts?: BlobPart[], options?: BlobPropertyBag) {
      super(parts, options);
      // The pthread worker's script is the one Blob of type application/javascript tfjs makes.
      if (options?.type !== 'application/javascript' || !parts?.every((p) => typeof p === 'string')) return;
      const file = join(dir, 'pthread-worker.cjs');
      const redirect = `;(function(){var onload=self.onmessage;self.onmessage=function(e){if(e.data&&e.data.cmd==="load")e.data.urlOrBlob=${JSON.stringify(mainScript)};return onload(e)}})();`;
      writeFileSync(file, `${parts.join('')}\n${redirect}\n`);
      workerFiles.set(this, file);
    }
  };
  URL.createObjectURL = (blob: Blob) => workerFiles.get(blob) ?? realObjectUrl(blob);
  const cpus = realCpus();
  (os as { cpus: typeof os.cpus }).cpus = () => Array.from({ length: 2 * threads }, (_, i) => cpus[i % cpus.length]);
  try {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
    setThreadsCount(threads);
    setWasmPaths(wasmDistDir());
    useWasmCopyKernels();
    if (!(await tf.setBackend('wasm'))) throw new Error('threaded wasm did not initialise');
    await tf.ready();
    return getThreadsCount();
  } finally {
    globalThis.Blob = RealBlob;
    URL.createObjectURL = realObjectUrl;
    (os as { cpus: typeof os.cpus }).cpus = realCpus;
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
}

/**
 * CPU seconds per wall second of a 2-D matMul [512, 256] × [256, 683] (its right
 * operand packed once): how many cores XNNPACK's matMul keeps busy on this build.
 */
function matMulCores(): number {
  const a = tf.randomNormal([512, 256]);
  const b = tf.randomNormal([256, 683]);
  tf.matMul(a, b).dispose();
  const t0 = performance.now();
  const c0 = cpuSeconds();
  for (let i = 0; i < 20; i++) tf.matMul(a, b).dispose();
  const cores = (cpuSeconds() - c0) / ((performance.now() - t0) / 1000);
  tf.dispose([a, b]);
  return cores;
}

const [shapeJson, threadsArg, repeatsArg] = process.argv.slice(2);
const { config, sample } = JSON.parse(shapeJson) as { config: LlamaConfig; sample: EncodedSample };
const threads = await startThreadedWasm(Number(threadsArg));
const params = initParams(config, 1);
const text = { instruction: '', input: '', output: '' };
let loss = Number(sampleStats(config, params, sample, text).loss);
let wall = Infinity;
let cpu = Infinity;
for (let i = 0; i < Number(repeatsArg); i++) {
  const t0 = performance.now();
  const c0 = cpuSeconds();
  loss = Number(sampleStats(config, params, sample, text).loss);
  wall = Math.min(wall, (performance.now() - t0) / 1000);
  cpu = Math.min(cpu, cpuSeconds() - c0);
}
disposeParams(params);
console.log(JSON.stringify({ threads, wall, cpu, loss, matMulCores: matMulCores() }));
// The pool's workers keep the process alive.
process.exit(0);
