import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  cancelRequest,
  parseHandler,
  parseRequest,
  CHUNK_BYTES,
  SAVE_QUIET_MS,
  PROGRESS_INTERVAL_MS,
  runBuffers,
  type ParseProgress,
  type ParseRequest,
} from '../../src/workers/parseHandler.ts';
import { syntheticStatsLines } from '../../src/core/data/syntheticStats.ts';
import { parseRun } from '../../src/core/format/runParser.ts';
import { statsFile, statsLine } from '../lib/state/statsLines.ts';

const encoder = new TextEncoder();

function request(source: ParseRequest['source'], file = 'cot_500/llama3_8b/grads_gsm8k_train_no_cot.jsonl', jobId = 'job-1'): ParseRequest {
  return { jobId, source, file, runId: 'run-1' };
}

/** A fetch that serves `chunks` one by one, pulled lazily, and notes when it is cancelled. */
function stubFetch(chunks: Uint8Array[], init: ResponseInit = {}) {
  const state = { pulled: 0, cancelled: false };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (state.pulled < chunks.length) controller.enqueue(chunks[state.pulled++]);
      else controller.close();
    },
    cancel() {
      state.cancelled = true;
    },
  });
  vi.stubGlobal('fetch', vi.fn(async () => new Response(body, init)));
  return state;
}

function chunked(text: string, size: number): Uint8Array[] {
  const bytes = encoder.encode(text);
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.slice(i, i + size));
  return out;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('parse worker handler', () => {
  it('reads a Blob into a run named by its path', async () => {
    const result = await parseRequest(request({ kind: 'blob', blob: new Blob([statsFile(3, 4)]) }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.run.id).toBe('run-1');
    expect(result.run.sampleCount).toBe(3);
    expect(result.run.layerCount).toBe(4);
    expect(result.run.meta.setting).toBe('none');
    expect(result.run.skipped).toEqual([]);
  });

  it('reads Blobs of several read buffers (their memory reused, within and across files) into the run the core reads from the same bytes', async () => {
    const bytes = encoder.encode([...syntheticStatsLines({ samples: 150, layers: 32, setting: 'detailed', correctness: 'correct', seed: 3 })].join('\n') + '\n');
    expect(bytes.length).toBeGreaterThan(2 * CHUNK_BYTES);
    const file = 'cot_500/llama3_8b/grads_gsm8k_train_with_cot_gpt4o.jsonl';
    const expected = parseRun(file, bytes, { id: 'run-big', expectedBytes: bytes.length });
    // The second read takes the buffers the first one kept.
    for (const jobId of ['job-big-1', 'job-big-2']) {
      const result = await parseRequest({ jobId, source: { kind: 'blob', blob: new Blob([bytes]) }, file, runId: 'run-big' });
      expect(result.ok && result.run).toEqual(expected);
    }
  });

  it('saves a run only once it has no more files to read and the page has drawn it, so writing never delays the next file or the page', async () => {
    const entry = (id: string) => ({ id, label: id, color: '#000000', hidden: false, source: { kind: 'file' as const, ref: `${id}.jsonl` }, position: 0 });
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await held;
        controller.enqueue(encoder.encode(statsFile(2, 2)));
        controller.close();
      },
    });
    vi.stubGlobal('fetch', vi.fn(async () => new Response(body)));
    const first = parseHandler.parse({ jobId: 'job-s1', source: { kind: 'blob', blob: new Blob([statsFile(3, 2)]) }, file: 'a.jsonl', runId: 'run-s1', save: entry('run-s1') });
    const second = parseHandler.parse({ jobId: 'job-s2', source: { kind: 'url', url: 'https://example.test/b.jsonl' }, file: 'b.jsonl', runId: 'run-s2', save: entry('run-s2') });
    expect((await first).ok).toBe(true);
    let saved = false;
    const outcome = parseHandler.stored('run-s1').then((o) => ((saved = true), o));
    await new Promise((r) => setTimeout(r, 30));
    expect(saved).toBe(false);
    release();
    expect((await second).ok).toBe(true);
    // Nothing left to read: the saves still wait for the page to say it has drawn the runs.
    await new Promise((r) => setTimeout(r, 30));
    expect(saved).toBe(false);
    parseHandler.saveNow();
    expect(await outcome).toMatchObject({ ok: false, retry: true });
    expect(await parseHandler.stored('run-s2')).toMatchObject({ ok: false, retry: true });
  });

  it('holds the saves again when a file is chosen before they start, until the page has drawn its run too', async () => {
    const entry = { id: 'run-h1', label: 'h1', color: '#000000', hidden: false, source: { kind: 'file' as const, ref: 'h1.jsonl' }, position: 0 };
    const first = await parseHandler.parse({ jobId: 'job-h1', source: { kind: 'blob', blob: new Blob([statsFile(2, 2)]) }, file: 'h1.jsonl', runId: 'run-h1', save: entry });
    expect(first.ok).toBe(true);
    parseHandler.saveNow();
    let saved = false;
    const outcome = parseHandler.stored('run-h1').then((o) => ((saved = true), o));
    const second = await parseHandler.parse({ jobId: 'job-h2', source: { kind: 'blob', blob: new Blob([statsFile(2, 2)]) }, file: 'h2.jsonl', runId: 'run-h2' });
    expect(second.ok).toBe(true);
    await new Promise((r) => setTimeout(r, SAVE_QUIET_MS + 100));
    expect(saved).toBe(false);
    parseHandler.saveNow();
    expect(await outcome).toMatchObject({ ok: false, retry: true });
  });

  it('answers a save it cannot make (no IndexedDB here) with retry, so the page saves the run itself', async () => {
    expect(typeof indexedDB).toBe('undefined');
    const entry = { id: 'run-1', label: 'mine', color: '#000000', hidden: false, source: { kind: 'file' as const, ref: 'mine.jsonl' }, position: 0 };
    const asked = await parseHandler.parse({ ...request({ kind: 'blob', blob: new Blob([statsFile(2, 2)]) }), save: entry });
    expect(asked.ok && asked.run.sampleCount).toBe(2);
    parseHandler.saveNow();
    expect(await parseHandler.stored('run-1')).toMatchObject({ ok: false, retry: true });
  });

  it('streams a URL chunk by chunk, lines split across chunks', async () => {
    const text = statsFile(5, 3);
    stubFetch(chunked(text, 97), { headers: { 'content-length': String(encoder.encode(text).length) } });
    const progress: ParseProgress[] = [];
    const result = await parseRequest(request({ kind: 'url', url: 'https://example.test/a.jsonl' }), (p) => progress.push(p));
    expect(result.ok && result.run.sampleCount).toBe(5);
    const last = progress.at(-1)!;
    expect(last).toEqual({ bytes: encoder.encode(text).length, totalBytes: encoder.encode(text).length, samples: 5, skipped: 0 });
  });

  it('reports progress at most every 250 ms, and always once at the end', async () => {
    const text = statsFile(20, 2);
    stubFetch(chunked(text, 64));
    let clock = 0;
    const times: number[] = [];
    const result = await parseRequest(
      request({ kind: 'url', url: 'https://example.test/a.jsonl' }),
      () => times.push(clock),
      () => (clock += 30),
    );
    expect(result.ok).toBe(true);
    const intervals = times.slice(1, -1).map((t, i) => t - times[i]);
    expect(PROGRESS_INTERVAL_MS).toBe(250);
    for (const dt of intervals) expect(dt).toBeGreaterThanOrEqual(PROGRESS_INTERVAL_MS);
    expect(times.length).toBeGreaterThan(2);
    expect(times.length).toBeLessThan(chunked(text, 64).length / 2);
  });

  it('reports skipped lines with their line numbers and keeps the rest', async () => {
    const text = [statsLine(0, 2), '{"instruction": "broken', statsLine(1, 2)].join('\n');
    const result = await parseRequest(request({ kind: 'blob', blob: new Blob([text]) }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.run.sampleCount).toBe(2);
    expect(result.run.skipped.map((s) => s.line)).toEqual([2]);
  });

  it('answers a file with no usable record with a reason, not a throw', async () => {
    const result = await parseRequest(request({ kind: 'blob', blob: new Blob(['not json at all\n']) }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.cancelled).toBe(false);
    expect(result.message.length).toBeGreaterThan(0);
  });

  it('answers an HTTP error with its status', async () => {
    stubFetch([], { status: 404, statusText: 'Not Found' });
    const result = await parseRequest(request({ kind: 'url', url: 'https://example.test/missing.jsonl' }));
    expect(result).toEqual({ ok: false, cancelled: false, message: 'HTTP 404 Not Found', line: null });
  });

  it('stops a cancelled job, cancels its stream and keeps nothing', async () => {
    const stream = stubFetch(chunked(statsFile(50, 2), 50));
    const result = await parseRequest(request({ kind: 'url', url: 'https://example.test/a.jsonl' }, 'a.jsonl', 'job-c'), () =>
      cancelRequest('job-c'),
    );
    expect(result).toEqual({ ok: false, cancelled: true, message: 'Cancelled', line: null });
    expect(stream.cancelled).toBe(true);
    expect(stream.pulled).toBeLessThan(10);
  });

  it('reads the files it is given one at a time, and cancels one still waiting its turn', async () => {
    const first = parseHandler.parse(request({ kind: 'blob', blob: new Blob([statsFile(30, 4)]) }, 'a.jsonl', 'job-first'));
    const second = parseHandler.parse(request({ kind: 'blob', blob: new Blob([statsFile(3, 4)]) }, 'b.jsonl', 'job-second'));
    const third = parseHandler.parse(request({ kind: 'blob', blob: new Blob([statsFile(2, 4)]) }, 'c.jsonl', 'job-third'));
    cancelRequest('job-second');
    expect((await first).ok).toBe(true);
    expect(await second).toEqual({ ok: false, cancelled: true, message: 'Cancelled', line: null });
    expect((await third).ok && (await third).ok).toBe(true);
  });

  it('ignores a cancel for a job that is not running, so a later job with that id runs', async () => {
    cancelRequest('job-later');
    const result = await parseRequest(request({ kind: 'blob', blob: new Blob([statsFile(1, 1)]) }, 'x.jsonl', 'job-later'));
    expect(result.ok).toBe(true);
  });

  it('lists each typed-array buffer of a run once, for transfer', async () => {
    const result = await parseHandler.parse(request({ kind: 'blob', blob: new Blob([statsFile(2, 3)]) }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const buffers = runBuffers(result.run);
    expect(new Set(buffers).size).toBe(buffers.length);
    expect(buffers).toContain(result.run.loss.buffer);
    for (const byStat of result.run.values.values()) for (const a of byStat.values()) expect(buffers).toContain(a.buffer);
  });
});
