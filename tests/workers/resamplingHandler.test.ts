import { describe, expect, it } from 'vitest';
import { comparisonSide, sideBuffers } from '../../src/core/stats/resampling/comparisonSide.ts';
import { compareResampled } from '../../src/core/stats/resampling/compareResampled.ts';
import { resamplingHandler, type ResamplingRequest } from '../../src/workers/resamplingHandler.ts';
import { makeRun } from '../core/stats/makeRun.ts';

const runA = makeRun({ name: 'a', values: { q: { S_sum: [[1, 2, 3], [2, 3, 5], [3, 3, 3], [1, 1, 2]] } } });
const runB = makeRun({ name: 'b', values: { q: { S_sum: [[2, 2, 4], [3, 5, 5], [3, 4, 6], [2, 1, 2]] } } });

function request(options: ResamplingRequest['options'] = { resamples: 200, seed: 2 }): ResamplingRequest {
  return { a: comparisonSide(runA, 'S_sum', ['q']), b: comparisonSide(runB, 'S_sum', ['q']), options };
}

describe('resamplingHandler', () => {
  it('returns what compareResampled computes, also after the request crossed a structured clone with its buffers transferred', () => {
    const sent = request();
    const expected = compareResampled(sent.a, sent.b, sent.options);
    const received = structuredClone(sent, { transfer: [...sideBuffers(sent.a), ...sideBuffers(sent.b)] });
    const result = resamplingHandler.compare(received);
    expect(result).toEqual({ ok: true, comparison: expected });
    // And the answer itself survives the trip back.
    expect(structuredClone(result)).toEqual(result);
    if (result.ok) expect([result.comparison.paired, result.comparison.pairs, result.comparison.modules[0].layers.length]).toEqual([true, 4, 3]);
  });

  it('answers bad options and incomparable runs with a one-line reason instead of throwing', () => {
    expect(resamplingHandler.compare(request({ ci: 2 }))).toEqual({ ok: false, message: 'ci must be between 0 and 1, got 2' });
    const short = makeRun({ name: 'short', values: { q: { S_sum: [[1, 2]] } } });
    const r = resamplingHandler.compare({ ...request(), b: comparisonSide(short, 'S_sum', ['q']) });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/3 layers and short has 2/);
  });
});
