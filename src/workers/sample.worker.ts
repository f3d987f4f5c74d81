// A sample helper (src/core/model/sampleHelpers.ts), started by the compute worker for
// each further core: the wasm backend, a copy of the model, whole samples computed.
import { configureWasm, pickBackend } from '../core/model/backend';
import { serveSamples, type HelperReply, type HelperRequest } from '../core/model/sampleHelpers';
import { WASM_BINARIES } from './wasmBinaries';

configureWasm(WASM_BINARIES);
serveSamples(
  {
    post: (reply: HelperReply) => self.postMessage(reply),
    listen: (onRequest) => self.addEventListener('message', (e: MessageEvent<HelperRequest>) => onRequest(e.data)),
  },
  pickBackend({ override: 'wasm' }),
);
