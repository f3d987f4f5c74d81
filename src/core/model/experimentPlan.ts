/**
 * The fast-vs-slow experiment as a list of runs: N problems × {None, Simplified,
 * Detailed CoT} × {correct, irrelevant}, each written where the study's release layout
 * would put it, so the reader labels and pairs the runs from their paths alone.
 * Shared by the CLI (`gradlens experiment`) and the compute panel.
 */

/** The study's three response styles. */
export type CotSetting = 'none' | 'simplified' | 'detailed';

/** The settings in the study's order. */
export const COT_SETTINGS: readonly CotSetting[] = ['none', 'simplified', 'detailed'];

/** File-name suffix of each setting in the release (`no_cot`, `with_cot`, `with_cot_gpt4o`). */
export const SETTING_SUFFIX: Readonly<Record<CotSetting, string>> = {
  none: 'no_cot',
  simplified: 'with_cot',
  detailed: 'with_cot_gpt4o',
};

/** One run of the experiment. */
export interface PlannedRun {
  setting: CotSetting;
  irrelevant: boolean;
  /** Relative path `<task>[_wrong_answer_shuffle]/<model>[_it_new]/grads_<dataset>_<suffix>.jsonl`. */
  path: string;
  /** Short label, e.g. "detailed · irrelevant". */
  label: string;
}

/** What the experiment runs on. */
export interface ExperimentSpec {
  /** Built-in dataset name, e.g. `arithmetic` (becomes `<dataset>_train` in file names). */
  dataset: string;
  /** Model folder stem shared by base and instruct, e.g. `tiny`. */
  modelStem: string;
  /** Instruction-tuned model: its folder gets the study's `_it_new` suffix. */
  instruct: boolean;
  /** Number of problems; the task folder is `cot_<n>` like the study's `cot_500`. */
  n: number;
}

/** Safe path segment: letters, digits, `_`, `-` and `.`; others become `_`. */
export function pathSegment(s: string): string {
  const out = s.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^\.+/, '_');
  return out === '' ? '_' : out;
}

/**
 * The six runs, correct ones first, settings in study order.
 * Example: {dataset: 'arithmetic', modelStem: 'tiny', instruct: true, n: 20} →
 * first path `cot_20/tiny_it_new/grads_arithmetic_train_no_cot.jsonl`, last
 * `cot_20_wrong_answer_shuffle/tiny_it_new/grads_arithmetic_train_with_cot_gpt4o.jsonl`.
 */
export function experimentPlan(spec: ExperimentSpec): PlannedRun[] {
  const task = `cot_${spec.n}`;
  const model = `${pathSegment(spec.modelStem)}${spec.instruct ? '_it_new' : ''}`;
  const dataset = `${pathSegment(spec.dataset)}_train`;
  const runs: PlannedRun[] = [];
  for (const irrelevant of [false, true]) {
    for (const setting of COT_SETTINGS) {
      runs.push({
        setting,
        irrelevant,
        path: `${task}${irrelevant ? '_wrong_answer_shuffle' : ''}/${model}/grads_${dataset}_${SETTING_SUFFIX[setting]}.jsonl`,
        label: `${setting} · ${irrelevant ? 'irrelevant' : 'correct'}`,
      });
    }
  }
  return runs;
}

/** The model folder stem of the shipped pair (data/models/base and instruct), as the demo runs use it. */
export const SHIPPED_MODEL_STEM = 'gradlens_tiny';

/** The model stem and variant for a model name: `base` and `instruct` (the shipped pair) share SHIPPED_MODEL_STEM. */
export function modelStemOf(name: string, template: 'base' | 'chat'): { modelStem: string; instruct: boolean } {
  if (name === 'base' || name === 'instruct') return { modelStem: SHIPPED_MODEL_STEM, instruct: name === 'instruct' };
  return { modelStem: name.replace(/_it_new$/, ''), instruct: template === 'chat' };
}
