/**
 * Writes of many runs in few transactions: items queued while a write is in flight go
 * together in the next one (300 small files loaded at once make a handful of
 * transactions, not 300). When a batch fails because storage is full, its items are
 * tried one by one, so as many runs as fit are kept and the rest are named.
 */
import { StoreWriteError } from './runStore.ts';

/** What became of one queued item: stored, or the reason it was not. */
export type WriteOutcome = { ok: true } | { ok: false; error: StoreWriteError };

interface Pending<T> {
  item: T;
  id: string;
  resolve: (outcome: WriteOutcome) => void;
}

/**
 * A queue over `write` (one transaction for a list of items). `enqueue` resolves once
 * the item's transaction ended; it never rejects.
 */
export function batchedWrites<T>(write: (items: T[]) => Promise<void>, idOf: (item: T) => string): { enqueue(item: T): Promise<WriteOutcome>; idle(): Promise<void> } {
  let queue: Pending<T>[] = [];
  let running: Promise<void> | null = null;

  const toError = (error: unknown, ids: string[]) =>
    error instanceof StoreWriteError ? error : new StoreWriteError(error instanceof Error ? error.message : String(error), ids, false);

  async function writeBatch(batch: Pending<T>[]): Promise<void> {
    try {
      await write(batch.map((p) => p.item));
      for (const p of batch) p.resolve({ ok: true });
      return;
    } catch (error) {
      const failure = toError(
        error,
        batch.map((p) => p.id),
      );
      if (batch.length === 1 || !failure.quota) {
        for (const p of batch) p.resolve({ ok: false, error: new StoreWriteError(failure.message, [p.id], failure.quota) });
        return;
      }
    }
    for (const p of batch) await writeBatch([p]);
  }

  async function drain(): Promise<void> {
    while (queue.length) {
      const batch = queue;
      queue = [];
      await writeBatch(batch);
    }
    running = null;
  }

  return {
    enqueue(item) {
      return new Promise<WriteOutcome>((resolve) => {
        queue.push({ item, id: idOf(item), resolve });
        // Started after the current task, so items queued in the same task share a transaction.
        running ??= Promise.resolve().then(drain);
      });
    },
    async idle() {
      while (running) await running;
    },
  };
}
