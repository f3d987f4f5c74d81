/**
 * The data model every part of gradlens shares: a `Run` is one statistics file
 * (one training run over N samples), held as columnar typed arrays per
 * (module, statistic), with the text of each sample kept for drill-down.
 */

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
}

/** A line the reader could not use: 1-based line number (or record index for JSON arrays) and why. */
export interface SkippedLine {
  line: number;
  reason: string;
}

/** The text of one sample, kept for drill-down; `extra` holds every other non-matrix field (null-prototype object). */
export interface SampleText {
  instruction: string;
  input: string;
  output: string;
  /** Unknown top-level fields, `cosine_sim`, `cosine_sim_qkvo`, `input_ids`, … kept as parsed. */
  extra?: Record<string, unknown>;
}

/**
 * One statistics file, columnar. `values.get(module).get(stat)` is a Float64Array of
 * length `sampleCount * layerCount`, sample-major (index `sample * layerCount + layer`);
 * a value the file did not give (or gave as null) is NaN.
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
  samples: SampleText[];
  skipped: SkippedLine[];
  /** Bytes read (after decompression). */
  bytes: number;
}

/** The text of sample `sample` (0-based, file order) of a run; empty texts past the run's end. */
export function sampleText(run: Run, sample: number): SampleText {
  return run.samples[sample] ?? { instruction: '', input: '', output: '' };
}
