// The compute worker: exposes computeHandler through comlink, with the wasm binaries
// Vite emitted (setWasmPaths wants all three names in a map even with threads off);
// the run's columns go to the page transferred, not copied.
// The webgpu backend registers itself here (browser only) so the backend trial can
// measure it where the browser has WebGPU; elsewhere it fails to initialise and is skipped.
import * as Comlink from 'comlink';
import '@tensorflow/tfjs-backend-webgpu';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import { createComputeHandler } from './computeHandler';

Comlink.expose(
  createComputeHandler({
    wasmPaths: { 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded },
    transfer: (event, buffers) => Comlink.transfer(event, buffers),
  }),
);
