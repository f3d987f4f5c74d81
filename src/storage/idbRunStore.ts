/**
 * The IndexedDB run store (database `gradlens`): object stores `runs` (StoredRun, a few
 * buffers per run), `texts` (each run's sample texts, read only when a sample is
 * opened), `entries` (one StoredEntry per run) and `flags`. Opened by the page and by
 * each parse worker; every write is one transaction.
 */
import { openDB, type IDBPDatabase, type IDBPTransaction } from 'idb';
import type { Run, SampleTexts } from '../core/format/run.ts';
import { keysOfTexts } from '../core/format/sampleKeys.ts';
import { fromStoredRun, fromVersionOne, toStoredRun, type StoredRun, type VersionOneRun } from './storedRun.ts';
import { pairStored, StoreWriteError, type RunStore, type SavedRun, type StoredEntry } from './runStore.ts';

const DB_NAME = 'gradlens';
/**
 * 1: runs as cloned Run objects, entries as one list rewritten whole. 2: runs as
 * StoredRun records, texts inside. 3: texts in their own store, keys with the numbers.
 */
const DB_VERSION = 3;

/**
 * A stored run as written: buffers past a size are Blobs, which the browser keeps as
 * files of their own and reads back off the page's thread. Measured in a worker here: a
 * 3.6 MB Float64Array put inline held the thread 75-320 ms and its transaction 0.3-1.1 s,
 * as a Blob 45-120 ms and 0.13 s; and a reload of cloned values is one long task on the page.
 */
type OnDisk<T> = T | Blob;
interface DiskRun extends Omit<StoredRun, 'numbers' | 'keys' | 'spectra' | 'cosineSim'> {
  numbers: OnDisk<Float64Array>;
  keys?: { prompt: OnDisk<Float64Array>; response: OnDisk<Float64Array> };
  spectra?: Map<string, { offsets: OnDisk<Uint32Array>; values: OnDisk<Float32Array>; longest: number }>;
  cosineSim?: Map<string, OnDisk<Float64Array>>;
}
/** A run's texts as written (object store `texts`, key `id`). */
interface DiskTexts {
  id: string;
  bytes: OnDisk<Uint8Array>;
  ends: OnDisk<Uint32Array>;
}
/** A version-2 record: the texts inside the run's. */
type VersionTwoRun = DiskRun & { texts: { bytes: OnDisk<Uint8Array>; ends: OnDisk<Uint32Array> } };

const asBlob =
  (blobBytes: number) =>
  <T extends ArrayBufferView>(a: T): OnDisk<T> =>
    a.byteLength > blobBytes ? new Blob([a as ArrayBufferView<ArrayBuffer>]) : a;

function toDisk(run: StoredRun, blobBytes: number): DiskRun {
  const blob = asBlob(blobBytes);
  const { numbers, keys, spectra, cosineSim, ...rest } = run;
  const disk: DiskRun = { ...rest, numbers: blob(numbers) };
  if (keys) disk.keys = { prompt: blob(keys.prompt), response: blob(keys.response) };
  if (spectra) disk.spectra = new Map([...spectra].map(([m, s]) => [m, { offsets: blob(s.offsets), values: blob(s.values), longest: s.longest }]));
  if (cosineSim) disk.cosineSim = new Map([...cosineSim].map(([m, c]) => [m, blob(c)]));
  return disk;
}

function textsToDisk(id: string, texts: SampleTexts, blobBytes: number): DiskTexts {
  const blob = asBlob(blobBytes);
  return { id, bytes: blob(texts.bytes), ends: blob(texts.ends) };
}

/** Reads a buffer back: Blobs are read off the page's thread. */
const read = <T>(a: OnDisk<T>, make: (b: ArrayBuffer) => T): T | Promise<T> => (a instanceof Blob ? a.arrayBuffer().then(make) : a);
const f64 = (b: ArrayBuffer) => new Float64Array(b);

/** Reads a run's buffers back, in parallel. */
async function fromDisk(run: DiskRun): Promise<StoredRun> {
  const [numbers, prompt, response, spectra, cosineSim] = await Promise.all([
    read(run.numbers, f64),
    run.keys && read(run.keys.prompt, f64),
    run.keys && read(run.keys.response, f64),
    run.spectra &&
      Promise.all(
        [...run.spectra].map(async ([m, s]) => {
          const [offsets, values] = await Promise.all([read(s.offsets, (b) => new Uint32Array(b)), read(s.values, (b) => new Float32Array(b))]);
          return [m, { offsets, values, longest: s.longest }] as const;
        }),
      ),
    run.cosineSim && Promise.all([...run.cosineSim].map(async ([m, c]) => [m, await read(c, f64)] as const)),
  ]);
  const { keys: _k, spectra: _s, cosineSim: _c, ...rest } = run;
  const stored: StoredRun = { ...rest, numbers };
  if (prompt && response) stored.keys = { prompt, response };
  if (spectra) stored.spectra = new Map(spectra);
  if (cosineSim) stored.cosineSim = new Map(cosineSim);
  return stored;
}

async function textsFromDisk(texts: DiskTexts): Promise<SampleTexts> {
  const [bytes, ends] = await Promise.all([read(texts.bytes, (b) => new Uint8Array(b)), read(texts.ends, (b) => new Uint32Array(b))]);
  return { bytes, ends };
}

/** Bytes of the buffers a stored run holds (what a reload reads). */
function storedBytes(run: StoredRun): number {
  let n = run.numbers.byteLength + (run.keys ? run.keys.prompt.byteLength + run.keys.response.byteLength : 0);
  for (const s of run.spectra?.values() ?? []) n += s.offsets.byteLength + s.values.byteLength;
  for (const c of run.cosineSim?.values() ?? []) n += c.byteLength;
  return n;
}

/** A run already in its stored form, with its texts (absent: keep those stored) and its entry (a worker encodes before it hands the run over). */
export interface StoredItem {
  stored: StoredRun;
  texts?: SampleTexts;
  entry: StoredEntry;
}

/** The IndexedDB store, plus a write of runs already encoded. */
export interface IdbRunStore extends RunStore {
  putStored(items: readonly StoredItem[]): Promise<void>;
}

function isQuotaError(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'QuotaExceededError' || (error instanceof Error && /quota/i.test(error.message));
}

/** How full the site's storage is, as a clause for a message (empty where the browser does not say). */
async function usageClause(): Promise<string> {
  try {
    const estimate = await globalThis.navigator?.storage?.estimate?.();
    if (!estimate?.quota) return '';
    const mb = (n: number) => `${Math.round(n / 1e6)} MB`;
    return ` (${mb(estimate.usage ?? 0)} of ${mb(estimate.quota)} used)`;
  } catch {
    return '';
  }
}

/** The one-line reason a write failed, naming the kind of failure the browser gave. */
async function writeError(error: unknown, ids: readonly string[]): Promise<StoreWriteError> {
  if (error instanceof StoreWriteError) return error;
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (isQuotaError(error)) return new StoreWriteError(`the browser's storage for this site is full${await usageClause()}`, ids, true);
  return new StoreWriteError(`the browser refused the write (${detail || 'no reason given'})`, ids, false);
}

async function upgrade(db: IDBPDatabase, oldVersion: number, tx: IDBPTransaction<unknown, string[], 'versionchange'>): Promise<void> {
  if (oldVersion < 1) {
    db.createObjectStore('runs', { keyPath: 'id' });
    db.createObjectStore('entries', { keyPath: 'id' });
    db.createObjectStore('flags');
  }
  if (oldVersion < 3) db.createObjectStore('texts', { keyPath: 'id' });
  if (oldVersion < 1) return;
  // Versions 1 and 2 kept the texts in the run's record (version 1 as sample objects):
  // move them to their own store. Keys are hashed here where the texts are at hand, and
  // on first load where they are Blobs (a Blob cannot be read inside this transaction).
  const runs = tx.objectStore('runs');
  const texts = tx.objectStore('texts');
  let cursor = await runs.openCursor();
  while (cursor) {
    const value = cursor.value as VersionOneRun | VersionTwoRun;
    if (!('numbers' in value)) {
      const one = fromVersionOne(value);
      await texts.put(textsToDisk(one.stored.id, one.texts, Infinity));
      await cursor.update(one.stored);
    } else if ('texts' in value) {
      const { texts: old, ...run } = value;
      await texts.put({ id: run.id, bytes: old.bytes, ends: old.ends } satisfies DiskTexts);
      if (!(old.bytes instanceof Blob) && !(old.ends instanceof Blob)) {
        const keys = keysOfTexts({ bytes: old.bytes, ends: old.ends }, run.header.sampleCount);
        run.keys = keys;
      }
      await cursor.update(run);
    }
    cursor = await cursor.continue();
  }
}

/** Opens (or creates, or upgrades) the store; buffers over `blobBytes` are stored as Blobs. */
export function idbRunStore({ blobBytes = 64 << 10 }: { blobBytes?: number } = {}): IdbRunStore {
  let db: Promise<IDBPDatabase> | null = null;
  const open = () =>
    (db ??= openDB(DB_NAME, DB_VERSION, {
      upgrade(d, oldVersion, _newVersion, tx) {
        void upgrade(d, oldVersion, tx);
      },
      // Another tab opened a newer version: step aside so it can upgrade.
      blocking() {
        void db?.then((d) => d.close());
        db = null;
      },
    }));

  /**
   * Gives keys to runs stored without them (texts kept as Blobs before version 3): their
   * texts are read once, hashed, and the keys written back for the next reload.
   */
  async function addMissingKeys(stored: StoredRun[]): Promise<void> {
    const missing = stored.filter((r) => !r.keys);
    if (missing.length === 0) return;
    const d = await open();
    for (const run of missing) {
      const texts = (await d.get('texts', run.id)) as DiskTexts | undefined;
      if (texts) run.keys = keysOfTexts(await textsFromDisk(texts), run.header.sampleCount);
    }
    try {
      const tx = d.transaction('runs', 'readwrite');
      await Promise.all([...missing.filter((r) => r.keys).map((r) => tx.store.put(toDisk(r, blobBytes))), tx.done]);
    } catch {
      // Kept for this page only; hashed again on the next load.
    }
  }

  async function putStored(items: readonly StoredItem[]): Promise<void> {
    if (items.length === 0) return;
    const ids = items.map((i) => i.stored.id);
    let tx: IDBPTransaction<unknown, string[], 'readwrite'> | null = null;
    try {
      tx = (await open()).transaction(['runs', 'texts', 'entries'], 'readwrite');
      const done = tx.done;
      done.catch(() => undefined); // observed below, or after an abort here
      const runs = tx.objectStore('runs');
      const texts = tx.objectStore('texts');
      const entries = tx.objectStore('entries');
      // A put that throws at once (a value that cannot be cloned) aborts the lot: never a run without its entry.
      await Promise.all([
        ...items.flatMap(({ stored, texts: t, entry }) => [
          runs.put(toDisk(stored, blobBytes)),
          ...(t ? [texts.put(textsToDisk(stored.id, t, blobBytes))] : []),
          entries.put(entry),
        ]),
        done,
      ]);
    } catch (error) {
      try {
        tx?.abort();
      } catch {
        // already finished or aborted
      }
      throw await writeError(error, ids);
    }
  }

  return {
    sharedWithWorkers: true,
    putStored,
    async loadAll() {
      const d = await open();
      const tx = d.transaction(['runs', 'entries'], 'readonly');
      // tx.done is awaited too: a transaction aborted (a reload mid-read) must not reject unobserved.
      const [disk, entries] = await Promise.all([
        tx.objectStore('runs').getAll() as Promise<DiskRun[]>,
        tx.objectStore('entries').getAll() as Promise<StoredEntry[]>,
        tx.done,
      ]);
      const stored = await Promise.all(disk.map(fromDisk));
      await addMissingKeys(stored);
      globalThis.performance?.mark?.('gradlens:runs-read', { detail: { runs: stored.length, bytes: stored.reduce((n, r) => n + storedBytes(r), 0) } });
      return pairStored(stored.map(fromStoredRun), entries);
    },
    async loadTexts(id) {
      const texts = (await (await open()).get('texts', id)) as DiskTexts | undefined;
      return texts ? textsFromDisk(texts) : null;
    },
    putRuns(items: readonly SavedRun[]) {
      return putStored(items.map(({ run, entry }) => ({ stored: toStoredRun(run), texts: run.texts, entry })));
    },
    async putEntries(list) {
      if (list.length === 0) return;
      try {
        const tx = (await open()).transaction(['runs', 'entries'], 'readwrite');
        const runs = tx.objectStore('runs');
        const entries = tx.objectStore('entries');
        // The run's presence is checked in the same transaction, so an entry never outlives its run.
        await Promise.all([
          ...list.map(async (entry) => {
            if ((await runs.getKey(entry.id)) !== undefined) await entries.put(entry);
          }),
          tx.done,
        ]);
      } catch (error) {
        throw await writeError(
          error,
          list.map((e) => e.id),
        );
      }
    },
    async remove(ids) {
      if (ids.length === 0) return;
      const tx = (await open()).transaction(['runs', 'texts', 'entries'], 'readwrite');
      await Promise.all([...ids.flatMap((id) => ['runs', 'texts', 'entries'].map((store) => tx.objectStore(store).delete(id))), tx.done]);
    },
    async getFlag(name) {
      return ((await (await open()).get('flags', name)) as boolean | undefined) ?? false;
    },
    async setFlag(name, value) {
      await (await open()).put('flags', value, name);
    },
  };
}
