/**
 * Benchmark of live statistics: samples per second of sampleStats (forward, backward,
 * all statistics of every q/k/v/o matrix) for a few model sizes at T = 128, on each
 * Node backend available, and the wasm/cpu ratio. Called by `npm run bench`.
 */
import * as tf from '@tensorflow/tfjs';
import { parseConfig, type LlamaConfig } from '../../src/core/model/config';
import { disposeParams, initParams } from '../../src/core/model/params';
import { sampleStats } from '../../src/core/model/sampleStats';
import { useNodeBackend, type NodeBackend } from '../lib/nodeBackend';

const SIZES: [layers: number, d: number][] = [
  [4, 64],
  [6, 128],
  [8, 256],
];
const T = 128;

function benchConfig(layers: number, d: number): LlamaConfig {
  return parseConfig({
    model_type: 'llama', vocab_size: 262, hidden_size: d, intermediate_size: Math.round((d * 8) / 3),
    num_hidden_layers: layers, num_attention_heads: Math.max(1, d / 32), num_key_value_heads: Math.max(1, d / 64),
  });
}

/** Seconds per sample of sampleStats, after one warm-up sample; fewer repeats for slow cases (none past 5 s). */
function secondsPerSample(config: LlamaConfig): number {
  const params = initParams(config, 1);
  const sample = { ids: Array.from({ length: T }, (_, i) => (i * 37) % 256), responseStart: T / 4 };
  const text = { instruction: '', input: '', output: '' };
  try {
    let t0 = performance.now();
    sampleStats(config, params, sample, text);
    const warm = (performance.now() - t0) / 1000;
    // Slow cases (cpu at 8/256 takes tens of seconds) report the warm-up sample itself.
    if (warm > 5) return warm;
    const repeats = warm > 2 ? 1 : warm > 0.5 ? 2 : 5;
    t0 = performance.now();
    for (let i = 0; i < repeats; i++) sampleStats(config, params, sample, text);
    return (performance.now() - t0) / 1000 / repeats;
  } finally {
    disposeParams(params);
  }
}

/** Print samples/s per model size and backend, and wasm/cpu. */
export async function benchCompute(): Promise<void> {
  console.log(`\n## Live statistics: samples/s (sampleStats, T = ${T}, q/k/v/o of every layer)`);
  const results = new Map<string, Map<NodeBackend, number>>();
  const backends: NodeBackend[] = [];
  for (const wanted of ['wasm', 'cpu'] as NodeBackend[]) {
    const got = await useNodeBackend(wanted);
    if (got !== wanted) {
      console.log(`(${wanted} unavailable, skipped)`);
      continue;
    }
    backends.push(got);
    for (const [layers, d] of SIZES) {
      const key = `${layers}/${d}`;
      const s = secondsPerSample(benchConfig(layers, d));
      if (!results.has(key)) results.set(key, new Map());
      results.get(key)!.set(got, 1 / s);
      console.log(`  ${got.padEnd(5)} ${key.padEnd(6)} ${(1 / s).toFixed(2).padStart(7)} samples/s  (${(s * 1000).toFixed(0)} ms/sample)`);
    }
  }
  console.log(`\n| layers/d_model | ${backends.join(' | ')} | wasm/cpu |`);
  console.log(`| --- | ${backends.map(() => '---').join(' | ')} | --- |`);
  for (const [key, byBackend] of results) {
    const w = byBackend.get('wasm');
    const c = byBackend.get('cpu');
    const ratio = w !== undefined && c !== undefined ? `${(w / c).toFixed(1)}×` : '–';
    console.log(`| ${key} | ${backends.map((b) => (byBackend.get(b) ?? NaN).toFixed(2)).join(' | ')} | ${ratio} |`);
  }
  await useNodeBackend('wasm');
}
