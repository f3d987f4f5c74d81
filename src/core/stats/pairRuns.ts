/**
 * Automatic pairing of runs for comparison: two runs whose path metadata differ in
 * exactly one of correctness / setting / variant and agree on everything else.
 */
import type { Run, RunMeta } from '../format/run.ts';
import { sampleKeys } from '../format/sampleKeys.ts';
import { SETTING_ORDER } from '../format/runPath.ts';

/** The attribute a pair differs in. */
export type PairAttribute = 'correctness' | 'setting' | 'variant';

/** Two runs to compare; relative difference is taken of `other` against `reference`. */
export interface RunPair {
  reference: Run;
  other: Run;
  differsIn: PairAttribute;
}

const PAIR_ATTRIBUTES: readonly PairAttribute[] = ['correctness', 'setting', 'variant'];
const SHARED_ATTRIBUTES: readonly (keyof RunMeta)[] = ['task', 'model', 'dataset', ...PAIR_ATTRIBUTES];

/** Rank in the study's order from fast to slow thinking; unknown settings after. */
function settingRank(s: string): number {
  const i = SETTING_ORDER.indexOf(s);
  return i < 0 ? SETTING_ORDER.length : i;
}

/**
 * Negative when `a` should be the reference of a pair differing in `attr`:
 * - correctness: correct is the reference (the study reports irrelevant against correct);
 * - setting: the faster setting (None → Simplified → Detailed CoT, then others by name,
 *   numbers compared as numbers so length bucket 500 comes before 1000)
 *   is the reference; its larger gradients keep the ratios mostly within [0, 1];
 * - variant: base is the reference (instruct against base).
 */
function referenceOrder(attr: PairAttribute, a: string, b: string): number {
  if (attr === 'correctness') return (a === 'correct' ? 0 : 1) - (b === 'correct' ? 0 : 1);
  if (attr === 'variant') return (a === 'base' ? 0 : 1) - (b === 'base' ? 0 : 1);
  return settingRank(a) - settingRank(b) || a.localeCompare(b, 'en', { numeric: true });
}

/**
 * Every pair of `runs` whose metadata (task, model, variant, dataset, setting,
 * correctness) agree except in exactly one of correctness, setting or variant, where
 * both runs have a value. A field both runs lack counts as agreeing; runs whose path
 * says nothing therefore pair with nothing. Pairs come in input order of their earlier
 * run. Empty or single input → [].
 * Example: `cot_500/llama3_8b/…_no_cot` and `cot_500_wrong_answer_shuffle/llama3_8b/…_no_cot`
 * → one pair, reference the correct run, differsIn 'correctness'.
 */
export function pairRuns(runs: readonly Run[]): RunPair[] {
  const pairs: RunPair[] = [];
  for (let i = 0; i < runs.length; i++) {
    for (let j = i + 1; j < runs.length; j++) {
      const a = runs[i].meta;
      const b = runs[j].meta;
      const differing = SHARED_ATTRIBUTES.filter((k) => a[k] !== b[k]);
      if (differing.length !== 1) continue;
      const attr = differing[0] as PairAttribute;
      if (!PAIR_ATTRIBUTES.includes(attr)) continue;
      const va = a[attr];
      const vb = b[attr];
      if (va === undefined || vb === undefined) continue;
      const aFirst = referenceOrder(attr, va, vb) <= 0;
      pairs.push({
        reference: aFirst ? runs[i] : runs[j],
        other: aFirst ? runs[j] : runs[i],
        differsIn: attr,
      });
    }
  }
  return pairs;
}

/**
 * For a correct / irrelevant pair: how many samples (matched by index, compared only
 * where instruction and input are equal) have identical outputs, compared by their keys
 * (sampleKeys.ts), so runs restored from storage need not read their texts. The study's irrelevant
 * None-CoT files repeat the correct answer for many samples (a shuffled short answer is
 * often the same answer), which makes the two curves alike for a reason unrelated to
 * gradients. Samples beyond the shorter run are not compared; empty runs → 0.
 */
export function countIdenticalResponses(a: Run, b: Run): number {
  const n = Math.min(a.sampleCount, b.sampleCount);
  const ka = sampleKeys(a);
  const kb = sampleKeys(b);
  let count = 0;
  for (let i = 0; i < n; i++) if (ka.prompt[i] === kb.prompt[i] && ka.response[i] === kb.response[i]) count++;
  return count;
}
