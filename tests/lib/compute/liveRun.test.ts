import { describe, expect, it } from 'vitest';
import { LiveRun, shouldUpdate } from '../../../src/lib/compute/liveRun';
import { fakeLine } from './fakeCompute';

describe('LiveRun', () => {
  it('is empty before the first record and re-reads all lines with a stable id after', () => {
    const live = new LiveRun('cot_2/tiny/grads_arith_train_no_cot.jsonl', 'compute-1');
    expect(live.toRun()).toBeNull();
    expect(live.text()).toBe('');
    live.push(fakeLine(0, { instruction: 'a', output: 'b' }));
    live.push(fakeLine(1, { instruction: 'c', output: 'd' }));
    const run = live.toRun()!;
    expect(run.id).toBe('compute-1');
    expect(run.sampleCount).toBe(2);
    expect(run.meta).toMatchObject({ model: 'tiny', setting: 'none', correctness: 'correct' });
    expect(live.count).toBe(2);
  });
});

describe('shouldUpdate', () => {
  it('updates on the first records, every few records, spacing out as the run grows, and at the end', () => {
    const at = (n: number) => {
      const shown: number[] = [];
      let last = 0;
      for (let c = 1; c <= n; c++) if (shouldUpdate(c, last, 4, false)) shown.push((last = c));
      return shown;
    };
    expect(at(12)).toEqual([1, 2, 6, 10]);
    const many = at(1000);
    expect(many.length).toBeLessThan(60); // each update re-reads the whole run
    expect(many.length).toBeGreaterThan(20);
    expect(shouldUpdate(7, 6, 4, true)).toBe(true);
  });
});
