/**
 * Where loaded runs persist across reloads, shared by the page and the parse workers.
 * One record per run (its columns as a few buffers, see storedRun.ts) and one entry
 * record per run (the user's display choices: label, color, hidden, place in the list),
 * keyed by run id. A run and its entry are written in one transaction, entries are
 * written one record each (never the whole list), so two tabs loading at once cannot
 * drop each other's runs; whatever is found without its pair is reported as an orphan.
 */
import type { Run, SampleTexts } from '../core/format/run.ts';

/** Where a run came from, so a shared link can reload it. */
export interface RunSource {
  kind: 'file' | 'url' | 'demo' | 'compute';
  ref: string;
}

/** The user's display choices for one run; `position` orders the list (ties: by id). */
export interface StoredEntry {
  id: string;
  label: string;
  color: string;
  hidden: boolean;
  source: RunSource;
  position: number;
}

/** A run and its entry, as written and read together. */
export interface SavedRun {
  run: Run;
  entry: StoredEntry;
}

/**
 * Something stored without its pair: a run with no entry (an interrupted load, or a
 * list rewritten by another tab before entries were per run) can be recovered; an
 * entry with no run cannot, only removed.
 */
export type Orphan = { kind: 'run'; run: Run } | { kind: 'entry'; entry: StoredEntry };

/** What a store holds at start. */
export interface StoredState {
  /** Runs with their entries, in list order. */
  saved: SavedRun[];
  orphans: Orphan[];
}

/** The runs a write could not store, by id, and why (one line). */
export class StoreWriteError extends Error {
  override name = 'StoreWriteError';
  constructor(
    message: string,
    /** Ids of the runs not stored. */
    readonly ids: readonly string[],
    /** True when the browser's storage for the site is full. */
    readonly quota: boolean,
  ) {
    super(message);
  }
}

/** Persistence of runs; the app uses IndexedDB (idbRunStore), tests and browsers without it a Map. */
export interface RunStore {
  /** True when workers can write to this store themselves (IndexedDB is shared by the page and its workers). */
  readonly sharedWithWorkers: boolean;
  /** Stored runs, their numbers only: a run's texts are read when a sample is opened (loadTexts). */
  loadAll(): Promise<StoredState>;
  /** The sample texts of stored run `id`, or null when none are stored. */
  loadTexts(id: string): Promise<SampleTexts | null>;
  /** Writes runs and their entries in one transaction; a failure (StoreWriteError) stores none of them. */
  putRuns(items: readonly SavedRun[]): Promise<void>;
  /** Updates the entries of runs that are stored; entries of runs not (or no longer) stored are skipped, so no entry outlives its run. */
  putEntries(entries: readonly StoredEntry[]): Promise<void>;
  /** Removes runs and their entries. */
  remove(ids: readonly string[]): Promise<void>;
  getFlag(name: string): Promise<boolean>;
  setFlag(name: string, value: boolean): Promise<void>;
}

/** Sorts entries by position, then id (two tabs may give the same position). */
export function byPosition(a: StoredEntry, b: StoredEntry): number {
  return a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Pairs runs with entries: every pair in list order, and what is left over as orphans. */
export function pairStored(runs: readonly Run[], entries: readonly StoredEntry[]): StoredState {
  const byId = new Map(runs.map((r) => [r.id, r]));
  const saved: SavedRun[] = [];
  const orphans: Orphan[] = [];
  for (const entry of entries.slice().sort(byPosition)) {
    const run = byId.get(entry.id);
    if (run) {
      saved.push({ run, entry });
      byId.delete(entry.id);
    } else orphans.push({ kind: 'entry', entry });
  }
  for (const run of byId.values()) orphans.push({ kind: 'run', run });
  return { saved, orphans };
}

/**
 * A store in memory: the fallback where IndexedDB is missing, and tests. `quotaBytes`
 * makes it refuse writes past that many bytes of run data, as a full browser store does.
 */
export function memoryRunStore({ quotaBytes = Infinity }: { quotaBytes?: number } = {}): RunStore {
  const runs = new Map<string, { run: Run; bytes: number }>();
  const entries = new Map<string, StoredEntry>();
  const flags = new Map<string, boolean>();
  const used = () => [...runs.values()].reduce((n, r) => n + r.bytes, 0);
  return {
    sharedWithWorkers: false,
    async loadAll() {
      return pairStored(
        [...runs.values()].map((r) => r.run),
        [...entries.values()],
      );
    },
    async loadTexts(id) {
      return runs.get(id)?.run.texts ?? null;
    },
    async putRuns(items) {
      const added = items.reduce((n, { run }) => n + runBytes(run) - (runs.get(run.id)?.bytes ?? 0), 0);
      if (used() + added > quotaBytes) {
        throw new StoreWriteError(
          `the storage for this site is full (${used()} of ${quotaBytes} bytes used)`,
          items.map((i) => i.run.id),
          true,
        );
      }
      for (const { run, entry } of items) {
        // A run given without texts (restored earlier) keeps those stored.
        const texts = run.texts ?? runs.get(run.id)?.run.texts;
        runs.set(run.id, { run: texts ? { ...run, texts } : run, bytes: runBytes(run) });
        entries.set(run.id, { ...entry, source: { ...entry.source } });
      }
    },
    async putEntries(list) {
      for (const entry of list) if (runs.has(entry.id)) entries.set(entry.id, { ...entry, source: { ...entry.source } });
    },
    async remove(ids) {
      for (const id of ids) {
        runs.delete(id);
        entries.delete(id);
      }
    },
    async getFlag(name) {
      return flags.get(name) ?? false;
    },
    async setFlag(name, value) {
      flags.set(name, value);
    },
  };
}

/** Bytes of a run's columns (what storage space is mostly spent on). */
export function runBytes(run: Run): number {
  let bytes = run.loss.byteLength;
  for (const byStat of run.values.values()) for (const column of byStat.values()) bytes += column.byteLength;
  for (const s of run.spectra?.values() ?? []) bytes += s.offsets.byteLength + s.values.byteLength;
  for (const c of run.cosineSim?.values() ?? []) bytes += c.byteLength;
  return bytes;
}
