/**
 * The page's side of the parse worker: one module worker, wrapped with comlink. Jobs
 * run concurrently inside it; progress comes back through a proxied callback.
 */
import { proxy, wrap, type Remote } from 'comlink';
import type { ParseHandler, ParseProgress, ParseRequest, ParseResult } from '../../workers/parseHandler.ts';
import ParseWorker from '../../workers/parse.worker.ts?worker';

/** What AppState needs from a parser (the worker in the app, the handler itself in tests). */
export interface ParseService {
  parse(request: ParseRequest, onProgress: (progress: ParseProgress) => void): Promise<ParseResult>;
  cancel(jobId: string): void;
}

/** A ParseService backed by a Web Worker, started on first use. */
export function workerParseService(): ParseService {
  let remote: Remote<ParseHandler> | null = null;
  const get = () => (remote ??= wrap<ParseHandler>(new ParseWorker()));
  return {
    parse(request, onProgress) {
      return get().parse(request, proxy(onProgress)) as Promise<ParseResult>;
    },
    cancel(jobId) {
      void get().cancel(jobId);
    },
  };
}
