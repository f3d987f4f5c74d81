/**
 * The IndexedDB run store (database `gradlens`): object stores `runs` (StoredRun, a few
 * buffers per run), `texts` (each run's sample texts, read only when a sample is
 * opened), `entries` (one StoredEntry per run) and `flags`. The buffers themselves go to
 * one OPFS file per run where the browser has OPFS (runFiles.ts), else into IndexedDB as
 * Blobs; records of either kind (and older versions') are read in place. Opened by the
 * page and by each parse worker; every write is one transaction.
 */
import { openDB, type IDBPDatabase, type IDBPTransaction } from 'idb';
import type { Run, SampleTexts } from '../core/format/run.ts';
import { keysOfTexts } from '../core/format/sampleKeys.ts';
import { opfsRunFiles, type RunFiles } from './runFiles.ts';
import { fromStoredRun, fromVersionOne, toStoredRun, type StoredRun, type VersionOneRun } from './storedRun.ts';
import { pairStored, StoreWriteError, type RunStore, type SavedRun, type StoredEntry } from './runStore.ts';

const DB_NAME = 'gradlens';
/**
 * 1: runs as cloned Run objects, entries as one list rewritten whole. 2: runs as
 * StoredRun records, texts inside. 3: texts in their own store, keys with the numbers.
 * 4: buffers may be byte ranges of an OPFS file (no new store: the version keeps older
 * code, which cannot read those, from opening the database).
 */
const DB_VERSION = 4;

/** Bytes [start, end) of OPFS file `file`. */
interface InFile {
  file: string;
  start: number;
  end: number;
}

/**
 * A stored buffer as written: inline, a Blob (the browser keeps it as a file of its own
 * and reads it back off the page's thread), or a range of the run's OPFS file. Measured
 * in a worker here: a 3.6 MB Float64Array put inline held the thread 75-320 ms and its
 * transaction 0.3-1.1 s, as a Blob 45-120 ms and 0.13 s.
 */
type OnDisk<T> = T | Blob | InFile;
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

const isInFile = (a: unknown): a is InFile => !(a instanceof Blob) && !ArrayBuffer.isView(a);

/** The buffers of a record, as stored. */
function buffersOf(record: DiskRun | DiskTexts | undefined): OnDisk<ArrayBufferView>[] {
  if (!record) return [];
  if (!('header' in record)) return [record.bytes, record.ends];
  return [
    record.numbers,
    ...(record.keys ? [record.keys.prompt, record.keys.response] : []),
    ...[...(record.spectra?.values() ?? [])].flatMap((s) => [s.offsets, s.values]),
    ...(record.cosineSim?.values() ?? []),
  ];
}

/** The OPFS files a record's buffers are in. */
const filesOf = (record: DiskRun | DiskTexts | undefined): string[] => [...new Set(buffersOf(record).filter(isInFile).map((b) => b.file))];

/**
 * Places a run's buffers: into the parts of one file `file` (each at a multiple of 8
 * bytes, so it can be viewed in place when read back), or, without a file, inline up to
 * `blobBytes` and as Blobs past it.
 */
function placement(file: string | null, blobBytes: number) {
  const parts: ArrayBufferView[] = [];
  let at = 0;
  const place = <T extends ArrayBufferView>(a: T): OnDisk<T> => {
    if (file === null) return a.byteLength > blobBytes ? new Blob([a as ArrayBufferView<ArrayBuffer>]) : a;
    const pad = (8 - (at % 8)) % 8;
    if (pad) parts.push(new Uint8Array(pad));
    const start = at + pad;
    parts.push(a);
    at = start + a.byteLength;
    return { file, start, end: at };
  };
  return { place, parts };
}
type Place = ReturnType<typeof placement>['place'];

function toDisk(run: StoredRun, place: Place): DiskRun {
  const { numbers, keys, spectra, cosineSim, ...rest } = run;
  const disk: DiskRun = { ...rest, numbers: place(numbers) };
  if (keys) disk.keys = { prompt: place(keys.prompt), response: place(keys.response) };
  if (spectra) disk.spectra = new Map([...spectra].map(([m, s]) => [m, { offsets: place(s.offsets), values: place(s.values), longest: s.longest }]));
  if (cosineSim) disk.cosineSim = new Map([...cosineSim].map(([m, c]) => [m, place(c)]));
  return disk;
}

const textsToDisk = (id: string, texts: SampleTexts, place: Place): DiskTexts => ({ id, bytes: place(texts.bytes), ends: place(texts.ends) });

interface TypedArrayOf<T> {
  new (buffer: ArrayBuffer, byteOffset?: number, length?: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

/**
 * Reads a record's buffers back. Its file ranges are read in one piece (one copy, off
 * the page's thread) and viewed in place; Blobs are read each on their own.
 */
function reader(record: DiskRun | DiskTexts, files: RunFiles | null) {
  const ranges = buffersOf(record).filter(isInFile);
  let span: Promise<ArrayBuffer> | null = null;
  const first = Math.min(...ranges.map((r) => r.start));
  const readSpan = (file: string) => {
    if (!files) throw new Error(`run ${record.id} is stored in a file, and this browser has no file system for the site`);
    return (span ??= files.read(file, first, Math.max(...ranges.map((r) => r.end))));
  };
  return <T>(a: OnDisk<T>, Typed: TypedArrayOf<T>): T | Promise<T> => {
    if (a instanceof Blob) return a.arrayBuffer().then((b) => new Typed(b));
    if (isInFile(a)) return readSpan(a.file).then((b) => new Typed(b, a.start - first, (a.end - a.start) / Typed.BYTES_PER_ELEMENT));
    return a;
  };
}

/** Reads a run's buffers back, in parallel. */
async function fromDisk(run: DiskRun, files: RunFiles | null): Promise<StoredRun> {
  const read = reader(run, files);
  const [numbers, prompt, response, spectra, cosineSim] = await Promise.all([
    read(run.numbers, Float64Array),
    run.keys && read(run.keys.prompt, Float64Array),
    run.keys && read(run.keys.response, Float64Array),
    run.spectra &&
      Promise.all(
        [...run.spectra].map(async ([m, s]) => {
          const [offsets, values] = await Promise.all([read(s.offsets, Uint32Array), read(s.values, Float32Array)]);
          return [m, { offsets, values, longest: s.longest }] as const;
        }),
      ),
    run.cosineSim && Promise.all([...run.cosineSim].map(async ([m, c]) => [m, await read(c, Float64Array)] as const)),
  ]);
  const { keys: _k, spectra: _s, cosineSim: _c, ...rest } = run;
  const stored: StoredRun = { ...rest, numbers };
  if (prompt && response) stored.keys = { prompt, response };
  if (spectra) stored.spectra = new Map(spectra);
  if (cosineSim) stored.cosineSim = new Map(cosineSim);
  return stored;
}

async function textsFromDisk(texts: DiskTexts, files: RunFiles | null): Promise<SampleTexts> {
  const read = reader(texts, files);
  const [bytes, ends] = await Promise.all([read(texts.bytes, Uint8Array), read(texts.ends, Uint32Array)]);
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
  if (oldVersion < 1 || oldVersion >= 3) return;
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
      await texts.put(textsToDisk(one.stored.id, one.texts, placement(null, Infinity).place));
      await cursor.update(one.stored);
    } else if ('texts' in value) {
      const { texts: old, ...run } = value;
      await texts.put({ id: run.id, bytes: old.bytes, ends: old.ends } satisfies DiskTexts);
      if (ArrayBuffer.isView(old.bytes) && ArrayBuffer.isView(old.ends)) run.keys = keysOfTexts({ bytes: old.bytes, ends: old.ends }, run.header.sampleCount);
      await cursor.update(run);
    }
    cursor = await cursor.continue();
  }
}

/** A new file name for run `id`'s buffers (a run saved again gets a new file, so the old one stays whole until the new record is written). */
const fileName = (id: string) => `${encodeURIComponent(id)}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

/**
 * Opens (or creates, or upgrades) the store. Buffers go to `files` (default: this
 * origin's OPFS, where the browser has it and this context can write it), else into
 * IndexedDB, inline up to `blobBytes` and as Blobs past it.
 */
export function idbRunStore({ blobBytes = 64 << 10, files = opfsRunFiles() }: { blobBytes?: number; files?: RunFiles | null } = {}): IdbRunStore {
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
  const writesFiles = files?.writable === true;
  /** Deletes files no record refers to any more; a failure leaves them (space, not data). */
  const removeFiles = (names: readonly string[]) => (names.length && files ? files.remove(names).catch(() => undefined) : undefined);

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
      if (texts) run.keys = keysOfTexts(await textsFromDisk(texts, files), run.header.sampleCount);
    }
    try {
      const tx = d.transaction('runs', 'readwrite');
      const place = placement(null, blobBytes).place;
      await Promise.all([...missing.filter((r) => r.keys).map((r) => tx.store.put(toDisk(r, place))), tx.done]);
    } catch {
      // Kept for this page only; hashed again on the next load.
    }
  }

  async function putStored(items: readonly StoredItem[]): Promise<void> {
    if (items.length === 0) return;
    const ids = items.map((i) => i.stored.id);
    // Each run's buffers (texts last) go to a file of its own, written before the records that point to them.
    const laid = items.map(({ stored, texts: t, entry }) => {
      const file = writesFiles ? fileName(stored.id) : null;
      const { place, parts } = placement(file, blobBytes);
      const run = toDisk(stored, place);
      const texts = t && textsToDisk(stored.id, t, place);
      return { run, texts, entry, file, parts };
    });
    const written = laid.flatMap((l) => (l.file ? [l.file] : []));
    let tx: IDBPTransaction<unknown, string[], 'readwrite'> | null = null;
    try {
      const writes = await Promise.allSettled(laid.map((l) => (l.file ? files!.write(l.file, l.parts) : undefined)));
      const failed = writes.find((w) => w.status === 'rejected');
      if (failed) throw failed.reason;
      tx = (await open()).transaction(['runs', 'texts', 'entries'], 'readwrite');
      const done = tx.done;
      done.catch(() => undefined); // observed below, or after an abort here
      const runs = tx.objectStore('runs');
      const texts = tx.objectStore('texts');
      const entries = tx.objectStore('entries');
      // A put that throws at once (a value that cannot be cloned) aborts the lot: never a run without its entry.
      const [stale] = await Promise.all([
        Promise.all(
          laid.map(async (l) => {
            const [oldRun, oldTexts] = await Promise.all([runs.get(l.run.id) as Promise<DiskRun | undefined>, texts.get(l.run.id) as Promise<DiskTexts | undefined>]);
            await Promise.all([runs.put(l.run), ...(l.texts ? [texts.put(l.texts)] : []), entries.put(l.entry)]);
            // The old files, but the one holding the texts kept (a run saved again without its texts).
            const kept = new Set(l.texts ? [] : filesOf(oldTexts));
            return [...filesOf(oldRun), ...filesOf(oldTexts)].filter((f) => f !== l.file && !kept.has(f));
          }),
        ),
        done,
      ]);
      void removeFiles([...new Set(stale.flat())]);
    } catch (error) {
      try {
        tx?.abort();
      } catch {
        // already finished or aborted
      }
      void removeFiles(written);
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
      // A run whose buffers cannot be read (its file deleted behind the store's back) is left out: its entry shows as an orphan.
      const read = await Promise.allSettled(disk.map((r) => fromDisk(r, files)));
      const stored = read.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      await addMissingKeys(stored);
      globalThis.performance?.mark?.('gradlens:runs-read', { detail: { runs: stored.length, bytes: stored.reduce((n, r) => n + storedBytes(r), 0) } });
      return pairStored(stored.map(fromStoredRun), entries);
    },
    async loadTexts(id) {
      const texts = (await (await open()).get('texts', id)) as DiskTexts | undefined;
      return texts ? textsFromDisk(texts, files) : null;
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
      const [names] = await Promise.all([
        Promise.all(
          ids.map(async (id) => {
            const [run, texts] = await Promise.all([tx.objectStore('runs').get(id) as Promise<DiskRun | undefined>, tx.objectStore('texts').get(id) as Promise<DiskTexts | undefined>]);
            await Promise.all(['runs', 'texts', 'entries'].map((store) => tx.objectStore(store).delete(id)));
            return [...filesOf(run), ...filesOf(texts)];
          }),
        ),
        tx.done,
      ]);
      await removeFiles([...new Set(names.flat())]);
    },
    async getFlag(name) {
      return ((await (await open()).get('flags', name)) as boolean | undefined) ?? false;
    },
    async setFlag(name, value) {
      await (await open()).put('flags', value, name);
    },
  };
}
