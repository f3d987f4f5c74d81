/**
 * Writes synthetic statistics files in the follow-up study's format and release layout
 * (`grads/<model>/<metric>/grads_<data>_<highest|lowest>_<n>.jsonl`, Gradient_Unified's
 * README): one 12-layer model, two metrics (IFD scored by GPT-2, difficulty) on one
 * source dataset (WizardLM), the highest and lowest subsets of each: 4 files. Seeded, so
 * every machine writes the same bytes. The end-to-end tests load it; try the spectrum
 * and cosine views on it without the follow-up's data.
 *
 *   npx tsx scripts/makeFollowupTree.ts OUT_DIR [SAMPLES] [LAYERS]
 */
import { join } from 'node:path';
import { writeLinesFile } from './lib/writeLines.ts';
import { syntheticFollowupLines } from '../src/core/data/syntheticFollowup.ts';

/** The metrics of the tree (folders as the follow-up names them). */
export const FOLLOWUP_METRICS = ['ifd_gpt2', 'diff'] as const;

/** Writes the files below `outDir`; returns their paths relative to `outDir`, sorted. */
export function makeFollowupTree(outDir: string, samples = 24, layers = 12): string[] {
  const written: string[] = [];
  let seed = 9100;
  for (const metric of FOLLOWUP_METRICS) {
    for (const quality of ['highest', 'lowest'] as const) {
      const rel = join('grads', 'synthetic_16', metric, `grads_wiz_10k_${quality}_${samples}.jsonl`);
      writeLinesFile(outDir, rel, syntheticFollowupLines({ samples, layers, quality, seed: seed++ }));
      written.push(rel);
    }
  }
  return written.sort();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const outDir = process.argv[2];
  if (!outDir) {
    console.error('usage: npx tsx scripts/makeFollowupTree.ts OUT_DIR [SAMPLES] [LAYERS]');
    process.exit(2);
  }
  const samples = process.argv[3] ? Number(process.argv[3]) : undefined;
  const layers = process.argv[4] ? Number(process.argv[4]) : undefined;
  for (const path of makeFollowupTree(outDir, samples, layers)) console.log(path);
}
