/**
 * Sample helpers on worker_threads for the CLI (see src/core/model/sampleHelpers.ts):
 * each thread loads tfjs with the same backend and a copy of the model, and computes
 * whole samples while the main thread computes others.
 */
import { Worker } from 'node:worker_threads';
import type { LlamaConfig } from '../../src/core/model/config';
import type { Params } from '../../src/core/model/params';
import { portHelper, type HelperReply, type HelperRequest, type SampleHelper } from '../../src/core/model/sampleHelpers';
import type { NodeBackend } from './nodeBackend';

/**
 * The thread's script: the bundled one next to this code in dist-cli/, or, when running
 * from sources (this file is .ts), a loader that compiles sampleThread.ts with tsx.
 */
function threadScript(): URL {
  return import.meta.url.endsWith('.ts') ? new URL('./sampleThread.dev.mjs', import.meta.url) : new URL('./sampleThread.cjs', import.meta.url);
}

/**
 * Start `count` helper threads for this model on `backend`; close them when done (they
 * keep the process alive). `script` overrides the thread's script (the bench runs the
 * bundled one from sources).
 */
export function startSampleThreads(count: number, config: LlamaConfig, params: Params, backend: NodeBackend, script: URL = threadScript()): SampleHelper[] {
  return Array.from({ length: count }, () => {
    const worker = new Worker(script, { workerData: { backend } });
    const failures = new Set<(e: Error) => void>();
    const helper = portHelper(
      {
        post: (message: HelperRequest, transfer?: ArrayBuffer[]) => worker.postMessage(message, transfer),
        listen: (onReply: (m: HelperReply) => void) => worker.on('message', onReply),
        close: () => void worker.terminate(),
      },
      config,
      params,
    );
    // A thread that dies (out of memory, a crash) fails the samples it holds instead of hanging.
    worker.on('error', (e) => failures.forEach((f) => f(e)));
    return {
      compute: (job) =>
        new Promise((resolve, reject) => {
          const fail = (e: Error) => reject(new Error(`sample thread: ${e.message}`));
          failures.add(fail);
          helper.compute(job).then(resolve, reject).finally(() => failures.delete(fail));
        }),
      close: () => helper.close(),
    };
  });
}
