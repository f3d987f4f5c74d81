/**
 * What `--format unified` (the follow-up study's S_list and cosine blocks) costs over the
 * default format: seconds per sample of sampleStats in both formats (same sample, same
 * thread, interleaved rounds, best of each), and the whole `gradlens compute` command on
 * 12 built-in problems in both formats with the size of what it writes. Run by
 * `npm run bench -- compute` (or `-- unified` alone).
 */
import { statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { disposeParams, initParams } from '../../src/core/model/params';
import { sampleStats, type StatsFormat } from '../../src/core/model/sampleStats';
import { useNodeBackend } from '../lib/nodeBackend';
import { range, sampleOf, SHAPES, timeCommand, type Shape } from './compute.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BENCH_DIR = join(ROOT, '.bench');

/** Best wall seconds per sample of each format, `repeats` samples a round, formats interleaved over `rounds`. */
function perSample(shape: Shape, repeats: number, rounds: number): Record<StatsFormat, number[]> {
  const params = initParams(shape.config, 1);
  const text = { instruction: '', input: '', output: '' };
  const times: Record<StatsFormat, number[]> = { 'layer-gradient': [], unified: [] };
  try {
    for (const format of ['layer-gradient', 'unified'] as const) sampleStats(shape.config, params, sampleOf(shape.t), text, { format });
    for (let round = 0; round < rounds; round++) {
      for (const format of ['layer-gradient', 'unified'] as const) {
        let best = Infinity;
        for (let i = 0; i < repeats; i++) {
          const t0 = performance.now();
          sampleStats(shape.config, params, sampleOf(shape.t), text, { format });
          best = Math.min(best, (performance.now() - t0) / 1000);
        }
        times[format].push(best);
      }
    }
    return times;
  } finally {
    disposeParams(params);
  }
}

/** Prints the per-sample table and the whole-command table. */
export async function benchUnified(): Promise<void> {
  console.log("\n## --format unified (the follow-up's S_list + cosine maps) against the default format");
  console.log(`(load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}: each figure is the best of its repeats; the ratio is what to read)`);
  if ((await useNodeBackend('wasm')) !== 'wasm') throw new Error('the wasm backend did not initialise');
  console.log('\n### Per sample (forward, backward, statistics of every q/k/v/o gradient), one thread, tfjs-wasm');
  console.log('| shape | default s (range) | unified s (range) | unified / default |');
  console.log('| --- | --- | --- | --- |');
  for (const shape of SHAPES) {
    const repeats = shape.t >= 512 && shape.config.hidden_size >= 256 ? 2 : 3;
    const t = perSample(shape, repeats, 3);
    const a = Math.min(...t['layer-gradient']);
    const b = Math.min(...t.unified);
    console.log(`| ${shape.label} | ${a.toFixed(3)} (${range(t['layer-gradient'])}) | ${b.toFixed(3)} (${range(t.unified)}) | ${(b / a).toFixed(2)}× |`);
  }

  console.log('\n### Whole command: gradlens compute --model base --data builtin:arithmetic --limit 12, wall seconds, 3 interleaved rounds');
  const bin = join(ROOT, 'bin/gradlens.cjs');
  const job = ['compute', '--model', 'base', '--data', 'builtin:arithmetic', '--limit', '12', '--threads', '1'];
  const out = { 'layer-gradient': join(BENCH_DIR, 'unified-default.jsonl'), unified: join(BENCH_DIR, 'unified-unified.jsonl') };
  const times: Record<StatsFormat, number[]> = { 'layer-gradient': [], unified: [] };
  const cpu: Record<StatsFormat, number[]> = { 'layer-gradient': [], unified: [] };
  timeCommand('node', [bin, '--help']); // builds dist-cli/ if a source changed
  for (let round = 0; round < 3; round++) {
    for (const format of ['layer-gradient', 'unified'] as const) {
      const t = timeCommand('node', [bin, ...job, '--format', format, '--out', out[format]]);
      times[format].push(t.wall);
      cpu[format].push(t.cpu);
    }
  }
  const a = Math.min(...times['layer-gradient']);
  const b = Math.min(...times.unified);
  console.log('| format | wall s (range) | CPU s (range) | file size | wall per sample |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const format of ['layer-gradient', 'unified'] as const) {
    const size = statSync(out[format]).size;
    console.log(`| ${format} | ${range(times[format])} | ${range(cpu[format])} | ${(size / 1024).toFixed(1)} KiB | ${(Math.min(...times[format]) / 12).toFixed(3)} s |`);
  }
  console.log(`unified / default, whole command: wall ${(b / a).toFixed(2)}×, CPU ${(Math.min(...cpu.unified) / Math.min(...cpu['layer-gradient'])).toFixed(2)}×`);
}
