import { describe, expect, it } from 'vitest';
import type { Run } from '../../../src/core/format/run';
import { ComputeSession, type RunRequest } from '../../../src/lib/compute/computeSession.svelte';
import { fakeService } from './fakeCompute';

const records = Array.from({ length: 10 }, (_, i) => ({ instruction: `q${i}`, input: '', output: `a${i}` }));
const request = (path: string, n = records.length): RunRequest => ({
  model: { kind: 'url', base: '/models/x/' },
  records: records.slice(0, n),
  path,
  maxLength: 64,
  withTokens: false,
  backend: 'auto',
});

function shell() {
  const added: { run: Run; ref: string }[] = [];
  const updates: { id: string; run: Run }[] = [];
  return {
    added,
    updates,
    sink: {
      addRun: (run: Run, source: { kind: 'compute'; ref: string }) => (added.push({ run, ref: source.ref }), run.id),
      updateRun: (id: string, run: Run) => void updates.push({ id, run }),
    },
  };
}

describe('ComputeSession', () => {
  it('adds the run at its first record and grows it until all samples are in', async () => {
    const s = shell();
    const session = new ComputeSession(fakeService(), s.sink);
    await session.runAll([{ request: request('cot_10/tiny/grads_arith_train_no_cot.jsonl'), label: 'one' }]);
    expect(session.status).toBe('done');
    expect(s.added).toHaveLength(1);
    expect(s.added[0].run.sampleCount).toBe(1);
    expect(s.added[0].run.meta.setting).toBe('none');
    const last = s.updates.at(-1)!;
    expect(last.id).toBe(s.added[0].run.id);
    expect(last.run.sampleCount).toBe(10);
    expect(last.run.layerCount).toBe(2);
    // Updates are throttled: fewer than one per record.
    expect(s.updates.length).toBeLessThan(10);
    expect(session.activeBackend).toBe('wasm');
    expect(session.progress).toMatchObject({ done: 10, total: 10 });
  });

  it('runs a sequence one job at a time, each with its own run', async () => {
    const s = shell();
    const service = fakeService();
    const session = new ComputeSession(service, s.sink);
    await session.runAll([
      { request: request('cot_3/tiny/grads_a_train_no_cot.jsonl', 3), label: 'a' },
      { request: request('cot_3_wrong_answer_shuffle/tiny/grads_a_train_no_cot.jsonl', 3), label: 'b' },
    ]);
    expect(service.jobs).toHaveLength(2);
    expect(new Set(service.jobs.map((j) => j.jobId)).size).toBe(2);
    expect(s.added.map((a) => a.run.meta.correctness)).toEqual(['correct', 'irrelevant']);
    expect(session.step).toMatchObject({ index: 2, count: 2 });
  });

  it('stops the running job and skips the rest of the sequence on cancel, keeping what was computed', async () => {
    const s = shell();
    const service = fakeService();
    const session = new ComputeSession(service, s.sink);
    const done = session.runAll([
      { request: request('a/grads_x.jsonl'), label: 'a' },
      { request: request('b/grads_x.jsonl'), label: 'b' },
    ]);
    await new Promise((r) => setTimeout(r, 5));
    session.cancel();
    await done;
    expect(session.status).toBe('cancelled');
    expect(service.jobs).toHaveLength(1);
    expect(service.cancelled).toEqual([service.jobs[0].jobId]);
    const latest = s.updates.at(-1)?.run ?? s.added[0].run;
    expect(latest.sampleCount).toBeGreaterThan(0);
    expect(latest.sampleCount).toBeLessThan(10);
  });

  it('reports a worker error and stops the sequence', async () => {
    const s = shell();
    const service = fakeService({ failOn: 2 });
    const session = new ComputeSession(service, s.sink);
    await session.runAll([
      { request: request('a/grads_x.jsonl'), label: 'a' },
      { request: request('b/grads_x.jsonl'), label: 'b' },
    ]);
    expect(session.status).toBe('error');
    expect(session.error).toBe('boom');
    expect(service.jobs).toHaveLength(1);
  });
});

describe('built-in datasets for the panel', () => {
  it('lists the generators and gives the same problems for every setting, irrelevant responses never their own', async () => {
    const { builtinNames, recordsFor } = await import('../../../src/lib/compute/datasets');
    const names = builtinNames();
    expect(names.length).toBeGreaterThan(0);
    const choice = { kind: 'builtin' as const, name: names[0] };
    const none = recordsFor(choice, 'none', false, 5);
    const detailed = recordsFor(choice, 'detailed', false, 5);
    const irrelevant = recordsFor(choice, 'detailed', true, 5);
    expect(none.map((r) => r.instruction)).toEqual(detailed.map((r) => r.instruction));
    expect(irrelevant.map((r) => r.instruction)).toEqual(detailed.map((r) => r.instruction));
    irrelevant.forEach((r, i) => expect(r.output).not.toBe(detailed[i].output));
  });
});
