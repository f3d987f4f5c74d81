import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleExtra, sampleText, type Run } from '../../src/core/format/run.ts';
import { parseRun } from '../../src/core/format/runParser.ts';
import { idbRunStore } from '../../src/storage/idbRunStore.ts';
import type { StoredEntry } from '../../src/storage/runStore.ts';
import { StoreWriteError } from '../../src/storage/runStore.ts';
import { statsFile, statsLine } from '../lib/state/statsLines.ts';

function run(id: string, samples = 3, layers = 4): Run {
  return parseRun(`${id}.jsonl`, new TextEncoder().encode(statsFile(samples, layers)), { id });
}

function entry(id: string, position: number, label = id): StoredEntry {
  return { id, label, color: '#123456', hidden: false, source: { kind: 'file', ref: `${id}.jsonl` }, position };
}

afterEach(async () => {
  await new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase('gradlens');
    request.onsuccess = resolve;
    request.onerror = reject;
  });
});

/** A raw look into the database, closed after `look`. */
async function raw<T>(look: (db: Awaited<ReturnType<typeof openDB>>) => Promise<T>): Promise<T> {
  const db = await openDB('gradlens');
  try {
    return await look(db);
  } finally {
    db.close();
  }
}

describe('idbRunStore', () => {
  it('stores a run as a few buffers and gives back the same numbers, texts and metadata', async () => {
    const original = parseRun('cot_500/llama3_8b/grads_gsm8k_train_no_cot.jsonl', new TextEncoder().encode([statsLine(0, 3), '{"cut', statsLine(1, 3)].join('\n')), { id: 'a' });
    const store = idbRunStore();
    await store.putRuns([{ run: original, entry: entry('a', 0) }]);
    const record = await raw((db) => db.get('runs', 'a'));
    expect(Object.keys(record).sort()).toEqual(['columns', 'header', 'id', 'numbers', 'texts']);
    expect(record.numbers).toBeInstanceOf(Float64Array);
    const { saved, orphans } = await idbRunStore().loadAll();
    expect(orphans).toEqual([]);
    const back = saved[0].run;
    expect(back.meta).toEqual(original.meta);
    expect(back.skipped).toEqual(original.skipped);
    expect([...back.texts.bytes]).toEqual([...original.texts.bytes]);
    expect([...back.texts.ends]).toEqual([...original.texts.ends]);
    expect(sampleText(back, 1)).toEqual(sampleText(original, 1));
    expect([...back.loss]).toEqual([...original.loss]);
    for (const [module, byStat] of original.values)
      for (const [stat, column] of byStat) expect(Array.from(back.values.get(module)!.get(stat)!)).toEqual(Array.from(column));
  });

  it('stores the spectra and cosine maps of a follow-up run as copies, so its own buffers may be transferred meanwhile', async () => {
    const line = `{"model.layers.0.self_attn.q_proj.weight": {"S_list": [2.0, 1.0]}, "model.layers.1.self_attn.q_proj.weight": {"S_list": [3.0]}, "cosine_sim": {"q_proj": {"layer_indices": [0, 1], "matrix": [[1.0, 0.5], [0.5, 1.0]]}}}`;
    const original = parseRun('f.jsonl', new TextEncoder().encode(line), { id: 'f' });
    const store = idbRunStore();
    const writing = store.putRuns([{ run: original, entry: entry('f', 0) }]);
    // The page takes the run's buffers while the write is on its way (as the parse worker does).
    structuredClone(original.spectra, { transfer: [original.spectra!.get('self_attn.q_proj')!.values.buffer as ArrayBuffer] });
    await writing;
    const back = (await idbRunStore().loadAll()).saved[0].run;
    expect(Array.from(back.spectra!.get('self_attn.q_proj')!.values)).toEqual([2, 1, 3]);
    expect(Array.from(back.spectra!.get('self_attn.q_proj')!.offsets)).toEqual([0, 2, 3]);
    expect(Array.from(back.cosineSim!.get('self_attn.q_proj')!)).toEqual([1, 0.5, 0.5, 1]);
  });

  it('stores large buffers as Blobs and reads them back as the same numbers and texts', async () => {
    const original = run('blobbed', 4, 5);
    await idbRunStore({ blobBytes: 0 }).putRuns([{ run: original, entry: entry('blobbed', 0) }]);
    const record = await raw((db) => db.get('runs', 'blobbed'));
    expect(record.numbers).toBeInstanceOf(Blob);
    expect(record.texts.bytes).toBeInstanceOf(Blob);
    const back = (await idbRunStore().loadAll()).saved[0].run;
    expect(Array.from(back.loss)).toEqual(Array.from(original.loss));
    expect(Array.from(back.values.get('self_attn.o_proj')!.get('S_max')!)).toEqual(Array.from(original.values.get('self_attn.o_proj')!.get('S_max')!));
    expect(sampleText(back, 3)).toEqual(sampleText(original, 3));
  });

  it('stores the follow-up columns (spectra, cosines) as Blobs too and reads them back unchanged', async () => {
    const original: Run = {
      ...run('followup', 2, 3),
      spectra: new Map([['self_attn.q_proj', { offsets: new Uint32Array([0, 2, 3, 5, 6, 8, 9]), values: new Float32Array([3, 1, 2, 5, 4, 1, 7, 6, 0.5]), longest: 2 }]]),
      cosineSim: new Map([['self_attn.q_proj', Float64Array.from({ length: 2 * 3 * 3 }, (_, i) => (i % 4 === 0 ? NaN : i / 20))]]),
    };
    await idbRunStore({ blobBytes: 0 }).putRuns([{ run: original, entry: entry('followup', 0) }]);
    const record = await raw((db) => db.get('runs', 'followup'));
    expect(record.texts.ends).toBeInstanceOf(Blob);
    expect(record.spectra.get('self_attn.q_proj').values).toBeInstanceOf(Blob);
    expect(record.cosineSim.get('self_attn.q_proj')).toBeInstanceOf(Blob);
    const back = (await idbRunStore().loadAll()).saved[0].run;
    expect(back.spectra).toEqual(original.spectra);
    expect(back.cosineSim).toEqual(original.cosineSim);
    expect(Array.from(back.texts.ends)).toEqual(Array.from(original.texts.ends));
  });

  it('keeps the runs of two tabs writing at once, each with its entry', async () => {
    const tabA = idbRunStore();
    const tabB = idbRunStore();
    await tabA.loadAll();
    await tabB.loadAll();
    await Promise.all([
      tabA.putRuns([{ run: run('a1'), entry: entry('a1', 0) }]),
      tabB.putRuns([{ run: run('b1'), entry: entry('b1', 0) }]),
      tabA.putRuns([{ run: run('a2'), entry: entry('a2', 1) }]),
    ]);
    // Each tab then writes only its own entries (a rename): the other's stay.
    await Promise.all([tabA.putEntries([entry('a1', 0, 'renamed'), entry('a2', 1)]), tabB.putEntries([entry('b1', 0)])]);
    const { saved, orphans } = await idbRunStore().loadAll();
    expect(orphans).toEqual([]);
    expect(saved.map((s) => s.entry.id).sort()).toEqual(['a1', 'a2', 'b1']);
    expect(saved.find((s) => s.entry.id === 'a1')!.entry.label).toBe('renamed');
  });

  it('writes no entry for a run that is not stored, so no entry outlives its run', async () => {
    const store = idbRunStore();
    await store.putRuns([{ run: run('a'), entry: entry('a', 0) }]);
    await store.remove(['a']);
    await store.putEntries([entry('a', 0, 'late rename'), entry('never', 1)]);
    expect(await store.loadAll()).toEqual({ saved: [], orphans: [] });
  });

  it('finds runs without an entry and entries without a run as orphans', async () => {
    const store = idbRunStore();
    await store.putRuns([{ run: run('kept'), entry: entry('kept', 0) }, { run: run('lost-entry'), entry: entry('lost-entry', 1) }]);
    await raw(async (db) => {
      await db.delete('entries', 'lost-entry');
      await db.put('entries', entry('lost-run', 2));
    });
    const { saved, orphans } = await store.loadAll();
    expect(saved.map((s) => s.entry.id)).toEqual(['kept']);
    expect(orphans.map((o) => (o.kind === 'run' ? `run ${o.run.id}` : `entry ${o.entry.id}`)).sort()).toEqual(['entry lost-run', 'run lost-entry']);
  });

  it('upgrades a version-1 database (runs stored as cloned objects) in place, keeping its orphans findable', async () => {
    const { texts: _texts, ...old } = run('v1', 2, 3);
    const v1 = { ...old, samples: [{ instruction: 'first', input: '', output: 'a' }, { instruction: 'second', input: '', output: 'b', extra: { k: 1 } }] };
    const db = await openDB('gradlens', 1, {
      upgrade(d) {
        d.createObjectStore('runs', { keyPath: 'id' });
        d.createObjectStore('entries', { keyPath: 'id' });
        d.createObjectStore('flags');
      },
    });
    await db.put('runs', v1);
    await db.put('runs', { ...v1, id: 'orphan' });
    await db.put('entries', entry('v1', 0, 'from v1'));
    db.close();
    const { saved, orphans } = await idbRunStore().loadAll();
    expect(saved.map((s) => [s.entry.label, s.run.sampleCount])).toEqual([['from v1', 2]]);
    expect(Array.from(saved[0].run.values.get('self_attn.q_proj')!.get('S_sum')!)).toEqual(Array.from(old.values.get('self_attn.q_proj')!.get('S_sum')!));
    expect(sampleText(saved[0].run, 1)).toEqual({ instruction: 'second', input: '', output: 'b' });
    expect(sampleExtra(saved[0].run, 1)).toEqual({ k: 1 });
    expect(orphans.map((o) => o.kind === 'run' && o.run.id)).toEqual(['orphan']);
  });

  it('answers a full store with an error naming the runs and saying storage is full', async () => {
    const store = idbRunStore();
    await store.loadAll();
    const quota = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    const original = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function () {
      throw quota;
    };
    try {
      const error = await store.putRuns([{ run: run('big'), entry: entry('big', 0) }]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreWriteError);
      expect((error as StoreWriteError).ids).toEqual(['big']);
      expect((error as StoreWriteError).quota).toBe(true);
      expect((error as StoreWriteError).message).toMatch(/storage for this site is full/);
    } finally {
      IDBObjectStore.prototype.put = original;
    }
    expect((await store.loadAll()).saved).toEqual([]);
  });
});
