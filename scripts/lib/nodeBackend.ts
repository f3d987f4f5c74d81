/**
 * tfjs backends in Node: wasm (SIMD, threads off) from the package's own dist folder,
 * falling back to cpu. Used by the CLI, training, benchmarks and tests.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { useWasmCopyKernels } from '../../src/core/model/wasmCopyKernels';

/** A tfjs backend gradlens can run on in Node. */
export type NodeBackend = 'wasm' | 'cpu';

let wasmPathsSet = false;

/** The dist/ folder of @tensorflow/tfjs-backend-wasm, as a file path ending in a separator. */
export function wasmDistDir(): string {
  const require = createRequire(import.meta.url);
  // The package's "main" lives in dist/, next to the .wasm binaries.
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '/');
}

/**
 * Activate a backend (default wasm) and return the one that is active; wasm falls back
 * to cpu when it cannot initialise. Safe to call repeatedly.
 */
export async function useNodeBackend(preferred: NodeBackend = 'wasm'): Promise<NodeBackend> {
  if (preferred === 'wasm') {
    try {
      if (!wasmPathsSet) {
        tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
        // In Node, emscripten reads the binaries from this folder with fs (a plain path, not a URL).
        setWasmPaths(wasmDistDir());
        useWasmCopyKernels();
        wasmPathsSet = true;
      }
      if (tf.getBackend() !== 'wasm' && !(await tf.setBackend('wasm'))) throw new Error('wasm did not initialise');
      await tf.ready();
      return 'wasm';
    } catch {
      // fall through to cpu
    }
  }
  if (tf.getBackend() !== 'cpu') await tf.setBackend('cpu');
  await tf.ready();
  // The cpu backend prints a banner to install tfjs-node on its first tensor in Node;
  // that package cannot install here (it downloads libtensorflow), and wasm is the fast path.
  (tf.findBackend('cpu') as unknown as { firstUse?: boolean }).firstUse = false;
  return 'cpu';
}
