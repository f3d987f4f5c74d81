/**
 * Run metadata from a statistics file's path, in the release layout
 * `<task>[_wrong_answer_shuffle]/<model>[_it_new]/grads_<dataset>_<setting>.jsonl[.gz]`,
 * plus the labels the UI shows for it.
 */
import type { RunMeta, Setting } from './run.ts';

/** File-name suffix → setting, longest first so `with_cot_gpt4o` wins over `with_cot`. */
const SETTING_SUFFIXES: readonly (readonly [string, Setting])[] = [
  ['with_cot_gpt4o', 'detailed'],
  ['with_cot', 'simplified'],
  ['no_cot', 'none'],
];

/** Sort order of settings: None → Simplified → Detailed CoT (the study's panel order); others after. */
export const SETTING_ORDER: readonly string[] = ['none', 'simplified', 'detailed'];

const SETTING_LABELS: Readonly<Record<string, string>> = {
  none: 'None CoT',
  simplified: 'Simplified CoT',
  detailed: 'Detailed CoT',
};

const IRRELEVANT = 'wrong_answer_shuffle';
const EXTENSIONS = /(\.jsonl|\.json|\.txt)?(\.gz)?$/i;
/** A trailing length bucket such as `_100` or `_length100` (the wiki runs) is kept as the setting. */
const LENGTH_SUFFIX = /_((?:length|len)?[0-9]+)$/i;
const INSTRUCT_SUFFIX = /_it(_new)?$/;
/** `…_level3` (MATH difficulty) at the end of a dataset name. */
const LEVEL_SUFFIX = /_level_?([0-9]+)$/i;
/** The study's wiki datasets: popular pages by response length, and long-tail pages. */
const POPULAR_WIKI = 'popular_wikipedia';
const LONG_TAIL_WIKI = 'long_tail_wikipedia';
/** The follow-up study's subsets: `<data>_highest_200`, `<data>_lowest_200`. */
const QUALITY_SUFFIX = /^(.+)_(highest|lowest)_([0-9]+)$/;

function stripSuffix(text: string, suffix: string): string | null {
  if (text.length <= suffix.length || !text.endsWith(suffix)) return null;
  const rest = text.slice(0, -suffix.length);
  return rest.endsWith('_') || rest.endsWith('.') ? rest.slice(0, -1) : null;
}

/** Splits `grads_<dataset>_<setting>` (prefix optional) into dataset and setting. */
function parseStem(stem: string, meta: RunMeta): void {
  let rest = stem.startsWith('grads_') ? stem.slice('grads_'.length) : stem;
  const shuffled = stripSuffix(rest, IRRELEVANT);
  if (shuffled !== null) {
    rest = shuffled;
    meta.correctness = 'irrelevant';
  }
  for (const [suffix, setting] of SETTING_SUFFIXES) {
    if (rest === suffix) {
      meta.setting = setting;
      return;
    }
    const dataset = stripSuffix(rest, suffix);
    if (dataset !== null) {
      meta.dataset = dataset;
      meta.setting = setting;
      return;
    }
  }
  const quality = QUALITY_SUFFIX.exec(rest);
  if (quality) {
    meta.dataset = quality[1];
    meta.quality = quality[2] as 'highest' | 'lowest';
    return;
  }
  const length = LENGTH_SUFFIX.exec(rest);
  if (length && length.index > 0) {
    meta.dataset = rest.slice(0, length.index);
    meta.setting = length[1];
  } else if (rest !== '') meta.dataset = rest;
  // The study's wiki runs: one dataset, popular (by length) or long-tail pages.
  if (meta.dataset === POPULAR_WIKI || meta.dataset === LONG_TAIL_WIKI) {
    meta.popularity = meta.dataset === POPULAR_WIKI ? 'popular' : 'long-tail';
    meta.dataset = 'wikipedia';
  }
}

/** Moves a trailing `_level<N>` of the dataset name into `level`. */
function parseLevel(meta: RunMeta): void {
  const level = meta.dataset === undefined ? null : LEVEL_SUFFIX.exec(meta.dataset);
  if (level && level.index > 0) {
    meta.dataset = meta.dataset!.slice(0, level.index);
    meta.level = String(Number(level[1]));
  }
}

/**
 * Reads what a path says about its run. Accepts `/` and `\` separators and a bare file
 * name. The file name gives dataset and setting (`no_cot` → 'none', `with_cot` →
 * 'simplified', `with_cot_gpt4o` → 'detailed'; a trailing length bucket such as `_100`
 * is kept as written); its folder gives the model (`_it_new` or `_it` → instruct) and
 * the folder above it the task (`_wrong_answer_shuffle` → irrelevant). Other families:
 * `…_level<N>` (MATH) → level N; `popular_wikipedia_<length>` / `long_tail_wikipedia` →
 * dataset `wikipedia`, popularity `popular` (setting = the length) / `long-tail`; the
 * follow-up study's `grads/<model>/<metric>/grads_<data>_<highest|lowest>_<n>` → model,
 * metric, dataset and quality (no task or correctness). Folders are only
 * read when the file name starts with `grads_`, the release naming. Fields the path does
 * not give stay undefined, except correctness, which is 'correct' for a release-style or
 * setting-bearing name without `wrong_answer_shuffle`; empty path → `{}`.
 * Example: `cot_500_wrong_answer_shuffle/llama3_8b_it_new/grads_gsm8k_train_with_cot_gpt4o.jsonl`
 * → `{task: 'cot_500', model: 'llama3_8b', variant: 'instruct', dataset: 'gsm8k_train',
 * setting: 'detailed', correctness: 'irrelevant'}`.
 */
export function parseRunPath(path: string): RunMeta {
  const meta: RunMeta = {};
  const parts = path.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
  const fileName = parts.pop();
  if (fileName === undefined) return meta;
  const stem = fileName.replace(EXTENSIONS, '');
  parseStem(stem, meta);
  parseLevel(meta);
  const release = stem.startsWith('grads_');
  if (release && meta.quality !== undefined) {
    // The follow-up's layout puts the metric folder under the model folder.
    const metricDir = parts.pop();
    const modelDir = parts.pop();
    if (metricDir !== undefined) meta.metric = metricDir;
    if (modelDir !== undefined) readModelDir(modelDir, meta);
    return meta;
  }
  const modelDir = release ? parts.pop() : undefined;
  const taskDir = release ? parts.pop() : undefined;
  if (modelDir !== undefined) readModelDir(modelDir, meta);
  if (taskDir !== undefined) {
    const task = stripSuffix(taskDir, IRRELEVANT);
    meta.task = task ?? taskDir;
    if (task !== null) meta.correctness = 'irrelevant';
  }
  if (meta.correctness === undefined && (release || meta.setting !== undefined)) {
    meta.correctness = 'correct';
  }
  return meta;
}

/** Model and variant from a model folder name (`_it_new` or `_it` → instruct). */
function readModelDir(modelDir: string, meta: RunMeta): void {
  const instruct = INSTRUCT_SUFFIX.exec(modelDir);
  meta.model = instruct && instruct.index > 0 ? modelDir.slice(0, instruct.index) : modelDir;
  meta.variant = instruct && instruct.index > 0 ? 'instruct' : 'base';
}

/**
 * Human label of a setting: 'none' → 'None CoT', 'simplified' → 'Simplified CoT',
 * 'detailed' → 'Detailed CoT'; a length bucket '100' → 'Length 100'; anything else as
 * written; undefined → ''.
 */
export function settingLabel(setting: string | undefined): string {
  if (setting === undefined) return '';
  if (/^[0-9]+$/.test(setting)) return `Length ${setting}`;
  return Object.hasOwn(SETTING_LABELS, setting) ? SETTING_LABELS[setting] : setting;
}

/**
 * A short label for a run from its metadata, parts joined by ` · `: model (with
 * ` instruct` for instruction-tuned), dataset, setting label, and `irrelevant` for
 * shuffled responses. Falls back to `fallbackName` when the metadata gives nothing.
 * Example: → `llama3_8b instruct · gsm8k_train · Detailed CoT · irrelevant`.
 */
export function describeRun(meta: RunMeta, fallbackName: string): string {
  const parts: string[] = [];
  if (meta.model) parts.push(meta.variant === 'instruct' ? `${meta.model} instruct` : meta.model);
  if (meta.metric) parts.push(meta.metric);
  if (meta.dataset) parts.push(meta.dataset);
  if (meta.level) parts.push(`Level ${meta.level}`);
  if (meta.popularity === 'long-tail') parts.push('long-tail');
  if (meta.setting) parts.push(settingLabel(meta.setting));
  if (meta.quality) parts.push(meta.quality);
  if (parts.length === 0) return fallbackName;
  if (meta.correctness === 'irrelevant') parts.push('irrelevant');
  return parts.join(' · ');
}
