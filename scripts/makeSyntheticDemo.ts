/**
 * Writes synthetic statistics files in the release layout: a tiny synthetic 16-layer
 * model, three settings (None / Simplified / Detailed CoT) for correct and for
 * irrelevant responses, 40 samples each, seeded so the output is the same on every
 * machine. A no-model fallback for trying the views; the app's demo (data/demo) comes
 * from the shipped models through `scripts/makeDemo.ts`, so the folder is required
 * here rather than defaulting to data/demo (which would mix the two).
 *
 *   npx tsx scripts/makeSyntheticDemo.ts OUT_DIR
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { syntheticStatsLines } from '../src/core/data/syntheticStats.ts';

const SAMPLES = 40;
const LAYERS = 16;
const MODEL = 'synthetic_tiny';
const DATASET = 'arith';
/** Release-layout file suffix → the study's setting. */
const SETTINGS = [
  ['no_cot', 'none'],
  ['with_cot', 'simplified'],
  ['with_cot_gpt4o', 'detailed'],
] as const;
const CORRECTNESS = [
  ['cot_demo', 'correct'],
  ['cot_demo_wrong_answer_shuffle', 'irrelevant'],
] as const;

/** Writes every demo file below `outDir`; returns the paths written. */
export function makeSyntheticDemo(outDir: string): string[] {
  const written: string[] = [];
  CORRECTNESS.forEach(([task, correctness], c) => {
    SETTINGS.forEach(([suffix, setting], s) => {
      const path = join(outDir, task, MODEL, `grads_${DATASET}_${suffix}.jsonl`);
      const lines = [...syntheticStatsLines({ samples: SAMPLES, layers: LAYERS, setting, correctness, seed: 1000 + 10 * c + s })];
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, lines.join('\n') + '\n');
      written.push(path);
    });
  });
  return written;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const outDir = process.argv[2];
  if (!outDir) {
    console.error('usage: npx tsx scripts/makeSyntheticDemo.ts OUT_DIR');
    process.exit(2);
  }
  for (const path of makeSyntheticDemo(outDir)) console.log(path);
}
