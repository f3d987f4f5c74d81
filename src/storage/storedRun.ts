/**
 * A Run as storage keeps it: a few buffers instead of thousands of objects. The
 * columns (every module × statistic the run has, then the loss) are one Float64Array,
 * with the per-sample keys pairing needs; the rest (names, metadata, skipped lines) a
 * small header. The sample texts (the run's two buffers, UTF-8 bytes and ends) are a
 * record of their own, read only when a sample is opened: a reload reads the numbers.
 * Structured clone copies a typed array as one block, so a write or a read of a run
 * costs about a memcpy of its bytes.
 */
import type { Spectra } from '../core/format/followup.ts';
import type { ModuleKey, Run, SampleTexts, StatName } from '../core/format/run.ts';
import { keysOfTexts, type SampleKeys } from '../core/format/sampleKeys.ts';
import { packTexts } from '../core/format/texts.ts';

/** The stored form of a Run's numbers (object store `runs`, key `id`); its texts are stored apart. */
export interface StoredRun {
  id: string;
  /** Everything of the Run but its columns, texts and keys. */
  header: Omit<Run, 'values' | 'loss' | 'texts' | 'keys' | 'spectra' | 'cosineSim'>;
  /** The (module, statistic) pairs in `numbers`, in order (a pair the run lacks is not stored). */
  columns: [ModuleKey, StatName][];
  /** Each of `columns`, sampleCount × layerCount, then the loss (sampleCount). */
  numbers: Float64Array;
  /** Per-sample keys, copies (absent on a record stored before keys were, until its first load). */
  keys?: SampleKeys;
  /** The follow-up columns, copies (absent for other runs). */
  spectra?: Map<ModuleKey, Spectra>;
  cosineSim?: Map<ModuleKey, Float64Array>;
}

/** A copy of a run's texts (a worker keeps it to store while the run's own buffers go to the page). */
export function copyTexts(texts: SampleTexts): SampleTexts {
  return { bytes: texts.bytes.slice(), ends: texts.ends.slice() };
}

/**
 * The stored form of `run`: its columns copied into one array, and its keys (the run's,
 * else hashed from `texts`, which default to the run's own).
 */
export function toStoredRun(run: Run, texts: SampleTexts | undefined = run.texts): StoredRun {
  const { values, loss, texts: _texts, keys, spectra, cosineSim, ...header } = run;
  const cells = run.sampleCount * run.layerCount;
  const columns: [ModuleKey, StatName][] = [];
  for (const module of run.modules) for (const stat of run.stats) if (values.get(module)?.get(stat)?.length === cells) columns.push([module, stat]);
  const numbers = new Float64Array(columns.length * cells + run.sampleCount);
  columns.forEach(([module, stat], i) => numbers.set(values.get(module)!.get(stat)!, i * cells));
  numbers.set(loss.subarray(0, run.sampleCount), columns.length * cells);
  const stored: StoredRun = { id: run.id, header: { ...header, skipped: header.skipped.slice() }, columns, numbers };
  // Copies: the run's own buffers may be transferred to the page while this is written.
  if (keys) stored.keys = { prompt: keys.prompt.slice(), response: keys.response.slice() };
  else if (texts) stored.keys = keysOfTexts(texts, run.sampleCount);
  if (spectra) stored.spectra = new Map([...spectra].map(([m, s]) => [m, { offsets: s.offsets.slice(), values: s.values.slice(), longest: s.longest }]));
  if (cosineSim) stored.cosineSim = new Map([...cosineSim].map(([m, c]) => [m, c.slice()]));
  return stored;
}

/** The Run a stored record holds, without its texts; its columns are views of `stored.numbers` (no copy). */
export function fromStoredRun(stored: StoredRun): Run {
  const { header, numbers, columns } = stored;
  const cells = header.sampleCount * header.layerCount;
  const values = new Map<ModuleKey, Map<StatName, Float64Array>>();
  columns.forEach(([module, stat], i) => {
    let byStat = values.get(module);
    if (!byStat) values.set(module, (byStat = new Map()));
    byStat.set(stat, numbers.subarray(i * cells, (i + 1) * cells));
  });
  const loss = numbers.subarray(columns.length * cells, columns.length * cells + header.sampleCount);
  return { ...header, values, loss, ...(stored.keys ? { keys: stored.keys } : {}), ...(stored.spectra ? { spectra: stored.spectra } : {}), ...(stored.cosineSim ? { cosineSim: stored.cosineSim } : {}) };
}

/** A run as version 1 of the store kept it: cloned objects, one per sample. */
export interface VersionOneRun extends Omit<Run, 'texts'> {
  samples: { instruction?: string; input?: string; output?: string; extra?: Record<string, unknown> }[];
}

/** The stored form of a version-1 run and its texts (its sample objects packed). */
export function fromVersionOne(old: VersionOneRun): { stored: StoredRun; texts: SampleTexts } {
  const { samples, ...rest } = old;
  const texts = packTexts(samples.map((s) => ({ instruction: s.instruction, input: s.input, output: s.output, extra: s.extra ? JSON.stringify(s.extra) : undefined })));
  return { stored: toStoredRun({ ...rest, texts }), texts };
}
