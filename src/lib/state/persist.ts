/**
 * Persistence of loaded runs across reloads. Runs (large: typed arrays, Maps) and the
 * user's display choices (small: label, color, hidden, order) live in separate stores,
 * so renaming a run rewrites a few bytes, not the run. IndexedDB's structured clone
 * keeps Map and Float64Array as they are.
 */
import { openDB, type IDBPDatabase } from 'idb';
import type { Run } from '../../core/format/run.ts';
import type { RunEntry } from './types.ts';

/** A RunEntry without its run, plus its place in the list. */
export interface StoredEntry {
  id: string;
  label: string;
  color: string;
  hidden: boolean;
  source: RunEntry['source'];
  position: number;
}

/** Where runs persist; the app uses IndexedDB, tests a Map. */
export interface RunStore {
  /**
   * True when a worker can write runs to this store itself (IndexedDB is shared by the
   * page and its workers): the parse worker then saves a run before handing it over, so
   * the structured clone of a large run costs the worker's time, not the page's.
   */
  readonly sharedWithWorkers: boolean;
  /** Every stored entry with its run, in list order; entries whose run is missing are dropped. */
  loadAll(): Promise<RunEntry[]>;
  putRun(run: Run): Promise<void>;
  /** Replaces the stored display choices with these (the whole list, in order). */
  putEntries(entries: readonly RunEntry[]): Promise<void>;
  remove(id: string): Promise<void>;
  getFlag(name: string): Promise<boolean>;
  setFlag(name: string, value: boolean): Promise<void>;
}

function toStored(entries: readonly RunEntry[]): StoredEntry[] {
  return entries.map((e, position) => ({
    id: e.run.id,
    label: e.label,
    color: e.color,
    hidden: e.hidden,
    source: { kind: e.source.kind, ref: e.source.ref },
    position,
  }));
}

function joinStored(stored: StoredEntry[], runs: Map<string, Run>): RunEntry[] {
  return stored
    .slice()
    .sort((a, b) => a.position - b.position)
    .flatMap((s) => {
      const run = runs.get(s.id);
      return run ? [{ run, label: s.label, color: s.color, hidden: s.hidden, source: s.source }] : [];
    });
}

/** A store in memory (tests, and the fallback when IndexedDB is unavailable). */
export function memoryRunStore(): RunStore {
  const runs = new Map<string, Run>();
  let stored: StoredEntry[] = [];
  const flags = new Map<string, boolean>();
  return {
    sharedWithWorkers: false,
    async loadAll() {
      return joinStored(stored, runs);
    },
    async putRun(run) {
      runs.set(run.id, run);
    },
    async putEntries(entries) {
      stored = toStored(entries);
    },
    async remove(id) {
      runs.delete(id);
      stored = stored.filter((s) => s.id !== id);
    },
    async getFlag(name) {
      return flags.get(name) ?? false;
    },
    async setFlag(name, value) {
      flags.set(name, value);
    },
  };
}

const DB_NAME = 'gradlens';

/** The IndexedDB store (database `gradlens`: object stores `runs`, `entries`, `flags`). */
export function idbRunStore(): RunStore {
  let db: Promise<IDBPDatabase> | null = null;
  const open = () =>
    (db ??= openDB(DB_NAME, 1, {
      upgrade(d) {
        d.createObjectStore('runs', { keyPath: 'id' });
        d.createObjectStore('entries', { keyPath: 'id' });
        d.createObjectStore('flags');
      },
    }));
  return {
    sharedWithWorkers: true,
    async loadAll() {
      const d = await open();
      const [stored, runs] = await Promise.all([
        d.getAll('entries') as Promise<StoredEntry[]>,
        d.getAll('runs') as Promise<Run[]>,
      ]);
      return joinStored(stored, new Map(runs.map((r) => [r.id, r])));
    },
    async putRun(run) {
      await (await open()).put('runs', run);
    },
    async putEntries(entries) {
      const tx = (await open()).transaction('entries', 'readwrite');
      await tx.store.clear();
      await Promise.all(toStored(entries).map((s) => tx.store.put(s)));
      await tx.done;
    },
    async remove(id) {
      const tx = (await open()).transaction(['runs', 'entries'], 'readwrite');
      await Promise.all([tx.objectStore('runs').delete(id), tx.objectStore('entries').delete(id)]);
      await tx.done;
    },
    async getFlag(name) {
      return ((await (await open()).get('flags', name)) as boolean | undefined) ?? false;
    },
    async setFlag(name, value) {
      await (await open()).put('flags', value, name);
    },
  };
}
