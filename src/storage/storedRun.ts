/**
 * A Run as IndexedDB keeps it: a few buffers instead of thousands of objects. The
 * columns (every module × statistic, then the loss) are one Float64Array; the sample
 * texts one UTF-8 buffer; the rest (names, metadata, skipped lines) a small header.
 * Structured clone copies a typed array as one block, so a write or a read of a run
 * costs about a memcpy of its numbers.
 */
import type { ModuleKey, Run, StatName } from '../core/format/run.ts';

/** The stored form of a Run (object store `runs`, key `id`). */
export interface StoredRun {
  id: string;
  /** Everything of the Run but its columns and texts. */
  header: Omit<Run, 'values' | 'loss' | 'samples'>;
  /** Columns in `header.modules` × `header.stats` order, each sampleCount × layerCount, then the loss (sampleCount). */
  numbers: Float64Array;
  /** The sample texts as one UTF-8 JSON array. */
  texts: Uint8Array;
}

/** The buffers of a stored run (what a worker may transfer). */
export function storedRunBuffers(stored: StoredRun): ArrayBuffer[] {
  return [stored.numbers.buffer, stored.texts.buffer].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
}

/**
 * The stored form of `run`. Copies the columns (the run keeps its own arrays, so it can
 * be handed to the page while this copy is written). Columns the run lacks for a
 * (module, statistic) pair are stored as NaN.
 */
export function toStoredRun(run: Run, numbers: Float64Array = storedColumns(run)): StoredRun {
  const { values: _values, loss: _loss, samples, ...header } = run;
  return { id: run.id, header: { ...header, skipped: header.skipped.slice() }, numbers, texts: new TextEncoder().encode(JSON.stringify(samples)) };
}

/**
 * The `numbers` of a stored run: a copy of its columns in one array. A worker takes it
 * before it transfers the run's own arrays to the page, and encodes the rest after.
 */
export function storedColumns(run: Run): Float64Array {
  const cells = run.sampleCount * run.layerCount;
  const numbers = new Float64Array(run.modules.length * run.stats.length * cells + run.sampleCount);
  let at = 0;
  for (const module of run.modules) {
    for (const stat of run.stats) {
      const column = run.values.get(module)?.get(stat);
      if (column && column.length === cells) numbers.set(column, at);
      else numbers.fill(NaN, at, at + cells);
      at += cells;
    }
  }
  numbers.set(run.loss.subarray(0, run.sampleCount), at);
  return numbers;
}

/** The Run a stored record holds; its columns are views of `stored.numbers` (no copy). */
export function fromStoredRun(stored: StoredRun): Run {
  const { header, numbers } = stored;
  const cells = header.sampleCount * header.layerCount;
  const values = new Map<ModuleKey, Map<StatName, Float64Array>>();
  let at = 0;
  for (const module of header.modules) {
    const byStat = new Map<StatName, Float64Array>();
    for (const stat of header.stats) {
      byStat.set(stat, numbers.subarray(at, at + cells));
      at += cells;
    }
    values.set(module, byStat);
  }
  const loss = numbers.subarray(at, at + header.sampleCount);
  const samples = JSON.parse(new TextDecoder().decode(stored.texts)) as Run['samples'];
  return { ...header, values, loss, samples };
}

/** Bytes a stored run takes (its buffers), for messages about storage space. */
export function storedRunBytes(stored: StoredRun): number {
  return stored.numbers.byteLength + stored.texts.byteLength;
}
