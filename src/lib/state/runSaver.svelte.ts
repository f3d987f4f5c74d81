/**
 * The page's side of keeping runs across reloads. A run a parse worker saved (with its
 * entry, in one transaction) is only checked on; other runs (live computations, runs a
 * worker could not save) are saved from here, many per transaction. Display choices are
 * written one record per run, only those that changed, and only for runs that are
 * stored. Removing a run waits for its save to end first, so it cannot come back.
 * Runs that could not be saved stay listed with the reason, and stay loaded.
 */
import type { Run } from '../../core/format/run.ts';
import { batchedWrites } from '../../storage/batchedWrites.ts';
import type { RunStore, SavedRun, StoredEntry } from '../../storage/runStore.ts';
import type { StoreOutcome } from '../../workers/parseHandler.ts';

/** A run that is loaded but not saved, and why. */
export interface UnsavedRun {
  id: string;
  /** The run's label when the save failed. */
  name: string;
  reason: string;
  quota: boolean;
}

/** Saves runs and entries for AppState; its counters are reactive. */
export class RunSaver {
  /** Writes not finished yet (0: everything on screen survives a reload). */
  pending = $state(0);
  /** Runs not saved, with why. */
  unsaved = $state.raw<UnsavedRun[]>([]);
  /** A write other than a run's that failed (entries, flags, removal), or null. */
  error = $state<string | null>(null);

  #store: RunStore;
  /** Runs in the store (restored, or saved by a worker or by this page). */
  #stored = new Set<string>();
  /** Saves under way, per run id. */
  #saving = new Map<string, Promise<void>>();
  /** What was last written of each stored run's entry. */
  #written = new Map<string, string>();
  #entries: StoredEntry[] = [];
  #flush: Promise<void> | null = null;
  #queue: Promise<void> = Promise.resolve();
  #runs: ReturnType<typeof batchedWrites<SavedRun>>;

  constructor(store: RunStore) {
    this.#store = store;
    this.#runs = batchedWrites<SavedRun>(
      (items) => store.putRuns(items),
      (item) => item.run.id,
    );
  }

  /** Notes runs found in the store at start (their entries as stored). */
  restored(entries: readonly StoredEntry[]): void {
    for (const entry of entries) {
      this.#stored.add(entry.id);
      this.#written.set(entry.id, JSON.stringify(entry));
    }
  }

  /** Notes runs that are stored without an entry (recovered orphans): their entries are written with the next change. */
  adopt(ids: readonly string[]): void {
    for (const id of ids) this.#stored.add(id);
    this.entriesChanged(this.#entries);
  }

  /** Saves a run and its entry from the page (batched with other saves close in time). */
  save(run: Run, entry: StoredEntry): void {
    this.#track(
      run.id,
      entry.label,
      this.#runs.enqueue({ run, entry }).then((o): StoreOutcome => (o.ok ? o : { ok: false, message: o.error.message, quota: o.error.quota, retry: false })),
    );
  }

  /** Follows a save a worker was asked to make; when it could not (`retry`), saves from here. */
  followWorker(run: Run, outcome: Promise<StoreOutcome>, entry: () => StoredEntry | null): void {
    const label = entry()?.label ?? run.name;
    this.#track(
      run.id,
      label,
      outcome.then(async (o) => {
        const current = entry();
        if (o.ok || !o.retry || !current) return o;
        const again = await this.#runs.enqueue({ run, entry: current });
        return again.ok ? again : { ok: false, message: again.error.message, quota: again.error.quota, retry: false };
      }),
    );
  }

  /** Writes the entries that changed since last written (of stored runs only), in one transaction, after the current task. */
  entriesChanged(entries: readonly StoredEntry[]): void {
    this.#entries = entries.slice();
    this.#flush ??= this.#enqueue(async () => {
      this.#flush = null;
      const changed = this.#entries.filter((e) => this.#stored.has(e.id) && this.#written.get(e.id) !== JSON.stringify(e));
      if (changed.length === 0) return;
      await this.#store.putEntries(changed);
      for (const e of changed) this.#written.set(e.id, JSON.stringify(e));
    });
  }

  /** Removes runs from the store, once any save of theirs has ended. */
  remove(ids: readonly string[]): void {
    for (const id of ids) {
      this.#written.delete(id);
      this.#stored.delete(id);
    }
    this.unsaved = this.unsaved.filter((u) => !ids.includes(u.id));
    const saves = ids.map((id) => this.#saving.get(id)).filter((p) => p !== undefined);
    void this.#enqueue(async () => {
      await Promise.all(saves);
      for (const id of ids) this.#stored.delete(id);
      await this.#store.remove(ids);
    });
  }

  /** Queues any other write (a flag); a failure is shown, not thrown. */
  write(task: () => Promise<void>): void {
    void this.#enqueue(task);
  }

  /** Resolves when every write issued so far has ended. */
  async flushed(): Promise<void> {
    do await Promise.all([this.#queue, ...this.#saving.values()]);
    while (this.pending > 0);
  }

  #enqueue(task: () => Promise<void>): Promise<void> {
    this.pending++;
    const next = this.#queue
      .then(task)
      .catch((error: unknown) => {
        this.error = `Could not save: ${error instanceof Error ? error.message : String(error)}`;
      })
      .finally(() => this.pending--);
    this.#queue = next;
    return next;
  }

  #track(id: string, label: string, outcome: Promise<StoreOutcome>): void {
    this.pending++;
    const done = outcome
      .then((o) => {
        if (this.#saving.get(id) !== done) return;
        if (o.ok) {
          this.#stored.add(id);
          if (this.unsaved.some((u) => u.id === id)) this.unsaved = this.unsaved.filter((u) => u.id !== id);
          // The entry may have changed (a color given at the batch's end) while the run was being saved.
          this.entriesChanged(this.#entries);
        } else {
          this.unsaved = [...this.unsaved.filter((u) => u.id !== id), { id, name: label, reason: o.message, quota: o.quota }];
        }
      })
      .finally(() => {
        if (this.#saving.get(id) === done) this.#saving.delete(id);
        this.pending--;
      });
    this.#saving.set(id, done);
  }
}
