/**
 * Choosing the tfjs backend: the fastest of those that initialise here (webgpu, webgl,
 * wasm, cpu), picked by timing one forward+backward of a tiny model on each, once;
 * an explicit choice overrides the trial. On a machine without a GPU, webgl runs on a
 * software renderer and loses to wasm, which is why we measure rather than assume.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { parseConfig } from './config';
import { forwardLogits, maskedLoss, responseMask } from './llama';
import { disposeParams, initParams } from './params';
import { useWasmCopyKernels } from './wasmCopyKernels';

/** A tfjs backend gradlens knows how to use. */
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** Candidates in order of preference when timings tie. */
export const BACKEND_CANDIDATES: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** Result of trying one backend: milliseconds per forward+backward of the trial model, or why it failed. */
export interface BackendTrial {
  name: BackendName;
  ok: boolean;
  msPerStep?: number;
  error?: string;
}

/** The active backend and the trials that chose it (empty when chosen explicitly). */
export interface BackendChoice {
  active: BackendName;
  trials: BackendTrial[];
}

let chosen: BackendChoice | undefined;
let wasmConfigured = false;

/**
 * Where the wasm binaries are: a URL prefix ending in "/" or a map from file name
 * (`tfjs-backend-wasm.wasm`, `…-simd.wasm`, `…-threaded-simd.wasm`) to URL (Vite `?url`
 * imports). Threads stay off: they crash minified builds and gave nothing on 2 cores.
 */
export function configureWasm(paths: string | Record<string, string>): void {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setWasmPaths(paths);
  useWasmCopyKernels();
  wasmConfigured = true;
}

/** What webgpu needs from the browser: navigator.gpu and its adapter request. */
export interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<unknown>;
}

/**
 * Why webgpu cannot start here, or null when it can: tfjs-backend-webgpu 4.22 reads
 * `adapter.features` without checking that an adapter came back, so where the browser
 * has WebGPU but no adapter (headless Chromium on a machine without a GPU, a blocked
 * GPU) it fails with "TypeError: Cannot read properties of null (reading 'features')".
 * Asking for the adapter first turns that into a reason a user can read. A software
 * fallback adapter (SwiftShader, what headless Chromium gives with
 * --enable-unsafe-webgpu) is refused too: measured here, its trial step is ~9× wasm's
 * and a whole sample took minutes before Dawn refused a buffer.
 */
export async function webgpuUnavailable(gpu: GpuLike | undefined = (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu): Promise<string | null> {
  if (!gpu) return 'this browser has no WebGPU (navigator.gpu; it needs a secure context)';
  const adapter = (await gpu.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null)) as FallbackFlag | null;
  if (!adapter) return 'WebGPU is present but gives no adapter (no usable GPU)';
  if (adapter.isFallbackAdapter || adapter.info?.isFallbackAdapter) return 'WebGPU gives only a software fallback adapter (no GPU; slower than wasm)';
  return null;
}

/** Where a WebGPU adapter says it is a software fallback (`info` since Chrome 136; on the adapter before). */
interface FallbackFlag {
  isFallbackAdapter?: boolean;
  info?: { isFallbackAdapter?: boolean };
}

/** Whether a backend is registered with tfjs in this bundle (webgpu needs its own package). */
function isRegistered(name: BackendName): boolean {
  return tf.findBackendFactory(name) !== null && tf.findBackendFactory(name) !== undefined;
}

/** Milliseconds of one forward+backward of a small model (2 layers, d 32, T 32) on the active backend: the best of three after a warm-up step. */
async function timeTrialStep(): Promise<number> {
  const config = parseConfig({
    model_type: 'llama', vocab_size: 64, hidden_size: 32, intermediate_size: 64,
    num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2,
  });
  const params = initParams(config, 0);
  const t = 32;
  const ids = tf.tensor2d([Array.from({ length: t }, (_, i) => (i * 7) % 64)], [1, t], 'int32');
  const mask = responseMask(t, t / 2);
  const names = ['model.layers.0.self_attn.q_proj.weight', 'model.layers.1.mlp.up_proj.weight'];
  const step = async () => {
    const grads = tf.tidy(() =>
      tf.grads((...ws: tf.Tensor[]) => {
        const p = new Map(params);
        names.forEach((n, i) => p.set(n, ws[i]));
        return maskedLoss(forwardLogits(config, p, ids), ids, mask);
      })(names.map((n) => params.get(n)!)),
    );
    await Promise.all(grads.map((g) => g.data()));
    tf.dispose(grads);
  };
  try {
    await step(); // warm-up: shader compilation, wasm memory growth
    // The best of three: on a busy machine a mean let a burst elsewhere pick webgl over wasm.
    let best = Infinity;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await step();
      best = Math.min(best, performance.now() - t0);
    }
    return best;
  } finally {
    tf.dispose([ids, mask]);
    disposeParams(params);
  }
}

/**
 * Activate a backend. With `override`, use it (throws if it does not initialise);
 * otherwise, on first use, time each registered candidate and keep the fastest; later
 * calls return the remembered choice. wasm must be configured first where its binaries
 * are not next to the script (see configureWasm).
 */
export async function pickBackend(options: { override?: BackendName; candidates?: readonly BackendName[] } = {}): Promise<BackendChoice> {
  if (options.override) {
    const why = options.override === 'webgpu' ? await webgpuUnavailable() : null;
    if (why) throw new Error(`backend webgpu did not initialise: ${why}`);
    if (!(await tf.setBackend(options.override))) throw new Error(`backend ${options.override} did not initialise`);
    await tf.ready();
    chosen = { active: options.override, trials: chosen?.trials ?? [] };
    return chosen;
  }
  if (chosen) {
    if (tf.getBackend() !== chosen.active) await tf.setBackend(chosen.active);
    return chosen;
  }
  const trials: BackendTrial[] = [];
  for (const name of options.candidates ?? BACKEND_CANDIDATES) {
    if (!isRegistered(name)) {
      trials.push({ name, ok: false, error: 'not available in this build' });
      continue;
    }
    if (name === 'wasm' && !wasmConfigured) {
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      useWasmCopyKernels();
    }
    try {
      const why = name === 'webgpu' ? await webgpuUnavailable() : null;
      if (why) throw new Error(why);
      if (!(await tf.setBackend(name))) throw new Error('did not initialise');
      await tf.ready();
      trials.push({ name, ok: true, msPerStep: await timeTrialStep() });
    } catch (e) {
      trials.push({ name, ok: false, error: e instanceof Error ? e.message : String(e) });
    }
  }
  const best = trials.filter((r) => r.ok).sort((a, b) => (a.msPerStep ?? Infinity) - (b.msPerStep ?? Infinity))[0];
  if (!best) throw new Error(`no tfjs backend initialised: ${trials.map((r) => `${r.name}: ${r.error}`).join('; ')}`);
  await tf.setBackend(best.name);
  await tf.ready();
  chosen = { active: best.name, trials };
  return chosen;
}

/** The backend tfjs is using now. */
export function activeBackend(): string {
  return tf.getBackend();
}

/** Forget the remembered choice, so the next pickBackend measures again. */
export function resetBackendChoice(): void {
  chosen = undefined;
}
