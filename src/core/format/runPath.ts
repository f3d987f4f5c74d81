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
/**
 * The follow-up's metric folders (Gradient_Unified README and vis/draw_vis_four.py):
 * difficulty, IFD scored by GPT-2 or Qwen2.5-7B, InsTag, reward, the reasoning traces
 * and the first study's data ('previous'); `ifd_<scorer>` for any scorer.
 */
const FOLLOWUP_METRICS = new Set(['diff', 'instag', 'reward', 'reasoning', 'previous']);
const IFD_FOLDER = /^ifd_(.+)$/;

/** Labels of the follow-up's metrics, scorers and datasets, as its figures write them. */
const METRIC_LABELS: Readonly<Record<string, string>> = { diff: 'Difficulty', ifd: 'IFD', instag: 'InsTag', reward: 'Reward', reasoning: 'Reasoning', previous: 'Previous study' };
const SCORER_LABELS: Readonly<Record<string, string>> = { gpt2: 'GPT-2', qwen7b: 'Qwen2.5-7B' };
const DATASET_LABELS: Readonly<Record<string, string>> = {
  her_10k: 'OpenHermes 2.5',
  mag_10k: 'Magpie',
  wiz_10k: 'WizardLM',
  gsm8k_R1: 'GSM8K (DeepSeek-R1)',
  s1_R1: 's1.1',
};

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
 * follow-up study's `grads/<model>/<metric>/grads_<data>[_<highest|lowest>_<n>]` (known by
 * the subset suffix, a metric folder — diff, ifd_<scorer>, instag, reward, reasoning,
 * previous — or a `grads` folder two above) → model, metric (`ifd_gpt2` → metric `ifd`,
 * scorer `gpt2`), dataset and quality (no task or correctness). Folders are only
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
  const parent = parts[parts.length - 1];
  const followup = meta.quality !== undefined || (parent !== undefined && (FOLLOWUP_METRICS.has(parent) || IFD_FOLDER.test(parent))) || parts[parts.length - 3] === 'grads';
  if (release && followup) {
    // The follow-up's layout puts the metric folder under the model folder: grads/<model>/<metric>/.
    const metricDir = parts.pop();
    const modelDir = parts.pop();
    if (metricDir !== undefined) readMetricDir(metricDir, meta);
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

/** Metric and scorer from a follow-up metric folder (`ifd_gpt2` → IFD scored by GPT-2; `diff` → difficulty). */
function readMetricDir(metricDir: string, meta: RunMeta): void {
  const ifd = IFD_FOLDER.exec(metricDir);
  if (ifd) {
    meta.metric = 'ifd';
    meta.scorer = ifd[1];
  } else meta.metric = metricDir;
}

/** A follow-up metric as its figures name it (`ifd` → IFD, `diff` → Difficulty); others as written. */
export function metricLabel(metric: string): string {
  return Object.hasOwn(METRIC_LABELS, metric) ? METRIC_LABELS[metric] : metric;
}

/** A scorer model as the follow-up names it (`gpt2` → GPT-2, `qwen7b` → Qwen2.5-7B); others as written. */
export function scorerLabel(scorer: string): string {
  return Object.hasOwn(SCORER_LABELS, scorer) ? SCORER_LABELS[scorer] : scorer;
}

/** A follow-up source dataset as its figures name it (`her_10k` → OpenHermes 2.5, `s1_R1` → s1.1); any other dataset as written. */
export function datasetLabel(dataset: string): string {
  return Object.hasOwn(DATASET_LABELS, dataset) ? DATASET_LABELS[dataset] : dataset;
}

/** A follow-up subset as its figures say it: `highest` → High, `lowest` → Low. */
export function qualityLabel(quality: string): string {
  return quality === 'highest' ? 'High' : quality === 'lowest' ? 'Low' : quality;
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
  if (meta.metric) parts.push(meta.scorer ? `${metricLabel(meta.metric)} (${scorerLabel(meta.scorer)})` : metricLabel(meta.metric));
  if (meta.dataset) parts.push(meta.metric ? datasetLabel(meta.dataset) : meta.dataset);
  if (meta.level) parts.push(`Level ${meta.level}`);
  if (meta.popularity === 'long-tail') parts.push('long-tail');
  if (meta.setting) parts.push(settingLabel(meta.setting));
  if (meta.quality) parts.push(qualityLabel(meta.quality));
  if (parts.length === 0) return fallbackName;
  if (meta.correctness === 'irrelevant') parts.push('irrelevant');
  return parts.join(' · ');
}
