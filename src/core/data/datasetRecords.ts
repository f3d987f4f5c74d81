/**
 * Problems to training records for one setting, with the correct response or, for the
 * study's "irrelevant" runs (wrong_answer_shuffle), another problem's response.
 */
import type { DatasetRecord } from '../format/dataset';
import { mulberry32, type Random } from './mulberry32';
import type { Problem, SettingKind } from './problem';

/** Whole re-draws of the pairing before giving up (only pathological inputs get there). */
const MAX_RESHUFFLES = 50;

/**
 * One record per problem, in order: `{instruction, input, output}` with the `setting`
 * response. With `irrelevant`, each problem gets the response of another problem,
 * assigned by a seeded derangement that is re-drawn until no record's output equals its
 * own response's text (answer-only responses often coincide). [] → []. Throws when
 * irrelevant pairing is impossible: one problem, or (almost) all responses identical.
 * Inputs are not modified.
 */
export function toDatasetRecords(problems: Problem[], setting: SettingKind, irrelevant: boolean, seed = 0): DatasetRecord[] {
  const texts = problems.map((p) => p.responses[setting]);
  const order = irrelevant ? irrelevantPairing(texts, seed) : texts.map((_, i) => i);
  return problems.map((p, i) => ({ instruction: p.instruction, input: p.input, output: texts[order[i]] }));
}

/**
 * For each index i, another index j ≠ i with texts[j] ≠ texts[i]: a random single
 * cycle (Sattolo), then local swaps to repair collisions, re-drawn when stuck.
 */
export function irrelevantPairing(texts: readonly string[], seed: number): number[] {
  const n = texts.length;
  if (n === 0) return [];
  if (n === 1) throw new RangeError('irrelevant responses need at least two problems');
  const random = mulberry32(seed);
  const ok = (perm: number[], i: number): boolean => perm[i] !== i && texts[perm[i]] !== texts[i];
  for (let attempt = 0; attempt < MAX_RESHUFFLES; attempt++) {
    const perm = sattolo(n, random);
    let stuck = false;
    for (let i = 0; i < n && !stuck; i++) {
      if (ok(perm, i)) continue;
      stuck = true;
      for (let tries = 0; tries < 4 * n + 20; tries++) {
        const j = Math.floor(random() * n);
        if (j === i) continue;
        [perm[i], perm[j]] = [perm[j], perm[i]];
        if (ok(perm, i) && ok(perm, j)) {
          stuck = false;
          break;
        }
        [perm[i], perm[j]] = [perm[j], perm[i]];
      }
    }
    if (!stuck && perm.every((_, i) => ok(perm, i))) return perm;
  }
  throw new Error('cannot pair every problem with a different response: too many identical responses');
}

/** A uniformly random cyclic permutation of 0..n-1 (never a fixed point for n ≥ 2). */
function sattolo(n: number, random: Random): number[] {
  const perm = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * i);
    [perm[i], perm[j]] = [perm[j], perm[i]];
  }
  return perm;
}
