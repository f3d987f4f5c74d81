/**
 * The parse worker's handler: streams a Blob or a URL in chunks through the core's
 * RunParser, reports progress at most every 100 ms, stops when its job is cancelled,
 * and hands the finished Run back with its typed-array buffers transferred, not copied.
 * A plain object, tested directly; `parse.worker.ts` only exposes it.
 */
import { transfer } from 'comlink';
import { runBuffers, type Run } from '../core/format/run.ts';
import { RunParser } from '../core/format/runParser.ts';
import { idbRunStore, type RunStore } from '../lib/state/persist.ts';

/** What to read: a File/Blob from the page, or a URL fetched (streamed) by the worker. */
export type ParseSource = { kind: 'blob'; blob: Blob } | { kind: 'url'; url: string };

/** One parse job; `file` is the path the run's metadata is read from. */
export interface ParseRequest {
  jobId: string;
  source: ParseSource;
  file: string;
  runId: string;
  name?: string;
  /** Save the finished run to the IndexedDB store from here (see RunStore.sharedWithWorkers). */
  persist?: boolean;
}

/** Progress of a job: bytes read from the source (before decompression), samples parsed. */
export interface ParseProgress {
  bytes: number;
  /** Size of the source when known (Blob size, Content-Length), else null. */
  totalBytes: number | null;
  samples: number;
  skipped: number;
}

/** The outcome of a job: the run, or why there is none (with the line when the reader knows it). */
export type ParseResult =
  | { ok: true; run: Run; /** The run is in the IndexedDB store already (asked for, and the write succeeded). */ persisted: boolean }
  | { ok: false; cancelled: boolean; message: string; line: number | null };

/** Minimum time between two progress reports. */
export const PROGRESS_INTERVAL_MS = 100;

let store: RunStore | null = null;

/** Saves a run from the worker; false when IndexedDB is missing or refuses (the page then saves it). */
async function persistRun(run: Run): Promise<boolean> {
  if (typeof indexedDB === 'undefined') return false;
  try {
    await (store ??= idbRunStore()).putRun(run);
    return true;
  } catch {
    return false;
  }
}

const cancelled = new Set<string>();
const running = new Set<string>();

class Cancelled extends Error {}

async function openSource(source: ParseSource): Promise<{ stream: ReadableStream<Uint8Array>; total: number | null }> {
  if (source.kind === 'blob') return { stream: source.blob.stream(), total: source.blob.size };
  const response = await fetch(source.url);
  if (!response.ok || !response.body) throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
  const length = Number(response.headers.get('content-length'));
  return { stream: response.body, total: Number.isFinite(length) && length > 0 ? length : null };
}

function errorLine(error: unknown): number | null {
  const line = (error as { line?: unknown } | null)?.line;
  return typeof line === 'number' && Number.isFinite(line) ? line : null;
}

/**
 * Reads one source to a Run. Never throws: read failures (bad gzip, no usable record,
 * HTTP errors) come back as `{ ok: false }`, cancellation as `{ ok: false, cancelled: true }`.
 * Lines the reader skipped are in `run.skipped`.
 */
export async function parseRequest(
  request: ParseRequest,
  onProgress?: (progress: ParseProgress) => void,
  now: () => number = () => performance.now(),
): Promise<ParseResult> {
  const { jobId } = request;
  running.add(jobId);
  let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  try {
    const { stream, total } = await openSource(request.source);
    const parser = new RunParser(request.file, { id: request.runId, name: request.name, expectedBytes: total ?? undefined });
    reader = stream.getReader();
    let bytes = 0;
    let lastReport = -Infinity;
    const report = () => {
      const p = parser.progress;
      onProgress?.({ bytes, totalBytes: total, samples: p.samples, skipped: p.skipped });
    };
    for (;;) {
      if (cancelled.has(jobId)) throw new Cancelled();
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      parser.push(value);
      const t = now();
      if (t - lastReport >= PROGRESS_INTERVAL_MS) {
        lastReport = t;
        report();
      }
    }
    if (cancelled.has(jobId)) throw new Cancelled();
    const run = parser.finish();
    report();
    const persisted = request.persist === true && (await persistRun(run));
    return { ok: true, run, persisted };
  } catch (error) {
    if (error instanceof Cancelled) {
      await reader?.cancel().catch(() => undefined);
      return { ok: false, cancelled: true, message: 'Cancelled', line: null };
    }
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, cancelled: false, message, line: errorLine(error) };
  } finally {
    running.delete(jobId);
    cancelled.delete(jobId);
  }
}

/** Cancels a running job; it then resolves `{ ok: false, cancelled: true }`. Unknown ids are ignored. */
export function cancelRequest(jobId: string): void {
  if (running.has(jobId)) cancelled.add(jobId);
}

export { runBuffers };

/** The object the worker exposes through comlink. */
export const parseHandler = {
  async parse(request: ParseRequest, onProgress?: (progress: ParseProgress) => void): Promise<ParseResult> {
    const result = await parseRequest(request, onProgress);
    return result.ok ? transfer(result, runBuffers(result.run)) : result;
  },
  cancel(jobId: string): void {
    cancelRequest(jobId);
  },
};

/** The handler's type, for the client's `Comlink.wrap`. */
export type ParseHandler = typeof parseHandler;
