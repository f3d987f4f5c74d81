// The compute worker: exposes computeHandler through comlink. The backends the trial
// measures register themselves here: the build gives this worker tfjs-core alone
// (vite.config.ts), not @tensorflow/tfjs with its cpu and webgl; webgpu where the
// browser has an adapter, elsewhere the trial says why it is skipped. On wasm, further
// cores get sample workers of their own; the run's columns go to the page transferred.
import * as Comlink from 'comlink';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { portHelper, type HelperReply, type HelperRequest } from '../core/model/sampleHelpers';
import { createComputeHandler } from './computeHandler';
import { WASM_BINARIES } from './wasmBinaries';

Comlink.expose(
  createComputeHandler({
    wasmPaths: WASM_BINARIES,
    transfer: (event, buffers) => Comlink.transfer(event, buffers),
    cores: navigator.hardwareConcurrency || 1,
    startHelpers: (count, config, params) =>
      Array.from({ length: count }, () => {
        const worker = new Worker(new URL('./sample.worker.ts', import.meta.url), { type: 'module' });
        return portHelper(
          {
            post: (message: HelperRequest, transfer?: ArrayBuffer[]) => worker.postMessage(message, transfer ?? []),
            listen: (onReply) => worker.addEventListener('message', (e: MessageEvent<HelperReply>) => onReply(e.data)),
            close: () => worker.terminate(),
          },
          config,
          params,
        );
      }),
  }),
);
