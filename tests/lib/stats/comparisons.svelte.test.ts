// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { flushSync } from 'svelte';
import { comparisonSide } from '../../../src/core/stats/resampling/comparisonSide.ts';
import { compareResampled, type ResampledComparison } from '../../../src/core/stats/resampling/compareResampled.ts';
import type { Run } from '../../../src/core/format/run.ts';
import { ComparisonStore, pairingText, stars, type CompareFn } from '../../../src/lib/stats/comparisons.svelte.ts';
import { abortError } from '../../../src/lib/stats/resamplingClient.ts';
import { makeRun } from '../makeRun.ts';

const a = makeRun({ id: 'a', layers: 5, samples: 6 });
const b = makeRun({ id: 'b', layers: 5, samples: 6, value: (s, l, m) => 11 + m * 5 + l * (m + 1) + s * 1.5 });
const c = makeRun({ id: 'c', layers: 5, samples: 6, value: (s, l, m) => 9 + m * 5 + l * (m + 1) + s });

/** The core itself, as the worker runs it. */
const core: CompareFn = async (x, y, o) => compareResampled(comparisonSide(x, o.stat, x.modules), comparisonSide(y, o.stat, y.modules), { ...o, useKernel: false });

/** A compare function that answers when told to, and logs what it was asked. */
function manual() {
  const asked: string[] = [];
  const answers: (() => void)[] = [];
  const fn: CompareFn = (x, y, o) =>
    new Promise<ResampledComparison>((resolve, reject) => {
      asked.push(`${x.id}-${y.id}`);
      answers.push(() => (y.id === 'bad' ? reject(new Error('a and bad have 5 layers and 6')) : y.id === 'gone' ? reject(abortError()) : core(x, y, o).then(resolve)));
    });
  return { asked, answers, fn };
}
const settle = () => new Promise((r) => setTimeout(r, 0));
const req = (x: Run, y: Run) => ({ a: x, b: y, stat: 'S_sum', splits: null });

describe('ComparisonStore', () => {
  it('computes what is asked for, one at a time, higher priority first, and keeps the results', async () => {
    const m = manual();
    const store = new ComparisonStore(m.fn, 200);
    store.want('tables', [req(a, b)], 1);
    store.want('strip', [req(a, c), req(a, b)], 0);
    expect(m.asked).toEqual(['a-b']); // already running when the strip asked
    expect(store.get(req(a, b))?.status).toBe('pending');
    expect(store.get(req(a, c))?.status).toBe('pending');
    expect(store.get(req(b, c))).toBeUndefined(); // nobody asked
    m.answers[0]();
    await settle();
    expect(m.asked).toEqual(['a-b', 'a-c']);
    m.answers[1]();
    await settle();
    const done = store.get(req(a, c));
    expect(done?.status).toBe('done');
    expect(done?.status === 'done' && done.result).toEqual(compareResampled(comparisonSide(a, 'S_sum', a.modules), comparisonSide(c, 'S_sum', c.modules), { resamples: 200, seed: 1, useKernel: false }));
    // Asking again computes nothing.
    store.want('strip', [req(a, c), req(a, b)], 0);
    await settle();
    expect(m.asked).toEqual(['a-b', 'a-c']);
  });

  it('records a failure with its message, and asks again for a comparison that was aborted', async () => {
    const m = manual();
    const store = new ComparisonStore(m.fn, 50);
    const bad = makeRun({ id: 'bad', layers: 6 });
    const gone = makeRun({ id: 'gone', layers: 5 });
    store.want('x', [req(a, bad), req(a, gone)]);
    m.answers[0]();
    await settle();
    expect(store.get(req(a, bad))).toEqual({ status: 'failed', message: 'a and bad have 5 layers and 6' });
    m.answers[1]();
    await settle();
    // Aborted (another user of the worker client took it over): still wanted, asked again on the next want().
    expect(store.get(req(a, gone))?.status).toBe('pending');
    expect(m.asked).toEqual(['a-bad', 'a-gone']);
    store.want('x', [req(a, bad), req(a, gone)]);
    expect(m.asked).toEqual(['a-bad', 'a-gone', 'a-gone']);
  });

  it('shows comparisons that finish close together at once, after the flush delay', async () => {
    const store = new ComparisonStore(core, 20, 40);
    store.want('x', [req(a, b), req(a, c)]);
    await settle();
    await settle();
    expect(store.get(req(a, b))?.status).toBe('pending');
    await new Promise((r) => setTimeout(r, 80));
    expect([store.get(req(a, b))?.status, store.get(req(a, c))?.status]).toEqual(['done', 'done']);
  });

  it('drops what an asker no longer wants from the queue', async () => {
    const m = manual();
    const store = new ComparisonStore(m.fn, 50);
    store.want('strip', [req(a, b), req(a, c)]);
    store.want('strip', [req(a, b)]);
    m.answers[0]();
    await settle();
    expect(m.asked).toEqual(['a-b']);
  });

  it('starts nothing new while held, finishes the one running, and starts what is wanted once released', async () => {
    const m = manual();
    const store = new ComparisonStore(m.fn, 50);
    store.want('x', [req(a, b)]);
    store.hold(true);
    store.want('x', [req(a, b), req(a, c)]);
    m.answers[0]();
    await settle();
    expect(store.get(req(a, b))?.status).toBe('done');
    expect(m.asked).toEqual(['a-b']);
    expect(store.get(req(a, c))?.status).toBe('pending');
    store.hold(false);
    await settle();
    expect(m.asked).toEqual(['a-b', 'a-c']);
  });

  it('is read reactively: an effect sees a comparison finish', async () => {
    const store = new ComparisonStore(core, 50);
    const seen: (string | undefined)[] = [];
    const stop = $effect.root(() => {
      $effect(() => {
        seen.push(store.get(req(a, b))?.status);
      });
    });
    flushSync();
    store.want('x', [req(a, b)]);
    await settle();
    flushSync();
    stop();
    expect(seen[0]).toBeUndefined();
    expect(seen.at(-1)).toBe('done');
  });
});

describe('stars and pairingText', () => {
  it('gives stars by the p-value thresholds', () => {
    expect([0.0004, 0.001, 0.009, 0.04, 0.05, 0.5, NaN].map(stars)).toEqual(['***', '**', '**', '*', '', '', '']);
  });

  it('says how many samples were paired, or that the resampling was unpaired', () => {
    const paired = compareResampled(comparisonSide(a, 'S_sum', a.modules), comparisonSide(b, 'S_sum', b.modules), { resamples: 20, useKernel: false });
    expect(paired.paired).toBe(true);
    expect(pairingText(paired)).toBe('6 paired by instruction; sign-flip test, exact');
    const other = makeRun({ id: 'o', layers: 5, samples: 4, text: (s) => ({ instruction: `other ${s}`, input: '', output: '' }) });
    const unpaired = compareResampled(comparisonSide(a, 'S_sum', a.modules), comparisonSide(other, 'S_sum', other.modules), { resamples: 20, useKernel: false });
    expect(unpaired.paired).toBe(false);
    expect(pairingText(unpaired)).toBe('unpaired resampling: 6 and 4 samples; label permutation, exact');
  });
});
