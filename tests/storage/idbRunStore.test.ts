import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleExtra, sampleText, type Run } from '../../src/core/format/run.ts';
import { parseRun } from '../../src/core/format/runParser.ts';
import { keysOfTexts, sampleKeys } from '../../src/core/format/sampleKeys.ts';
import { idbRunStore } from '../../src/storage/idbRunStore.ts';
import type { StoredEntry } from '../../src/storage/runStore.ts';
import { StoreWriteError } from '../../src/storage/runStore.ts';
import { statsFile, statsLine } from '../lib/state/statsLines.ts';
import { memoryRunFiles } from './memoryRunFiles.ts';

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

/** `run` with its texts read from `store` (as the page does when a sample is opened). */
async function withTexts(store: ReturnType<typeof idbRunStore>, run: Run): Promise<Run> {
  const texts = await store.loadTexts(run.id);
  if (!texts) throw new Error(`no texts stored for ${run.id}`);
  return { ...run, texts };
}

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
  it('stores a run as a few buffers and gives back the same numbers, keys and metadata, its texts only when asked', async () => {
    const original = parseRun('cot_500/llama3_8b/grads_gsm8k_train_no_cot.jsonl', new TextEncoder().encode([statsLine(0, 3), '{"cut', statsLine(1, 3)].join('\n')), { id: 'a' });
    const store = idbRunStore();
    await store.putRuns([{ run: original, entry: entry('a', 0) }]);
    const record = await raw((db) => db.get('runs', 'a'));
    expect(Object.keys(record).sort()).toEqual(['columns', 'header', 'id', 'keys', 'numbers']);
    expect(record.numbers).toBeInstanceOf(Float64Array);
    const reader = idbRunStore();
    const { saved, orphans } = await reader.loadAll();
    expect(orphans).toEqual([]);
    const back = saved[0].run;
    expect(back.texts).toBeUndefined();
    expect(() => sampleText(back, 1)).toThrow(/texts of run .* not loaded/);
    expect(back.meta).toEqual(original.meta);
    expect(back.skipped).toEqual(original.skipped);
    expect(Array.from(back.keys!.prompt)).toEqual(Array.from(sampleKeys(original).prompt));
    expect(Array.from(back.keys!.response)).toEqual(Array.from(sampleKeys(original).response));
    const texts = (await withTexts(reader, back)).texts!;
    expect([...texts.bytes]).toEqual([...original.texts.bytes]);
    expect([...texts.ends]).toEqual([...original.texts.ends]);
    expect(sampleText(await withTexts(reader, back), 1)).toEqual(sampleText(original, 1));
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
    expect(record.keys.prompt).toBeInstanceOf(Blob);
    expect((await raw((db) => db.get('texts', 'blobbed'))).bytes).toBeInstanceOf(Blob);
    const reader = idbRunStore();
    const back = (await reader.loadAll()).saved[0].run;
    expect(Array.from(back.loss)).toEqual(Array.from(original.loss));
    expect(Array.from(back.values.get('self_attn.o_proj')!.get('S_max')!)).toEqual(Array.from(original.values.get('self_attn.o_proj')!.get('S_max')!));
    expect(Array.from(back.keys!.prompt)).toEqual(Array.from(sampleKeys(original).prompt));
    expect(sampleText(await withTexts(reader, back), 3)).toEqual(sampleText(original, 3));
  });

  it('stores the follow-up columns (spectra, cosines) as Blobs too and reads them back unchanged', async () => {
    const original: Run = {
      ...run('followup', 2, 3),
      spectra: new Map([['self_attn.q_proj', { offsets: new Uint32Array([0, 2, 3, 5, 6, 8, 9]), values: new Float32Array([3, 1, 2, 5, 4, 1, 7, 6, 0.5]), longest: 2 }]]),
      cosineSim: new Map([['self_attn.q_proj', Float64Array.from({ length: 2 * 3 * 3 }, (_, i) => (i % 4 === 0 ? NaN : i / 20))]]),
    };
    await idbRunStore({ blobBytes: 0 }).putRuns([{ run: original, entry: entry('followup', 0) }]);
    const record = await raw((db) => db.get('runs', 'followup'));
    expect((await raw((db) => db.get('texts', 'followup'))).ends).toBeInstanceOf(Blob);
    expect(record.spectra.get('self_attn.q_proj').values).toBeInstanceOf(Blob);
    expect(record.cosineSim.get('self_attn.q_proj')).toBeInstanceOf(Blob);
    const reader = idbRunStore();
    const back = (await reader.loadAll()).saved[0].run;
    expect(back.spectra).toEqual(original.spectra);
    expect(back.cosineSim).toEqual(original.cosineSim);
    expect(Array.from((await reader.loadTexts('followup'))!.ends)).toEqual(Array.from(original.texts!.ends));
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
    const store = idbRunStore();
    const { saved, orphans } = await store.loadAll();
    expect(saved.map((s) => [s.entry.label, s.run.sampleCount])).toEqual([['from v1', 2]]);
    expect(Array.from(saved[0].run.values.get('self_attn.q_proj')!.get('S_sum')!)).toEqual(Array.from(old.values.get('self_attn.q_proj')!.get('S_sum')!));
    const back = await withTexts(store, saved[0].run);
    expect(sampleText(back, 1)).toEqual({ instruction: 'second', input: '', output: 'b' });
    expect(sampleExtra(back, 1)).toEqual({ k: 1 });
    expect(Array.from(saved[0].run.keys!.prompt)).toEqual(Array.from(keysOfTexts(back.texts!, 2).prompt));
    expect(orphans.map((o) => o.kind === 'run' && o.run.id)).toEqual(['orphan']);
  });

  it('upgrades a version-2 database (texts inside the run record) by moving the texts to their own store, keys and all', async () => {
    const inline = run('inline', 3, 2);
    const blobbed = run('blobbed', 2, 2);
    // Version 2 records as that version wrote them: StoredRun with its texts, big buffers as Blobs.
    const v2 = (r: Run, blob: boolean) => {
      const { values, loss, texts, ...header } = r;
      const columns = [...values].flatMap(([m, byStat]) => [...byStat.keys()].map((s) => [m, s]));
      const numbers = new Float64Array([...[...values.values()].flatMap((byStat) => [...byStat.values()].flatMap((c) => Array.from(c))), ...Array.from(loss)]);
      const b = <T extends ArrayBufferView>(a: T) => (blob ? new Blob([a as ArrayBufferView<ArrayBuffer>]) : a);
      return { id: r.id, header, columns, numbers: b(numbers), texts: { bytes: b(texts!.bytes), ends: b(texts!.ends) } };
    };
    const db = await openDB('gradlens', 2, {
      upgrade(d) {
        d.createObjectStore('runs', { keyPath: 'id' });
        d.createObjectStore('entries', { keyPath: 'id' });
        d.createObjectStore('flags');
      },
    });
    await db.put('runs', v2(inline, false));
    await db.put('runs', v2(blobbed, true));
    await db.put('entries', entry('inline', 0));
    await db.put('entries', entry('blobbed', 1));
    db.close();
    const store = idbRunStore();
    const { saved } = await store.loadAll();
    expect(saved.map((s) => s.run.id)).toEqual(['inline', 'blobbed']);
    for (const [original, s] of [inline, blobbed].map((r, i) => [r, saved[i]] as const)) {
      expect(Array.from(s.run.keys!.prompt)).toEqual(Array.from(sampleKeys(original).prompt));
      expect(Array.from(s.run.loss)).toEqual(Array.from(original.loss));
      expect(sampleText(await withTexts(store, s.run), 1)).toEqual(sampleText(original, 1));
    }
    const records = await raw((d) => d.getAll('runs'));
    expect(records.map((r) => 'texts' in r)).toEqual([false, false]);
    // Keys of the run whose texts were Blobs are hashed at the first load and written back.
    expect(records.map((r) => 'keys' in r)).toEqual([true, true]);
  });

  it('reads no texts to restore runs: a run whose texts record is gone still loads, and pairs by its keys', async () => {
    const store = idbRunStore();
    await store.putRuns([{ run: run('a', 3, 2), entry: entry('a', 0) }]);
    await raw((db) => db.delete('texts', 'a'));
    const back = (await idbRunStore().loadAll()).saved[0].run;
    expect(back.sampleCount).toBe(3);
    expect(await store.loadTexts('a')).toBeNull();
    expect(sampleKeys(back).prompt).toHaveLength(3);
  });

  it('keeps the stored texts when a restored run (without its texts) is saved again, and removes them with the run', async () => {
    const store = idbRunStore();
    const original = run('a', 2, 2);
    await store.putRuns([{ run: original, entry: entry('a', 0) }]);
    const back = (await store.loadAll()).saved[0].run;
    await store.putRuns([{ run: back, entry: entry('a', 0, 'again') }]);
    expect(sampleText(await withTexts(store, back), 1)).toEqual(sampleText(original, 1));
    await store.remove(['a']);
    expect(await store.loadTexts('a')).toBeNull();
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

describe('idbRunStore with run files (OPFS)', () => {
  it('writes each run to one file of its own, texts last, and reads back the same numbers, keys and texts', async () => {
    const files = memoryRunFiles();
    const original: Run = {
      ...run('filed', 5, 3),
      spectra: new Map([['self_attn.q_proj', { offsets: new Uint32Array([0, 2, 3]), values: new Float32Array([3, 1, 2]), longest: 2 }]]),
      cosineSim: new Map([['self_attn.q_proj', Float64Array.from({ length: 9 }, (_, i) => i / 7)]]),
    };
    await idbRunStore({ files }).putRuns([{ run: original, entry: entry('filed', 0) }]);
    expect(files.names()).toHaveLength(1);
    const [file] = files.names();
    const record = await raw((db) => db.get('runs', 'filed'));
    expect(record.numbers).toEqual({ file, start: 0, end: original.sampleCount * original.layerCount * 8 * record.columns.length + original.sampleCount * 8 });
    const texts = await raw((db) => db.get('texts', 'filed'));
    expect(texts.bytes.file).toBe(file);
    expect(texts.bytes.start).toBeGreaterThan(record.cosineSim.get('self_attn.q_proj').start);
    const reader = idbRunStore({ files });
    const back = (await reader.loadAll()).saved[0].run;
    expect(back.texts).toBeUndefined();
    expect(Array.from(back.loss)).toEqual(Array.from(original.loss));
    for (const [module, byStat] of original.values)
      for (const [stat, column] of byStat) expect(Array.from(back.values.get(module)!.get(stat)!)).toEqual(Array.from(column));
    expect(Array.from(back.keys!.response)).toEqual(Array.from(sampleKeys(original).response));
    expect(back.spectra).toEqual(original.spectra);
    expect(back.cosineSim).toEqual(original.cosineSim);
    expect(sampleText(await withTexts(reader, back), 4)).toEqual(sampleText(original, 4));
  });

  it('deletes a run’s file with the run, and the old file once the run is saved again to a new one', async () => {
    const files = memoryRunFiles();
    const store = idbRunStore({ files });
    await store.putRuns([{ run: run('a'), entry: entry('a', 0) }, { run: run('b'), entry: entry('b', 1) }]);
    const before = files.names();
    await store.putRuns([{ run: run('a', 4), entry: entry('a', 0) }]);
    const after = files.names();
    expect(after).toHaveLength(2);
    expect(after.filter((f) => !before.includes(f))).toHaveLength(1);
    expect((await store.loadAll()).saved.find((s) => s.run.id === 'a')!.run.sampleCount).toBe(4);
    await store.remove(['a', 'b']);
    expect(files.names()).toEqual([]);
  });

  it('keeps the file holding the texts when a restored run is saved again without them', async () => {
    const files = memoryRunFiles();
    const store = idbRunStore({ files });
    const original = run('a', 3, 2);
    await store.putRuns([{ run: original, entry: entry('a', 0) }]);
    const back = (await store.loadAll()).saved[0].run;
    await store.putRuns([{ run: back, entry: entry('a', 0, 'again') }]);
    expect(files.names()).toHaveLength(2);
    expect(sampleText(await withTexts(store, back), 2)).toEqual(sampleText(original, 2));
    await store.remove(['a']);
    expect(files.names()).toEqual([]);
  });

  it('answers a full file system with an error naming the run, and stores neither its file nor its records', async () => {
    const files = memoryRunFiles({ quotaBytes: 1000 });
    const store = idbRunStore({ files });
    const error = await store.putRuns([{ run: run('big', 20, 8), entry: entry('big', 0) }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreWriteError);
    expect((error as StoreWriteError).ids).toEqual(['big']);
    expect((error as StoreWriteError).quota).toBe(true);
    expect((error as StoreWriteError).message).toMatch(/storage for this site is full/);
    expect(files.names()).toEqual([]);
    expect(await store.loadAll()).toEqual({ saved: [], orphans: [] });
  });

  it('deletes the files it wrote when IndexedDB then refuses the records', async () => {
    const files = memoryRunFiles();
    const store = idbRunStore({ files });
    await store.loadAll();
    const original = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function () {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    try {
      const error = await store.putRuns([{ run: run('a'), entry: entry('a', 0) }]).catch((e: unknown) => e);
      expect((error as StoreWriteError).quota).toBe(true);
    } finally {
      IDBObjectStore.prototype.put = original;
    }
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(files.names()).toEqual([]);
  });

  it('reads runs a version-3 database keeps as Blobs in place, beside runs written to files since', async () => {
    const old = run('v3', 3, 2);
    await idbRunStore({ blobBytes: 0, files: null }).putRuns([{ run: old, entry: entry('v3', 0) }]);
    // The same records under version 3, as that version wrote them.
    const records = await raw(async (db) => ({ run: await db.get('runs', 'v3'), texts: await db.get('texts', 'v3'), entry: await db.get('entries', 'v3') }));
    await new Promise((resolve, reject) => {
      const request = indexedDB.deleteDatabase('gradlens');
      request.onsuccess = resolve;
      request.onerror = reject;
    });
    const v3 = await openDB('gradlens', 3, {
      upgrade(d) {
        for (const name of ['runs', 'entries', 'texts']) d.createObjectStore(name, { keyPath: 'id' });
        d.createObjectStore('flags');
      },
    });
    await v3.put('runs', records.run);
    await v3.put('texts', records.texts);
    await v3.put('entries', records.entry);
    v3.close();
    const files = memoryRunFiles();
    const store = idbRunStore({ files });
    const fresh = run('new', 2, 2);
    await store.putRuns([{ run: fresh, entry: entry('new', 1) }]);
    expect(files.names()).toHaveLength(1);
    const { saved } = await store.loadAll();
    expect(saved.map((s) => s.run.id)).toEqual(['v3', 'new']);
    for (const [original, s] of [old, fresh].map((r, i) => [r, saved[i]] as const)) {
      expect(Array.from(s.run.loss)).toEqual(Array.from(original.loss));
      expect(sampleText(await withTexts(store, s.run), 1)).toEqual(sampleText(original, 1));
    }
    expect((await raw((db) => db.get('runs', 'v3'))).numbers).toBeInstanceOf(Blob);
  });

  it('leaves out a run whose file is gone, so its entry shows as an orphan to remove', async () => {
    const files = memoryRunFiles();
    const store = idbRunStore({ files });
    await store.putRuns([{ run: run('kept'), entry: entry('kept', 0) }]);
    await store.putRuns([{ run: run('lost'), entry: entry('lost', 1) }]);
    const lost = (await raw((db) => db.get('runs', 'lost'))).numbers.file;
    await files.remove([lost]);
    const { saved, orphans } = await idbRunStore({ files }).loadAll();
    expect(saved.map((s) => s.run.id)).toEqual(['kept']);
    expect(orphans.map((o) => o.kind === 'entry' && o.entry.id)).toEqual(['lost']);
  });
});
