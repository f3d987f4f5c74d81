/**
 * The data model every part of gradlens shares: a `Run` is one statistics file
 * (one training run over N samples), held as columnar typed arrays per
 * (module, statistic), with the text of each sample kept for drill-down.
 */
import type { Spectra } from './followup.ts';
import { parsePythonJson } from './jsonl.ts';
import type { SampleKeys } from './sampleKeys.ts';

/** Module key: the parameter name without the layer prefix and without `.weight`, e.g. `self_attn.q_proj`. */
export type ModuleKey = string;

/** A statistic's field name as written in files (`S_sum`, `frobenius_norm`, …) or a derived one (`S_ratio`, …). */
export type StatName = string;

/** Per-matrix fields the reference study writes for every matrix. */
export const BASE_STATS = ['M_mean', 'M_max', 'M_min', 'frobenius_norm', 'S_sum', 'S_max', 'S_min'] as const;

/** Statistics computed from others (DESIGN.md §3); `effective_rank` is stored when the file has it or `S_list`. */
export const DERIVED_STATS = ['S_ratio', 'S_sum_regularized'] as const;

/** The study's three response styles; anything else (e.g. wiki length buckets) is kept as written. */
export type Setting = 'none' | 'simplified' | 'detailed' | (string & {});

/** What a file's path says about its run (release layout `<task>[_wrong_answer_shuffle]/<model>[_it_new]/grads_<dataset>_<setting>.jsonl`). */
export interface RunMeta {
  /** Task folder without the `_wrong_answer_shuffle` suffix, e.g. `cot_500`. */
  task?: string;
  /** Model folder without the `_it_new` suffix, e.g. `llama3_8b`. */
  model?: string;
  variant?: 'base' | 'instruct';
  /** e.g. `gsm8k_train`. */
  dataset?: string;
  setting?: Setting;
  correctness?: 'correct' | 'irrelevant';
  /** MATH difficulty level (`…_level3_…` in the file name), as written: `'3'`. */
  level?: string;
  /** Wiki runs: `popular` (`popular_wikipedia_<length>`) or `long-tail` (`long_tail_wikipedia`). */
  popularity?: 'popular' | 'long-tail';
  /** Follow-up study (`grads/<model>/<metric>/grads_<data>_<highest|lowest>_<n>.jsonl`): the quality metric, e.g. `ifd` (folder `ifd_gpt2`), `diff`, `instag`, `reward`, `reasoning`. */
  metric?: string;
  /** Follow-up study: the model that scored the metric, when the folder names one (`ifd_gpt2` → `gpt2`). */
  scorer?: string;
  /** Follow-up study: the subset the metric ranks highest or lowest. */
  quality?: 'highest' | 'lowest';
}

/** A line the reader could not use: 1-based line number (or record index for JSON arrays) and why. */
export interface SkippedLine {
  line: number;
  reason: string;
  /** On the entry closing a long list (skipLog.ts): the lines it stands for, and how many of them were records set aside for their layer set. */
  more?: { lines: number; setAside: number };
}

/** The text of one sample, for drill-down and pairing. */
export interface SampleText {
  instruction: string;
  input: string;
  output: string;
}

/**
 * Every sample's texts, packed: the UTF-8 bytes of all texts one after another, four per
 * sample (instruction, input, output, extra), and `ends[4 × sample + k]` where text k of
 * the sample ends (it starts where the text before it ends; the very first at 0).
 * "Extra" is the JSON text (Python's dialect: bare NaN and ±Infinity) of an object
 * holding every other top-level field of the record that is no gradient matrix
 * (`cosine_sim`, `cosine_sim_qkvo`, `input_ids`, `response_start`, unknown fields), in
 * file order; '' when there is none. Two buffers, so a run crosses a worker boundary or
 * goes into storage without one object per sample; texts are decoded when asked for.
 */
export interface SampleTexts {
  bytes: Uint8Array;
  ends: Uint32Array;
}

/**
 * One statistics file, columnar. `values.get(module).get(stat)` is a Float64Array of
 * length `sampleCount * layerCount`, sample-major (index `sample * layerCount + layer`);
 * a value the file did not give (or gave as null) is NaN. A (module, statistic) pair no
 * sample has is absent from `values`. Plain data (typed arrays, strings, numbers, Maps):
 * it survives structured clone, and runBuffers() lists what a worker can transfer.
 */
export interface Run {
  id: string;
  /** Display name (defaults to the file name). */
  name: string;
  /** Path or file name as given by the user. */
  file: string;
  meta: RunMeta;
  sampleCount: number;
  /** 1 + the largest layer index seen. */
  layerCount: number;
  /** Module keys in display order: q, k, v, o first, then the rest in order of first appearance. */
  modules: ModuleKey[];
  /** Statistics stored for at least one module (file fields, plus `effective_rank` when derivable). */
  stats: StatName[];
  values: Map<ModuleKey, Map<StatName, Float64Array>>;
  /** Per-sample loss; NaN where missing. */
  loss: Float64Array;
  /**
   * Read with sampleText() and sampleExtra(). Absent on a run restored from storage until
   * a sample is opened: its texts are stored apart and read only then (RunStore.loadTexts).
   */
  texts?: SampleTexts;
  /** Per-sample keys for pairing (sampleKeys.ts); absent where they are computed from `texts` on first use. */
  keys?: SampleKeys;
  skipped: SkippedLine[];
  /** Bytes read (after decompression). */
  bytes: number;
  /** Follow-up files (`S_list`): per module, every sample's singular values per layer (followup.ts); absent otherwise. */
  spectra?: Map<ModuleKey, Spectra>;
  /**
   * Follow-up files (`cosine_sim`): per projection module, the cosine between the
   * flattened gradients of layers i and j for each sample, sampleCount × layerCount ×
   * layerCount (index `(sample * L + i) * L + j`), NaN where the file gives none; absent otherwise.
   */
  cosineSim?: Map<ModuleKey, Float64Array>;
}

/** A run just read from a file (or computed): its texts are in memory. */
export type ParsedRun = Run & { texts: SampleTexts };

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** Text k (0 instruction, 1 input, 2 output, 3 extra) of a sample; '' past the run's end. Throws when the run's texts are not loaded. */
function text(run: Run, sample: number, k: number): string {
  if (!run.texts) throw new Error(`the texts of run ${run.name} are not loaded`);
  const { bytes, ends } = run.texts;
  const at = 4 * sample + k;
  if (!(sample >= 0 && at < ends.length)) return '';
  return decoder.decode(bytes.subarray(at === 0 ? 0 : ends[at - 1], ends[at]));
}

/** The instruction, input and output of sample `sample` (0-based, file order), decoded now; empty texts past the run's end. */
export function sampleText(run: Run, sample: number): SampleText {
  return { instruction: text(run, sample, 0), input: text(run, sample, 1), output: text(run, sample, 2) };
}

/**
 * The other top-level fields of sample `sample`'s record (`cosine_sim`, `input_ids`, …)
 * as parsed values, keys in file order, in a null-prototype object (a key named
 * `__proto__` is a field like any other); undefined when the record had none.
 */
export function sampleExtra(run: Run, sample: number): Record<string, unknown> | undefined {
  const json = text(run, sample, 3);
  if (json === '') return undefined;
  return Object.assign(Object.create(null) as Record<string, unknown>, parsePythonJson(json));
}

/** The distinct ArrayBuffers behind a run's typed arrays: what postMessage can transfer instead of copying. */
export function runBuffers(run: Run): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  const add = (a: ArrayBufferView) => {
    if (a.buffer instanceof ArrayBuffer) buffers.add(a.buffer);
  };
  for (const byStat of run.values.values()) for (const a of byStat.values()) add(a);
  add(run.loss);
  for (const s of run.spectra?.values() ?? []) {
    add(s.offsets);
    add(s.values);
  }
  for (const c of run.cosineSim?.values() ?? []) add(c);
  if (run.texts) {
    add(run.texts.bytes);
    add(run.texts.ends);
  }
  if (run.keys) {
    add(run.keys.prompt);
    add(run.keys.response);
  }
  return [...buffers];
}
