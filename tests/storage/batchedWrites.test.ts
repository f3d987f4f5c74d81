import { describe, expect, it } from 'vitest';
import { batchedWrites } from '../../src/storage/batchedWrites.ts';
import { StoreWriteError } from '../../src/storage/runStore.ts';

describe('batchedWrites', () => {
  it('writes items queued while a write is in flight together in the next one', async () => {
    const batches: string[][] = [];
    let release: () => void = () => {};
    const writes = batchedWrites<string>(
      async (items) => {
        batches.push(items);
        if (batches.length === 1) await new Promise<void>((r) => (release = r));
      },
      (s) => s,
    );
    const first = writes.enqueue('a');
    await new Promise((r) => setTimeout(r, 0));
    const rest = ['b', 'c', 'd'].map((s) => writes.enqueue(s));
    release();
    expect(await Promise.all([first, ...rest])).toEqual([{ ok: true }, { ok: true }, { ok: true }, { ok: true }]);
    expect(batches).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('tries the items of a batch refused for space one by one, keeping those that fit and naming the rest', async () => {
    let room = 2;
    const stored: string[] = [];
    const writes = batchedWrites<string>(
      async (items) => {
        if (items.length > room) throw new StoreWriteError('the storage for this site is full', items, true);
        room -= items.length;
        stored.push(...items);
      },
      (s) => s,
    );
    const outcomes = await Promise.all(['a', 'b', 'c'].map((s) => writes.enqueue(s)));
    expect(stored).toEqual(['a', 'b']);
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, false]);
    const failed = outcomes[2];
    expect(!failed.ok && failed.error.ids).toEqual(['c']);
    expect(!failed.ok && failed.error.quota).toBe(true);
  });

  it('does not retry a batch refused for another reason, and reports it for every item', async () => {
    let calls = 0;
    const writes = batchedWrites<string>(
      async () => {
        calls++;
        throw new Error('disk on fire');
      },
      (s) => s,
    );
    const outcomes = await Promise.all(['a', 'b'].map((s) => writes.enqueue(s)));
    expect(calls).toBe(1);
    expect(outcomes.map((o) => !o.ok && o.error.message)).toEqual(['disk on fire', 'disk on fire']);
  });
});
