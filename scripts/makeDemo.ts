/**
 * `npx tsx scripts/makeDemo.ts [--n 24] [--out data/demo] [--models data/models] [--only base|instruct]`
 *
 * Regenerates the app's demo statistics from the shipped models (data/models/base and
 * data/models/instruct): the fast-vs-slow experiment, N built-in arithmetic problems ×
 * {None, Simplified, Detailed} × {correct, irrelevant}, on both models, in the study's
 * release layout (`<task>[_wrong_answer_shuffle]/<model>[_it_new]/grads_<dataset>_<setting>.jsonl`,
 * paths from experimentPlan). Replaces the whole output folder (with --only, only that
 * model's runs).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { loadByteModelDir } from './lib/modelDir';
import { useNodeBackend } from './lib/nodeBackend';
import { generateProblems, toDatasetRecords } from '../src/core/data/index';
import { toJsonlLine } from '../src/core/format/jsonl';
import { computeRecords } from '../src/core/model/computeRecords';
import { experimentPlan } from '../src/core/model/experimentPlan';
import { disposeParams } from '../src/core/model/params';
import { HELDOUT_SEED } from '../src/core/model/trainCorpus';

/** Demo problems (built-in generateProblems / toDatasetRecords, as the app's experiment) come from their own seed, outside the training range. */
const DEMO_SEED = HELDOUT_SEED + 2;
const MODEL_STEM = 'gradlens_tiny';

function arg(flag: string, fallback: string): string {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const n = Number(arg('--n', '24'));
  const out = arg('--out', join('data', 'demo'));
  const models = arg('--models', join('data', 'models'));
  const backend = await useNodeBackend('wasm');
  const problems = generateProblems('arithmetic', n, DEMO_SEED);
  const only = arg('--only', '');
  const dirs = only ? [only] : ['base', 'instruct'];
  // Both models: the whole folder is replaced. One model (--only): only its runs are.
  if (!only) await rm(out, { recursive: true, force: true });
  const start = performance.now();
  for (const dir of dirs) {
    const model = await loadByteModelDir(join(models, dir));
    const runs = experimentPlan({ dataset: 'arithmetic', modelStem: MODEL_STEM, instruct: model.template === 'chat', n });
    for (const run of runs) await rm(join(out, dirname(run.path)), { recursive: true, force: true });
    for (const run of runs) {
      const lines: string[] = [];
      for await (const record of computeRecords(model, toDatasetRecords(problems, run.setting, run.irrelevant, DEMO_SEED))) lines.push(toJsonlLine(record));
      const path = join(out, run.path);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, `${lines.join('\n')}\n`);
      process.stderr.write(`${dir} ${run.label}: ${lines.length} samples → ${path} (${Math.round((performance.now() - start) / 1000)} s)\n`);
    }
    disposeParams(model.params);
  }
  process.stderr.write(`done on ${backend} in ${Math.round((performance.now() - start) / 1000)} s\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`\nmakeDemo: ${(e as Error).message}\n`);
  process.exit(1);
});
