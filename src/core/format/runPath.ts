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
  const length = LENGTH_SUFFIX.exec(rest);
  if (length && length.index > 0) {
    meta.dataset = rest.slice(0, length.index);
    meta.setting = length[1];
    return;
  }
  if (rest !== '') meta.dataset = rest;
}

/**
 * Reads what a path says about its run. Accepts `/` and `\` separators and a bare file
 * name. The file name gives dataset and setting (`no_cot` → 'none', `with_cot` →
 * 'simplified', `with_cot_gpt4o` → 'detailed'; a trailing length bucket such as `_100`
 * is kept as written); its folder gives the model (`_it_new` or `_it` → instruct) and
 * the folder above it the task (`_wrong_answer_shuffle` → irrelevant). Folders are only
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
  const release = stem.startsWith('grads_');
  const modelDir = release ? parts.pop() : undefined;
  const taskDir = release ? parts.pop() : undefined;
  if (modelDir !== undefined) {
    const instruct = INSTRUCT_SUFFIX.exec(modelDir);
    meta.model = instruct && instruct.index > 0 ? modelDir.slice(0, instruct.index) : modelDir;
    meta.variant = instruct && instruct.index > 0 ? 'instruct' : 'base';
  }
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

/**
 * Human label of a setting: 'none' → 'None CoT', 'simplified' → 'Simplified CoT',
 * 'detailed' → 'Detailed CoT'; anything else as written; undefined → ''.
 */
export function settingLabel(setting: string | undefined): string {
  if (setting === undefined) return '';
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
  if (meta.dataset) parts.push(meta.dataset);
  if (meta.setting) parts.push(settingLabel(meta.setting));
  if (parts.length === 0) return fallbackName;
  if (meta.correctness === 'irrelevant') parts.push('irrelevant');
  return parts.join(' · ');
}
