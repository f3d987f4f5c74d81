import { describe, expect, it } from 'vitest';
import { comparisonSide, sideBuffers } from '../../../src/core/stats/resampling/comparisonSide.ts';
import { compareResampled } from '../../../src/core/stats/resampling/compareResampled.ts';
import { createResamplingClient, type ResamplingConnection } from '../../../src/lib/stats/resamplingClient.ts';
import { resamplingHandler, type ResamplingRequest, type ResamplingResult } from '../../../src/workers/resamplingHandler.ts';
import { makeRun } from '../../core/stats/makeRun.ts';

const runA = makeRun({ name: 'a', values: { q: { S_sum: [[1, 2], [2, 3], [3, 3]] }, k: { S_sum: [[1, 1], [1, 2], [2, 2]] } } });
const runB = makeRun({ name: 'b', values: { q: { S_sum: [[2, 2], [3, 5], [3, 4]] }, v: { S_sum: [[1, 1], [1, 1], [1, 1]] } } });

/** Connections that answer when told to, through a structured clone with the buffers transferred, as a worker would. */
function fakeWorkers() {
  const log: { terminated: boolean; answer: () => void }[] = [];
  const connect = (): ResamplingConnection => {
    const entry = { terminated: false, answer: () => {} };
    log.push(entry);
    return {
      compare(request: ResamplingRequest) {
        const received = structuredClone(request, { transfer: [...sideBuffers(request.a), ...sideBuffers(request.b)] });
        return new Promise<ResamplingResult>((resolve) => {
          entry.answer = () => {
            if (!entry.terminated) resolve(resamplingHandler.compare(received));
          };
        });
      },
      terminate() {
        entry.terminated = true;
      },
    };
  };
  return { log, connect };
}

describe('createResamplingClient', () => {
  it('compares the modules both runs have and resolves with the worker’s comparison, leaving the runs intact', async () => {
    const { log, connect } = fakeWorkers();
    const client = createResamplingClient(connect);
    const pending = client.compare(runA, runB, { stat: 'S_sum', resamples: 100, seed: 4 });
    log[0].answer();
    const result = await pending;
    const expected = compareResampled(comparisonSide(runA, 'S_sum', ['q']), comparisonSide(runB, 'S_sum', ['q']), { resamples: 100, seed: 4 });
    expect(result).toEqual(expected);
    expect(result.modules.map((m) => m.module)).toEqual(['q']);
    expect(Array.from(runA.values.get('q')?.get('S_sum') ?? [])).toEqual([1, 2, 2, 3, 3, 3]);
  });

  it('lets the latest request win: the earlier one rejects with an AbortError and its worker is stopped', async () => {
    const { log, connect } = fakeWorkers();
    const client = createResamplingClient(connect);
    const first = client.compare(runA, runB, { stat: 'S_sum', resamples: 50 });
    const second = client.compare(runA, runB, { stat: 'S_sum', resamples: 60 });
    await expect(first).rejects.toMatchObject({ name: 'AbortError' });
    expect(log.map((w) => w.terminated)).toEqual([true, false]);
    log[0].answer(); // a stopped worker's late answer changes nothing
    log[1].answer();
    expect((await second).resamples).toBe(60);
  });

  it('reuses an idle worker, and cancel() stops a running comparison', async () => {
    const { log, connect } = fakeWorkers();
    const client = createResamplingClient(connect);
    const one = client.compare(runA, runB, { stat: 'S_sum', resamples: 20 });
    log[0].answer();
    await one;
    const two = client.compare(runA, runB, { stat: 'S_sum', resamples: 20 });
    expect(log).toHaveLength(1);
    client.cancel();
    await expect(two).rejects.toMatchObject({ name: 'AbortError' });
    expect(log[0].terminated).toBe(true);
    const three = client.compare(runA, runB, { stat: 'S_sum', resamples: 20 });
    expect(log).toHaveLength(2);
    log[1].answer();
    await expect(three).resolves.toMatchObject({ paired: true });
    client.dispose();
    expect(log[1].terminated).toBe(true);
  });

  it('rejects with the reason for an unknown statistic and for what the worker refuses', async () => {
    const { log, connect } = fakeWorkers();
    const client = createResamplingClient(connect);
    await expect(client.compare(runA, runB, { stat: 'S_nope' })).rejects.toThrow(/unknown statistic "S_nope"/);
    expect(log).toHaveLength(0);
    const bad = client.compare(runA, runB, { stat: 'S_sum', ci: 5 });
    log[0].answer();
    await expect(bad).rejects.toThrow('ci must be between 0 and 1, got 5');
  });
});
