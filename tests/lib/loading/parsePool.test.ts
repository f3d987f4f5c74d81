import { describe, expect, it } from 'vitest';
import { parseServicePool, poolSize, type ParseService } from '../../../src/lib/loading/parsePool.ts';
import type { ParseRequest, ParseResult, StoreOutcome } from '../../../src/workers/parseHandler.ts';

/** A fake worker: jobs stay open until `finish(jobId)`; it records what it was given, cancelled, asked and whether it was terminated. */
function fakeWorker(name: string, log: string[], { stops = true } = {}) {
  const open = new Map<string, (r: ParseResult) => void>();
  const saves = new Map<string, (o: StoreOutcome) => void>();
  const service: ParseService = {
    parse(request) {
      log.push(`${name} parses ${request.jobId}`);
      return new Promise((resolve) => open.set(request.jobId, resolve));
    },
    cancel(jobId) {
      log.push(`${name} cancels ${jobId}`);
      // A worker in a step that does not yield never answers the cancel.
      if (stops) finish(jobId, true);
    },
    stored(runId) {
      log.push(`${name} is asked about ${runId}`);
      return new Promise((resolve) => saves.set(runId, resolve));
    },
    terminate() {
      log.push(`${name} terminated`);
    },
    saveNow() {
      log.push(`${name} may save`);
    },
  };
  function finish(jobId: string, cancelled = false) {
    const result: ParseResult = cancelled
      ? { ok: false, cancelled: true, message: 'Cancelled', line: null }
      : ({ ok: true, run: { id: jobId } } as unknown as ParseResult);
    open.get(jobId)?.(result);
    open.delete(jobId);
  }
  const saved = (runId: string, outcome: StoreOutcome) => saves.get(runId)?.(outcome);
  return { service, finish, saved };
}

const entry = { id: 'x', label: 'x', color: '#000', hidden: false, source: { kind: 'file' as const, ref: 'x' }, position: 0 };
const request = (jobId: string, save = false): ParseRequest => ({
  jobId,
  source: { kind: 'url', url: `https://x.test/${jobId}` },
  file: `${jobId}.jsonl`,
  runId: jobId,
  ...(save ? { save: { ...entry, id: jobId } } : {}),
});
const tick = () => new Promise((r) => setTimeout(r, 0));

/** A pool of fake workers, made on demand and kept in `made`, all logging to `log`. */
function fakePool(size: number, { stops = true, graceMs }: { stops?: boolean; graceMs?: number } = {}) {
  const log: string[] = [];
  const made: ReturnType<typeof fakeWorker>[] = [];
  const pool = parseServicePool(
    () => {
      const w = fakeWorker(`w${made.length}`, log, { stops });
      made.push(w);
      return w.service;
    },
    size,
    graceMs,
  );
  return { pool, made, log };
}

describe('parseServicePool', () => {
  it('gives each worker up to two files (the second waits inside it), up to the pool size, and keeps the rest waiting', async () => {
    const { pool, made: workers, log } = fakePool(2);
    const jobs = ['a', 'b', 'c', 'd', 'e'].map((id) => pool.parse(request(id), () => {}));
    expect(workers).toHaveLength(2); // never more than the pool size
    expect(log).toEqual(['w0 parses a', 'w1 parses b', 'w0 parses c', 'w1 parses d']);
    workers[1].finish('b');
    await jobs[1];
    expect(log.at(-1)).toBe('w1 parses e');
    for (const [w, id] of [
      [0, 'a'],
      [0, 'c'],
      [1, 'd'],
      [1, 'e'],
    ] as const)
      workers[w].finish(id);
    expect((await Promise.all(jobs)).every((r) => r.ok)).toBe(true);
  });

  it('starts no worker before the first job, and reuses an idle one rather than starting another', async () => {
    const { pool, made, log } = fakePool(4);
    expect(made).toHaveLength(0);
    for (const id of ['a', 'b', 'c']) {
      const job = pool.parse(request(id), () => {});
      made[0].finish(id);
      await job;
    }
    expect(made).toHaveLength(1);
    expect(log).toEqual(['w0 parses a', 'w0 parses b', 'w0 parses c']);
  });

  it('tells every worker it has started that the page has drawn its runs, so their saves may go', async () => {
    const { pool, made, log } = fakePool(3);
    const a = pool.parse(request('a'), () => {});
    const b = pool.parse(request('b'), () => {});
    made[0].finish('a');
    made[1].finish('b');
    await Promise.all([a, b]);
    pool.saveNow!();
    expect(log.filter((l) => l.endsWith('may save'))).toEqual(['w0 may save', 'w1 may save']);
  });

  it('starts one worker ahead of the first job when warmed, and gives it the first job', async () => {
    const { pool, made, log } = fakePool(3);
    pool.warm!();
    pool.warm!();
    expect(made).toHaveLength(1);
    const a = pool.parse(request('a'), () => {});
    expect(log).toEqual(['w0 parses a']);
    made[0].finish('a');
    await a;
  });

  it('drops a waiting file at once on cancel, without asking any worker', async () => {
    const log: string[] = [];
    const w = fakeWorker('w0', log);
    const pool = parseServicePool(() => w.service, 1);
    const a = pool.parse(request('a'), () => {});
    pool.parse(request('a2'), () => {});
    const b = pool.parse(request('b'), () => {});
    pool.cancel('b');
    expect(await b).toMatchObject({ ok: false, cancelled: true });
    expect(log).toEqual(['w0 parses a', 'w0 parses a2']);
    w.finish('a');
    await a;
  });

  it('terminates a worker that does not stop within the grace time, answers the job as cancelled and starts a fresh worker for the next', async () => {
    const { pool, made, log } = fakePool(1, { stops: false, graceMs: 20 });
    const a = pool.parse(request('a'), () => {});
    const b = pool.parse(request('b'), () => {});
    const t0 = performance.now();
    pool.cancel('a');
    expect(await a).toMatchObject({ ok: false, cancelled: true });
    expect(performance.now() - t0).toBeLessThan(500);
    // b waited inside w0: it starts again on the fresh worker.
    expect(log).toEqual(['w0 parses a', 'w0 parses b', 'w0 cancels a', 'w0 terminated', 'w1 parses b']);
    made[1].finish('b');
    expect((await b).ok).toBe(true);
  });

  it('asks the worker that parsed a run how its save went, and answers retry for a worker terminated before it answered', async () => {
    const { pool, made, log } = fakePool(1, { stops: false, graceMs: 20 });
    const a = pool.parse(request('a', true), () => {});
    made[0].finish('a');
    await a;
    const savedA = pool.stored('a');
    made[0].saved('a', { ok: true });
    expect(await savedA).toEqual({ ok: true });

    const b = pool.parse(request('b', true), () => {});
    made[0].finish('b');
    await b;
    const savedB = pool.stored('b');
    const c = pool.parse(request('c'), () => {});
    await tick();
    pool.cancel('c'); // w0 hangs: it is terminated, and with it b's save
    expect(await savedB).toMatchObject({ ok: false, retry: true });
    await c;
    expect(log).toContain('w0 terminated');
  });
});

describe('poolSize', () => {
  it('is one worker per core but the page’s, at least two', () => {
    expect([undefined, 1, 2, 3, 4, 8, 0.5].map(poolSize)).toEqual([2, 2, 2, 2, 3, 7, 2]);
  });
});
