import { describe, expect, it } from 'vitest';
import { parseServicePool, poolSize, type ParseService } from '../../../src/lib/loading/parsePool.ts';
import type { ParseRequest, ParseResult } from '../../../src/workers/parseHandler.ts';

/** A fake worker: jobs stay open until `finish(jobId)`; it records what it was given and cancelled. */
function fakeWorker(name: string, log: string[]) {
  const open = new Map<string, (r: ParseResult) => void>();
  const service: ParseService = {
    parse(request) {
      log.push(`${name} parses ${request.jobId}`);
      return new Promise((resolve) => open.set(request.jobId, resolve));
    },
    cancel(jobId) {
      log.push(`${name} cancels ${jobId}`);
    },
  };
  const finish = (jobId: string) => {
    open.get(jobId)?.({ ok: false, cancelled: true, message: 'Cancelled', line: null });
    open.delete(jobId);
  };
  return { service, finish };
}

const request = (jobId: string): ParseRequest => ({ jobId, source: { kind: 'url', url: `https://x.test/${jobId}` }, file: `${jobId}.jsonl`, runId: jobId });

describe('parseServicePool', () => {
  it('reads files loaded together on separate workers, up to the pool size, then on the least busy', async () => {
    const log: string[] = [];
    const workers: ReturnType<typeof fakeWorker>[] = [];
    const pool = parseServicePool(() => {
      const w = fakeWorker(`w${workers.length}`, log);
      workers.push(w);
      return w.service;
    }, 2);
    const a = pool.parse(request('a'), () => {});
    const b = pool.parse(request('b'), () => {});
    const c = pool.parse(request('c'), () => {});
    expect(workers).toHaveLength(2); // never more than the pool size
    workers[1].finish('b');
    await b;
    const d = pool.parse(request('d'), () => {}); // w1 is idle now
    expect(log).toEqual(['w0 parses a', 'w1 parses b', 'w0 parses c', 'w1 parses d']);
    pool.cancel('c');
    pool.cancel('d');
    pool.cancel('b'); // finished: nobody to tell
    expect(log.slice(4)).toEqual(['w0 cancels c', 'w1 cancels d']);
    workers[0].finish('a');
    workers[0].finish('c');
    workers[1].finish('d');
    await Promise.all([a, c, d]);
  });

  it('starts no worker before the first job, and reuses an idle one rather than starting another', async () => {
    const log: string[] = [];
    let started = 0;
    const made: ReturnType<typeof fakeWorker>[] = [];
    const pool = parseServicePool(() => {
      started++;
      const w = fakeWorker(`w${made.length}`, log);
      made.push(w);
      return w.service;
    }, 4);
    expect(started).toBe(0);
    for (const id of ['a', 'b', 'c']) {
      const job = pool.parse(request(id), () => {});
      made[0].finish(id);
      await job;
    }
    expect(started).toBe(1);
    expect(log).toEqual(['w0 parses a', 'w0 parses b', 'w0 parses c']);
  });
});

describe('poolSize', () => {
  it('is one worker per core, between one and four', () => {
    expect([undefined, 1, 2, 3, 8, 0.5].map(poolSize)).toEqual([2, 1, 2, 3, 4, 1]);
  });
});
