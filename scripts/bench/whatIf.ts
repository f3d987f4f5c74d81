/**
 * The drill-down's what-if, timed as the worker does it: the compute handler recomputes
 * one sample of a live run (its response edited) with the same, cached, shipped model;
 * the seconds from the request to the one-sample run with its cₜ and token texts.
 * Goal: under 2 s per edit for the shipped models.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { irrelevantPairing } from '../../src/core/data/datasetRecords';
import { builtinDataset } from '../../src/core/data/builtinDataset';
import { createComputeHandler } from '../../src/workers/computeHandler';
import { wasmDistDir } from '../lib/nodeBackend';

const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** Wall and CPU seconds of each edit (half the response deleted, the answer shuffled, the original) per shipped model. */
export async function benchWhatIf(root: string): Promise<void> {
  console.log('\n### What-if: one sample recomputed in the compute handler with the run\'s (cached) model, wasm, this thread');
  console.log('| model | edit | positions | wall s | CPU s |');
  console.log('| --- | --- | --- | --- | --- |');
  const records = builtinDataset('builtin:arithmetic?n=4&setting=detailed');
  const partner = irrelevantPairing(records.map((r) => r.output), 1)[0];
  const record = records[0];
  const edits = [
    { name: 'original', output: record.output },
    { name: 'first half deleted', output: record.output.slice(Math.floor(record.output.length / 2)) },
    { name: 'answer shuffled', output: records[partner].output },
  ];
  let worst = 0;
  for (const name of ['base', 'instruct']) {
    const dir = join(root, 'data/models', name);
    const files = Object.fromEntries(readdirSync(dir).map((f) => [f, new Uint8Array(readFileSync(join(dir, f)))]));
    const model = { kind: 'files' as const, key: name, files };
    const handler = createComputeHandler({ wasmPaths: wasmDistDir() });
    // The live run the drill-down opens: the model is loaded and warm.
    await handler.start({ jobId: 'run', model, records: records.slice(0, 2), backend: 'wasm', tokenNorms: true }, () => {});
    for (const edit of edits) {
      let wall = Infinity;
      let cpu = Infinity;
      let positions = 0;
      for (let repeat = 0; repeat < 2; repeat++) {
        const c0 = cpuSeconds();
        const result = await handler.sample({ model, backend: 'wasm', record: { ...record, output: edit.output }, runId: 'w', runPath: 'w.jsonl' });
        cpu = Math.min(cpu, cpuSeconds() - c0);
        if (!result.ok) throw new Error(result.error);
        wall = Math.min(wall, result.ms / 1000);
        positions = result.tokens.length;
      }
      worst = Math.max(worst, wall);
      console.log(`| ${name} | ${edit.name} | ${positions} | ${wall.toFixed(3)} | ${cpu.toFixed(3)} |`);
    }
    handler.dispose();
  }
  console.log(`Goal: under 2 s per edit: ${worst < 2 ? 'met' : 'NOT met'} (slowest ${worst.toFixed(2)} s; best of 2 each, on a shared machine).`);
}
