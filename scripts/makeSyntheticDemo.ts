/**
 * Writes the interim demo statistics the app opens with (data/demo/**): a tiny
 * synthetic 16-layer model, three settings (None / Simplified / Detailed CoT) for
 * correct and for irrelevant responses, 40 samples each, seeded so the output is the
 * same on every machine. `scripts/makeDemo.ts` replaces these with statistics of
 * trained models once it exists.
 *
 *   npx tsx scripts/makeSyntheticDemo.ts [outDir=data/demo]
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
export function makeSyntheticDemo(outDir = 'data/demo'): string[] {
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
  for (const path of makeSyntheticDemo(process.argv[2])) console.log(path);
}
