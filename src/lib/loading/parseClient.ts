/**
 * The page's side of the parse workers: module workers wrapped with comlink, pooled by
 * parsePool (one job per worker, a cancel to the worker that has the job, a worker
 * terminated when it does not stop in time); progress comes back through a proxied
 * callback.
 */
import { proxy, wrap } from 'comlink';
import type { ParseHandler, ParseResult, StoreOutcome } from '../../workers/parseHandler.ts';
import ParseWorker from '../../workers/parse.worker.ts?worker';
import { parseServicePool, poolSize, type ParseService } from './parsePool.ts';

/** One Web Worker as a ParseService. */
function workerService(): ParseService {
  const worker = new ParseWorker();
  const remote = wrap<ParseHandler>(worker);
  return {
    parse(request, onProgress) {
      return remote.parse(request, proxy(onProgress)) as Promise<ParseResult>;
    },
    cancel(jobId) {
      void remote.cancel(jobId);
    },
    stored(runId) {
      return remote.stored(runId) as Promise<StoreOutcome>;
    },
    saveNow() {
      void remote.saveNow();
    },
    terminate() {
      worker.terminate();
    },
  };
}

/** The app's parser: a pool of parse workers (see poolSize), the first started at once. */
export function workerParseService(): ParseService {
  const pool = parseServicePool(workerService, poolSize(globalThis.navigator?.hardwareConcurrency));
  pool.warm?.();
  return pool;
}
