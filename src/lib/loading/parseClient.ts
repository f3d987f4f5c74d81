/**
 * The page's side of the parse workers: module workers wrapped with comlink, pooled by
 * parsePool (one job to the least busy worker, a cancel to the worker that has the job);
 * progress comes back through a proxied callback.
 */
import { proxy, wrap } from 'comlink';
import type { ParseHandler, ParseResult } from '../../workers/parseHandler.ts';
import ParseWorker from '../../workers/parse.worker.ts?worker';
import { parseServicePool, poolSize, type ParseService } from './parsePool.ts';

/** One Web Worker as a ParseService. */
function workerService(): ParseService {
  const remote = wrap<ParseHandler>(new ParseWorker());
  return {
    parse(request, onProgress) {
      return remote.parse(request, proxy(onProgress)) as Promise<ParseResult>;
    },
    cancel(jobId) {
      void remote.cancel(jobId);
    },
  };
}

/** The app's parser: a pool of parse workers sized to the machine's cores. */
export function workerParseService(): ParseService {
  return parseServicePool(workerService, poolSize(globalThis.navigator?.hardwareConcurrency));
}
