/**
 * `npx tsx scripts/evalHeldout.ts [--model DIR]...` — recomputes a shipped model's
 * held-out losses: the fixed set its card reports (and the tests check), and the
 * informational set of built-in arithmetic problems. Writes both into metrics.json and
 * the card. Default: data/models/base and data/models/instruct.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatLoss, loadByteModelDir, writeModelCard, type ModelMetrics } from './lib/modelDir';
import { useNodeBackend } from './lib/nodeBackend';
import { disposeParams } from '../src/core/model/params';
import { evalLoss } from '../src/core/model/train';
import { heldoutBuiltinBatches, heldoutLoss } from '../src/core/model/trainCorpus';

async function main(): Promise<void> {
  const dirs = process.argv.flatMap((a, i) => (process.argv[i - 1] === '--model' ? [a] : []));
  await useNodeBackend('wasm');
  for (const dir of dirs.length ? dirs : [join('data', 'models', 'base'), join('data', 'models', 'instruct')]) {
    const model = await loadByteModelDir(dir);
    const metrics = JSON.parse(await readFile(join(dir, 'metrics.json'), 'utf8')) as ModelMetrics;
    metrics.heldout_loss = heldoutLoss(model);
    metrics.heldout_builtin_loss = evalLoss(model.config, model.params, heldoutBuiltinBatches(model.tokenizer, metrics.stage));
    await writeModelCard(dir, metrics);
    process.stderr.write(`${dir}: held-out ${formatLoss(metrics.heldout_loss)}, built-in problems ${formatLoss(metrics.heldout_builtin_loss)}\n`);
    disposeParams(model.params);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`evalHeldout: ${(e as Error).message}\n`);
  process.exit(1);
});
