/**
 * The parse worker's handler: reads a Blob or a URL through the core's RunParser with
 * the next read in flight while a chunk is parsed, reports progress at most every
 * 250 ms, stops when its job is cancelled, and hands the finished Run back with its
 * typed-array buffers transferred. When asked, it saves the run with its entry to the
 * shared store once it has no more files to read and the page has drawn what it was
 * given (`saveNow`; runs saved together go in one transaction); the page asks
 * `stored(runId)` for the outcome. A plain object, tested directly; `parse.worker.ts`
 * only exposes it.
 */
import { transfer } from 'comlink';
import { runBuffers, type Run } from '../core/format/run.ts';
import { RunParser } from '../core/format/runParser.ts';
import { batchedWrites } from '../storage/batchedWrites.ts';
import { idbRunStore, type IdbRunStore, type StoredItem } from '../storage/idbRunStore.ts';
import type { StoredEntry } from '../storage/runStore.ts';
import { copyTexts, toStoredRun } from '../storage/storedRun.ts';

/** What to read: a File/Blob from the page, or a URL fetched (streamed) by the worker. */
export type ParseSource = { kind: 'blob'; blob: Blob } | { kind: 'url'; url: string };

/** One parse job; `file` is the path the run's metadata is read from. */
export interface ParseRequest {
  jobId: string;
  source: ParseSource;
  file: string;
  runId: string;
  name?: string;
  /** Save the finished run to the shared store with this entry, after handing it over (see RunStore.sharedWithWorkers). */
  save?: StoredEntry;
}

/** Progress of a job: bytes read from the source (before decompression), samples parsed. Reported once when the job starts. */
export interface ParseProgress {
  bytes: number;
  /** Size of the source when known (Blob size, Content-Length), else null. */
  totalBytes: number | null;
  samples: number;
  skipped: number;
}

/** The outcome of a job: the run, or why there is none (with the line when the reader knows it). */
export type ParseResult = { ok: true; run: Run } | { ok: false; cancelled: boolean; message: string; line: number | null };

/**
 * What became of saving a run: stored; not stored, with a one-line reason (`quota`:
 * storage is full); or not attempted here (`retry`: no store in this worker, or the
 * worker was stopped), so the page saves it itself.
 */
export type StoreOutcome = { ok: true } | { ok: false; message: string; quota: boolean; retry: boolean };

/** Minimum time between two progress reports (each one re-lays the page out and repaints its bar). */
export const PROGRESS_INTERVAL_MS = 250;
/** Bytes handed to the parser at a time (each of the two read buffers). */
export const CHUNK_BYTES = 2 << 20;
/** The smallest read buffer made (a small file's buffers are sized to it). */
const MIN_CHUNK_BYTES = 64 << 10;
/** The longest the handler works without letting other messages (a cancel) in. */
const YIELD_EVERY_MS = 20;
/** Stored copies held for saving once the worker has no file to read, at most (past it they are saved at once). */
const SAVE_BACKLOG_BYTES = 256 << 20;
/** How long saves wait for the page's `saveNow` once the worker has no file to read (a page that never says). */
export const SAVE_WAIT_MS = 5000;
/** How long saves wait after the page's `saveNow` for another file (one is often chosen right after the last). */
export const SAVE_QUIET_MS = 1000;

let store: IdbRunStore | null = null;
let writes: ReturnType<typeof batchedWrites<StoredItem>> | null = null;
const stores = new Map<string, Promise<StoreOutcome>>();

/** Queues a run's save (one transaction per batch); the outcome is kept for `stored(runId)`. */
function saveRun(item: StoredItem): Promise<StoreOutcome> {
  if (typeof indexedDB === 'undefined') return Promise.resolve({ ok: false, message: 'no IndexedDB in this worker', quota: false, retry: true });
  writes ??= batchedWrites<StoredItem>(
    (items) => (store ??= idbRunStore()).putStored(items),
    (item) => item.stored.id,
  );
  return writes.enqueue(item).then((o) => (o.ok ? o : { ok: false, message: o.error.message, quota: o.error.quota, retry: false }));
}

const cancelled = new Set<string>();
const running = new Set<string>();
/** Jobs given to this worker that wait for the one being read (see parseHandler.parse). */
const queued = new Set<string>();
let turn: Promise<unknown> = Promise.resolve();

/**
 * Saves wait until this worker has no file to read and the page has drawn the runs
 * (`saveNow`), then SAVE_QUIET_MS more: writing a run (copies into Blobs, the IndexedDB
 * put in the browser's threads) while a file is parsed or the page draws would take the
 * cores from them. They are written a small batch at a time (SAVE_BATCH_BYTES,
 * SAVE_BATCH_RUNS), and a file chosen meanwhile stops them after the batch under way.
 */
const unsaved: { item: StoredItem; bytes: number; done: (outcome: StoreOutcome) => void }[] = [];
let unsavedBytes = 0;
/** The page has drawn its runs (or never said, see SAVE_WAIT_MS) and no job came since. */
let savesMayGo = false;
let writing = false;
let saveTimer: ReturnType<typeof setTimeout> | null = null;
/** Bytes and runs written in one transaction, at most (one run may be larger): a file chosen meanwhile waits for one batch. */
const SAVE_BATCH_BYTES = 8 << 20;
const SAVE_BATCH_RUNS = 16;

/** Queues a run's save; resolves with its outcome once written (see writeSaves). */
function queueSave(item: StoredItem, bytes: number): Promise<StoreOutcome> {
  return new Promise((done) => {
    unsaved.push({ item, bytes, done });
    unsavedBytes += bytes;
    void writeSaves();
  });
}

/** No file is read or waiting to be read. */
const idle = () => running.size === 0 && queued.size === 0;

/** Whether saves may be written now: nothing to read and the page has drawn, or too many copies waiting. */
function mayWrite(): boolean {
  return (savesMayGo && idle()) || unsavedBytes > SAVE_BACKLOG_BYTES;
}

/** Writes the waiting saves a batch at a time, while they may be written. */
async function writeSaves(): Promise<void> {
  if (writing) return;
  writing = true;
  try {
    while (unsaved.length > 0 && mayWrite()) {
      let bytes = 0;
      let n = 0;
      while (n < unsaved.length && (n === 0 || (n < SAVE_BATCH_RUNS && bytes + unsaved[n].bytes <= SAVE_BATCH_BYTES))) bytes += unsaved[n++].bytes;
      const batch = unsaved.splice(0, n);
      unsavedBytes -= bytes;
      // Enqueued in one task: one transaction.
      const outcomes = await Promise.all(batch.map((s) => saveRun(s.item)));
      batch.forEach((s, i) => s.done(outcomes[i]));
    }
  } finally {
    writing = false;
  }
}

/** Lets the saves go in `ms` (sooner or later than a time already set), unless a job comes first. */
function saveIn(ms: number): void {
  holdSaves();
  saveTimer = setTimeout(() => {
    saveTimer = null;
    savesMayGo = true;
    void writeSaves();
  }, ms);
}

/** A job came: the saves wait for the page again. */
function holdSaves(): void {
  if (saveTimer !== null) clearTimeout(saveTimer);
  saveTimer = null;
  savesMayGo = false;
}

/** Once nothing is read or queued, lets the saves go after SAVE_WAIT_MS unless the page says sooner. */
function saveWhenIdle(): void {
  if (unsaved.length > 0 && saveTimer === null && !savesMayGo && idle()) saveIn(SAVE_WAIT_MS);
}

class Cancelled extends Error {}

/** A macrotask boundary: lets queued messages (a cancel) run. */
function yieldToMessages(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** A source's bytes, chunk by chunk; a chunk is valid until the next call of `next` (its memory is reused). */
interface Chunks {
  total: number | null;
  next(): Promise<Uint8Array | null>;
  cancel(): Promise<void>;
}

/**
 * Reads a byte stream into two buffers of up to CHUNK_BYTES taken in turn: while the
 * parser works on one, the other is being filled. The same memory serves the whole file
 * and the next ones (a fresh buffer per read costs its page faults, which is most of
 * reading a file). A stream that cannot be read into a given buffer (no BYOB reader)
 * gives its own chunks.
 */
function streamChunks(stream: ReadableStream<Uint8Array>, total: number | null): Chunks {
  let byob: ReadableStreamBYOBReader | null = null;
  try {
    byob = stream.getReader({ mode: 'byob' });
  } catch {
    // Not a byte stream: its default reader below.
  }
  if (byob === null) {
    const reader = stream.getReader();
    let ahead: Promise<ReadableStreamReadResult<Uint8Array>> | null = reader.read();
    return {
      total,
      async next() {
        if (ahead === null) return null;
        const { done, value } = await ahead;
        ahead = done ? null : reader.read();
        return done ? null : value;
      },
      async cancel() {
        ahead = null;
        await reader.cancel().catch(() => undefined);
      },
    };
  }
  const reader = byob;
  const size = Math.min(CHUNK_BYTES, Math.max(MIN_CHUNK_BYTES, total ?? CHUNK_BYTES));
  let ended = false;
  /** Reads into `buffer` until it is full or the stream ends; the buffer comes back as a new ArrayBuffer over the same memory (a read transfers it). */
  const fill = async (buffer: ArrayBuffer): Promise<{ buffer: ArrayBuffer; length: number }> => {
    let at = 0;
    while (!ended && at < buffer.byteLength) {
      const { done, value } = await reader.read(new Uint8Array(buffer, at));
      if (value === undefined) break;
      buffer = value.buffer as ArrayBuffer;
      at += value.byteLength;
      if (done) ended = true;
    }
    return { buffer, length: at };
  };
  /** The buffer of the chunk the caller holds (free again at its next call). */
  let handed: ArrayBuffer | null = null;
  let ahead: ReturnType<typeof fill> | null = fill(takeBuffer(size));
  return {
    total,
    async next() {
      const free = handed;
      handed = null;
      if (ahead === null) {
        if (free) keepBuffer(free);
        return null;
      }
      const { buffer, length } = await ahead;
      ahead = null;
      if (length === 0) {
        keepBuffer(buffer);
        if (free) keepBuffer(free);
        return null;
      }
      if (!ended) ahead = fill(free ?? takeBuffer(size));
      else if (free) keepBuffer(free);
      handed = buffer;
      return new Uint8Array(buffer, 0, length);
    },
    async cancel() {
      ahead = null;
      ended = true;
      await reader.cancel().catch(() => undefined);
    },
  };
}

/** Read buffers kept for the next file (a worker reads one file at a time): a new one costs its page faults. */
const spareBuffers: ArrayBuffer[] = [];

/** A kept buffer of at least `size` bytes, else a new one of `size`. */
function takeBuffer(size: number): ArrayBuffer {
  const i = spareBuffers.findIndex((b) => b.byteLength >= size);
  return i < 0 ? new ArrayBuffer(size) : spareBuffers.splice(i, 1)[0];
}

/** Keeps a buffer for the next file (the two largest are kept). */
function keepBuffer(buffer: ArrayBuffer): void {
  if (buffer.byteLength === 0) return;
  spareBuffers.push(buffer);
  spareBuffers.sort((a, b) => b.byteLength - a.byteLength);
  spareBuffers.length = Math.min(spareBuffers.length, 2);
}

async function urlChunks(url: string): Promise<Chunks> {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
  const length = Number(response.headers.get('content-length'));
  return streamChunks(response.body, Number.isFinite(length) && length > 0 ? length : null);
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
  let chunks: Chunks | null = null;
  try {
    chunks = request.source.kind === 'blob' ? streamChunks(request.source.blob.stream(), request.source.blob.size) : await urlChunks(request.source.url);
    const total = chunks.total;
    const parser = new RunParser(request.file, { id: request.runId, name: request.name, expectedBytes: total ?? undefined });
    let bytes = 0;
    const report = () => {
      const p = parser.progress;
      onProgress?.({ bytes, totalBytes: total, samples: p.samples, skipped: p.skipped });
    };
    report();
    let lastReport = now();
    let lastYield = lastReport;
    for (;;) {
      if (cancelled.has(jobId)) throw new Cancelled();
      const value = await chunks.next();
      if (value === null) break;
      bytes += value.byteLength;
      parser.push(value);
      const t = now();
      if (t - lastReport >= PROGRESS_INTERVAL_MS) {
        lastReport = t;
        report();
      }
      if (t - lastYield >= YIELD_EVERY_MS) {
        lastYield = t;
        await yieldToMessages();
      }
    }
    if (cancelled.has(jobId)) throw new Cancelled();
    const run = parser.finish();
    report();
    return { ok: true, run };
  } catch (error) {
    if (error instanceof Cancelled) {
      await chunks?.cancel();
      return { ok: false, cancelled: true, message: 'Cancelled', line: null };
    }
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, cancelled: false, message, line: errorLine(error) };
  } finally {
    running.delete(jobId);
    cancelled.delete(jobId);
  }
}

/** Cancels a running or queued job; it then resolves `{ ok: false, cancelled: true }`. Unknown ids are ignored. */
export function cancelRequest(jobId: string): void {
  if (running.has(jobId) || queued.has(jobId)) cancelled.add(jobId);
}

export { runBuffers };

/**
 * Parses a request; when the request asks for it, the run's save is queued from a copy
 * (the run's own arrays are transferred) and made once this worker has no file to read
 * (see writeSaves). The save's outcome waits in `stored(runId)`.
 */
async function parseAndSave(request: ParseRequest, onProgress?: (progress: ParseProgress) => void): Promise<ParseResult> {
  const result = await parseRequest(request, onProgress);
  const entry = request.save;
  if (result.ok && entry && result.run.texts) {
    // A copy to store: the run's own buffers are transferred to the page.
    const texts = copyTexts(result.run.texts);
    const stored = toStoredRun(result.run, texts);
    // The page gets the keys hashed for storage, so it pairs runs without hashing their texts again.
    if (stored.keys) result.run.keys = { prompt: stored.keys.prompt.slice(), response: stored.keys.response.slice() };
    const bytes = stored.numbers.byteLength + texts.bytes.byteLength + texts.ends.byteLength;
    stores.set(stored.id, queueSave({ stored, texts, entry }, bytes));
  }
  return result;
}

/** The object the worker exposes through comlink. */
export const parseHandler = {
  /** Reads one request; requests given while one is read wait their turn (one file at a time per worker). */
  async parse(request: ParseRequest, onProgress?: (progress: ParseProgress) => void): Promise<ParseResult> {
    queued.add(request.jobId);
    holdSaves();
    const mine = turn.then(() => {
      queued.delete(request.jobId);
      return parseAndSave(request, onProgress);
    });
    turn = mine.catch(() => undefined);
    const result = await mine.finally(saveWhenIdle);
    return result.ok ? transfer(result, runBuffers(result.run)) : result;
  },
  cancel(jobId: string): void {
    cancelRequest(jobId);
  },
  /** The page has drawn the runs it was given: the saves waiting go SAVE_QUIET_MS later, unless a job comes first. */
  saveNow(): void {
    saveIn(SAVE_QUIET_MS);
  },
  /** What became of saving run `runId` (asked by its request's `save`); forgotten once answered. */
  async stored(runId: string): Promise<StoreOutcome> {
    const outcome = stores.get(runId);
    stores.delete(runId);
    return outcome ?? { ok: false, message: 'no save was asked of this worker', quota: false, retry: true };
  },
};

/** The handler's type, for the client's `Comlink.wrap`. */
export type ParseHandler = typeof parseHandler;
