/**
 * Writes a release-style tree of synthetic statistics files, as the study's release lays
 * them out: two models (llama3_8b with 32 layers, gemma_2_9b with 42), each base and
 * instruct (`_it_new`), two datasets (gsm8k_train, aqua_train), three settings (None /
 * Simplified / Detailed CoT), correct and irrelevant (`cot_500_wrong_answer_shuffle`):
 * 48 files. Seeded, so every machine writes the same bytes. The end-to-end tests load
 * it (few samples, to stay fast); the browser bench loads it with more.
 *
 *   npx tsx scripts/makeReleaseTree.ts OUT_DIR [SAMPLES]
 */
import { join } from 'node:path';
import { writeLinesFile } from './lib/writeLines.ts';
import { syntheticStatsLines } from '../src/core/data/syntheticStats.ts';

/** Models of the tree and their layer counts (the study's Llama-3.1-8B and gemma-2-9b). */
export const RELEASE_MODELS = [
  ['llama3_8b', 32],
  ['gemma_2_9b', 42],
] as const;
export const RELEASE_DATASETS = ['gsm8k_train', 'aqua_train'] as const;
/** File-name suffix → setting. */
export const RELEASE_SETTINGS = [
  ['no_cot', 'none'],
  ['with_cot', 'simplified'],
  ['with_cot_gpt4o', 'detailed'],
] as const;
const TASKS = [
  ['cot_500', 'correct'],
  ['cot_500_wrong_answer_shuffle', 'irrelevant'],
] as const;

/** Writes the 48 files below `outDir` with `samples` lines each; returns their paths relative to `outDir`, sorted. */
export function makeReleaseTree(outDir: string, samples = 3): string[] {
  const written: string[] = [];
  let seed = 7000;
  for (const [task, correctness] of TASKS) {
    for (const [model, layers] of RELEASE_MODELS) {
      for (const variant of ['', '_it_new']) {
        for (const dataset of RELEASE_DATASETS) {
          for (const [suffix, setting] of RELEASE_SETTINGS) {
            const rel = join(task, `${model}${variant}`, `grads_${dataset}_${suffix}.jsonl`);
            writeLinesFile(outDir, rel, syntheticStatsLines({ samples, layers, setting, correctness, seed: seed++ }));
            written.push(rel);
          }
        }
      }
    }
  }
  return written.sort();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const outDir = process.argv[2];
  if (!outDir) {
    console.error('usage: npx tsx scripts/makeReleaseTree.ts OUT_DIR [SAMPLES]');
    process.exit(2);
  }
  const files = makeReleaseTree(outDir, Number(process.argv[3] ?? 3));
  console.log(`${files.length} files under ${outDir}`);
}
