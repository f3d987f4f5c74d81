/**
 * Benchmark of live statistics against what a researcher would run instead: PyTorch
 * with OpenBLAS (scripts/bench/compute_torch.py, the study's protocol: forward,
 * backward, float64 singular values of every q/k/v/o gradient), OPENBLAS_NUM_THREADS=1.
 *
 * 1. Per sample at the shapes of issue 13 (6 × 96 and 8 × 256 at T = 128 and 512):
 *    seconds and GFLOP/s of gradlens (tfjs-wasm in Node, one thread) beside torch, and
 *    each shape's distance to the wasm floor: its FLOPs at the 2-D matMul rate measured
 *    in this run (one wasm SIMD thread); plus samples/s with a second thread.
 * 2. In headless Chromium: the built app's Compute live panel on the shipped model
 *    (wasm, its helper workers), samples/s as the panel reports it, beside the same job
 *    in Node (gradlens compute; both rates from computeRecords, first sample to last).
 * 3. Whole commands, start-up and model load included, interleaved with torch and
 *    repeated (the VM is shared): `gradlens compute` of 12 built-in problems on the
 *    shipped model against the same job in torch; `gradlens --help` and `summarize` of
 *    a 17 MB file beside `node -e 0`.
 * Goals (issue 13): compute ≤ torch as whole commands; 8 × 256 at T = 512 within 1.5×
 * of torch per sample; --help < 0.3 s; summarize of 17 MB < 0.25 s.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { syntheticStatsLines } from '../../src/core/data/syntheticStats';
import { computeRecords, type ComputeModel } from '../../src/core/model/computeRecords';
import { headDim, parseConfig, type LlamaConfig } from '../../src/core/model/config';
import { disposeParams, initParams } from '../../src/core/model/params';
import { sampleStats } from '../../src/core/model/sampleStats';
import { toJsonlLine } from '../../src/core/format/jsonl';
import { ByteTokenizer, DEFAULT_SPECIAL_TOKENS } from '../../src/core/model/tokenizer';
import { launchBrowser, startPreview } from '../../tests/e2e/harness';
import { useNodeBackend } from '../lib/nodeBackend';
import type { SampleHelper } from '../../src/core/model/sampleHelpers';
import { startSampleThreads } from '../lib/sampleThreads';
import { benchWhatIf } from './whatIf';
import { defaultThreads } from '../cli/compute';
import { cpuSeconds } from './cpuTime';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BENCH_DIR = join(ROOT, '.bench');
const TORCH_SCRIPT = join(ROOT, 'scripts/bench/compute_torch.py');

export interface Shape {
  label: string;
  config: LlamaConfig;
  t: number;
}

/** The shipped models' shape (data/models/base) and the issue's larger one (8 heads over 4 key/value heads). */
const SHIPPED = { layers: 6, d: 96, heads: 4, kv: 4, ff: 256 };
const LARGER = { layers: 8, d: 256, heads: 8, kv: 4, ff: 683 };
const VOCAB = 262;

function configOf(s: typeof SHIPPED): LlamaConfig {
  return parseConfig({
    model_type: 'llama', vocab_size: VOCAB, hidden_size: s.d, intermediate_size: s.ff,
    num_hidden_layers: s.layers, num_attention_heads: s.heads, num_key_value_heads: s.kv, tie_word_embeddings: true,
  });
}

export const SHAPES: Shape[] = [
  { label: '6 × 96, T = 128', config: configOf(SHIPPED), t: 128 },
  { label: '6 × 96, T = 512', config: configOf(SHIPPED), t: 512 },
  { label: '8 × 256, T = 128', config: configOf(LARGER), t: 128 },
  { label: '8 × 256, T = 512', config: configOf(LARGER), t: 512 },
];

/** The sample both sides compute: ids (i · 37) mod 256, response from T/4 (as compute_torch.py's `shapes`). */
export function sampleOf(t: number) {
  return { ids: Array.from({ length: t }, (_, i) => (i * 37) % 256), responseStart: t / 4 };
}

/**
 * Multiply-adds × 2 of one sample's forward and backward as both sides compute them:
 * projections, MLP, attention (QKᵀ and PV forward; four products backward), logits at
 * the R = 3T/4 response positions; backward takes input gradients everywhere and weight
 * gradients of q/k/v/o only (the study's selection; torch's requires_grad does the same).
 */
export function sampleFlops(config: LlamaConfig, t: number): number {
  const d = config.hidden_size;
  const q = config.num_attention_heads * headDim(config);
  const kv = config.num_key_value_heads * headDim(config);
  const proj = 2 * t * d * (q + 2 * kv) + 2 * t * q * d;
  const mlp = 3 * 2 * t * d * config.intermediate_size;
  const attn = config.num_attention_heads * 2 * 2 * t * t * headDim(config);
  const logits = 2 * ((3 * t) / 4) * d * config.vocab_size;
  const forward = config.num_hidden_layers * (proj + mlp + attn) + logits;
  const backward = config.num_hidden_layers * (2 * proj + mlp + 2 * attn) + logits;
  return forward + backward;
}

const cpuMs = () => cpuSeconds() * 1000;

/**
 * GFLOP/s of a 2-D matMul [512, 256] × [256, 256] on tfjs-wasm (the same B each time, so
 * packed once): the floor's rate. Timed in CPU seconds of this one thread, so a burst of
 * load from elsewhere does not lower the floor (wall time measured 0.7 GFLOP/s at load 19).
 */
function matMulRate(): number {
  const a = tf.randomNormal([512, 256]);
  const b = tf.randomNormal([256, 256]);
  const flops = 2 * 512 * 256 * 256;
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const c0 = cpuMs();
    for (let i = 0; i < 20; i++) tf.matMul(a, b).dispose();
    best = Math.min(best, (cpuMs() - c0) / 20);
  }
  tf.dispose([a, b]);
  return flops / best / 1e6;
}

/** Seconds per sample (best of `repeats` after a warm-up sample), wall and CPU, on this thread. */
function gradlensPerSample(shape: Shape, repeats: number): { wall: number; cpu: number } {
  const params = initParams(shape.config, 1);
  const text = { instruction: '', input: '', output: '' };
  try {
    sampleStats(shape.config, params, sampleOf(shape.t), text);
    let wall = Infinity;
    let cpu = Infinity;
    for (let i = 0; i < repeats; i++) {
      const t0 = performance.now();
      const c0 = cpuMs();
      sampleStats(shape.config, params, sampleOf(shape.t), text);
      wall = Math.min(wall, (performance.now() - t0) / 1000);
      cpu = Math.min(cpu, (cpuMs() - c0) / 1000);
    }
    return { wall, cpu };
  } finally {
    disposeParams(params);
  }
}

/**
 * Seconds per sample with and without `--token-norms` (each position's cₜ per matrix,
 * the record written as a JSONL line in both), interleaved so load from elsewhere falls
 * on both; the best of each.
 */
function tokenNormsOverhead(shape: Shape, rounds: number): { plain: number; norms: number } {
  const params = initParams(shape.config, 1);
  const text = { instruction: '', input: '', output: '' };
  const once = (tokenNorms: boolean) => {
    const t0 = performance.now();
    toJsonlLine(sampleStats(shape.config, params, sampleOf(shape.t), text, { withTokens: true, tokenNorms }));
    return (performance.now() - t0) / 1000;
  };
  try {
    once(true);
    let plain = Infinity;
    let norms = Infinity;
    for (let i = 0; i < rounds; i++) {
      plain = Math.min(plain, once(false));
      norms = Math.min(norms, once(true));
    }
    return { plain, norms };
  } finally {
    disposeParams(params);
  }
}

/**
 * Seconds per sample of `samples` samples computed by computeRecords on this thread
 * alone, and shared with one helper thread (the bundled sample thread, started cold,
 * as the CLI starts it): the throughput a user of a 2-core machine gets.
 */
async function threadsPerSample(shape: Shape, samples: number): Promise<{ one: number; two: number }> {
  const params = initParams(shape.config, 1);
  const model: ComputeModel = { config: shape.config, params, tokenizer: new ByteTokenizer(DEFAULT_SPECIAL_TOKENS), template: 'base' };
  // Base template: <bos> instruction "\n" output, bytes as ids: T tokens exactly.
  const records = Array.from({ length: samples }, (_, i) => ({ instruction: `${i}`.padEnd(shape.t / 4 - 2, 'q'), input: '', output: 'a'.repeat((3 * shape.t) / 4) }));
  const time = async (helpers: SampleHelper[]) => {
    const t0 = performance.now();
    for await (const _ of computeRecords(model, records, { helpers, maxLength: shape.t }));
    return (performance.now() - t0) / 1000 / samples;
  };
  try {
    await time([]); // warms this thread up
    const one = await time([]);
    const helpers = startSampleThreads(1, shape.config, params, 'wasm', pathToFileURL(join(ROOT, 'dist-cli/sampleThread.cjs')));
    try {
      return { one, two: await time(helpers) };
    } finally {
      helpers.forEach((h) => h.close());
    }
  } finally {
    disposeParams(params);
  }
}

/** One sample's seconds (wall, CPU) and loss on tfjs-wasm's threaded build with `threads` XNNPACK threads, in a child process (computeThreaded.ts). */
function threadedPerSample(shape: Shape, threads: number, repeats: number): { threads: number; wall: number; cpu: number; loss: number; matMulCores: number } {
  const args = ['--import', 'tsx', join(ROOT, 'scripts/bench/computeThreaded.ts'), JSON.stringify({ config: shape.config, sample: sampleOf(shape.t) }), String(threads), String(repeats)];
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) throw new Error(`threaded wasm (${threads} threads) failed: ${(r.stderr ?? '').trim().split('\n').slice(-1)[0]}`);
  return JSON.parse(r.stdout.trim().split('\n').slice(-1)[0]);
}

/**
 * Both cores on one sample: tfjs-wasm's threaded build (2 XNNPACK threads, and the
 * same build held to 1) against the plain build on this thread, interleaved; the best
 * of each, wall and CPU, and whether the losses agree.
 */
export function threadedComparison(shape: Shape, rounds: number): void {
  const params = initParams(shape.config, 1);
  const plain: { wall: number; cpu: number }[] = [];
  const two: ReturnType<typeof threadedPerSample>[] = [];
  const one: ReturnType<typeof threadedPerSample>[] = [];
  let loss = NaN;
  try {
    loss = Number(sampleStats(shape.config, params, sampleOf(shape.t), { instruction: '', input: '', output: '' }).loss);
  } finally {
    disposeParams(params);
  }
  for (let round = 0; round < rounds; round++) {
    two.push(threadedPerSample(shape, 2, 2));
    plain.push(gradlensPerSample(shape, 2));
    one.push(threadedPerSample(shape, 1, 2));
  }
  const best = (xs: { wall: number; cpu: number }[]) => `${Math.min(...xs.map((x) => x.wall)).toFixed(3)} s wall (${range(xs.map((x) => x.wall))}), ${Math.min(...xs.map((x) => x.cpu)).toFixed(3)} s CPU`;
  const same = [...two, ...one].every((r) => Math.abs(r.loss - loss) <= 1e-5 * Math.abs(loss));
  console.log(`  ${shape.label}: plain build, 1 thread: ${best(plain)}; threaded build, ${two[0].threads} threads: ${best(two)}; threaded build, ${one[0].threads} thread: ${best(one)}; loss ${same ? 'equal' : 'DIFFERS'} across builds`);
  // tfjs-wasm 4.22 runs XNNPACK's fully-connected matMul without its thread pool: ~1 core here however many threads.
  console.log(`  a 2-D matMul [512, 256] × [256, 683] on the threaded build (${two[0].threads} threads) keeps ${Math.max(...two.map((r) => r.matMulCores)).toFixed(2)} cores busy (CPU s per wall s, the most of ${two.length} runs)`);
}

/** A python3 that imports torch, or null. /usr/bin/python3 first: the pyenv python3 on PATH here has no torch. */
function torchPython(): string | null {
  for (const python of ['/usr/bin/python3', 'python3']) {
    const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
    if (probe.status === 0) return python;
  }
  return null;
}

const TORCH_ENV = { ...process.env, OPENBLAS_NUM_THREADS: '1' };

/** Torch's seconds per sample, wall and CPU (its threads together), best of its 3 repeats after a warm-up; one process per call. */
function torchPerSample(python: string, shape: Shape): { wall: number; cpu: number } {
  const c = shape.config;
  const spec = [c.num_hidden_layers, c.hidden_size, c.num_attention_heads, c.num_key_value_heads, c.intermediate_size, c.vocab_size, shape.t].join(',');
  const out = execFileSync(python, [TORCH_SCRIPT, 'shapes', spec], { encoding: 'utf8', env: TORCH_ENV });
  const { shapes } = JSON.parse(out) as { shapes: { seconds: number[]; cpu_seconds: number[] }[] };
  return { wall: Math.min(...shapes[0].seconds), cpu: Math.min(...shapes[0].cpu_seconds) };
}

/**
 * CPU seconds used so far by this process's finished children (Linux: cutime + cstime of
 * /proc/self/stat, in clock ticks of 1/100 s); NaN where there is no /proc.
 */
function childrenCpu(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100; // fields 16 and 17 of proc(5), counted from the state field (3)
  } catch {
    return Number.NaN;
  }
}

/** Wall seconds of a whole command (spawned) and the CPU seconds it took (all its threads); throws unless it exits 0. */
export function timeCommand(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): { wall: number; cpu: number } {
  const c0 = childrenCpu();
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${(r.stderr || '').split('\n').slice(-3).join(' ')}`);
  return { wall, cpu: childrenCpu() - c0 };
}

export function range(xs: number[]): string {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length > 1 ? `${s[0].toFixed(2)}–${s[s.length - 1].toFixed(2)}` : s[0].toFixed(2);
}

/** The 17 MB file of the read bench (.bench/, made here when missing, same generator and seed). */
async function seventeenMegabyteFile(): Promise<string> {
  const path = join(BENCH_DIR, 'grads_synthetic_500x32_no_cot.jsonl');
  if (existsSync(path)) return path;
  mkdirSync(BENCH_DIR, { recursive: true });
  const out = createWriteStream(path);
  for (const line of syntheticStatsLines({ samples: 500, layers: 32, setting: 'none', correctness: 'correct', seed: 7, nanRate: 0.02 })) {
    if (!out.write(line + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())));
  return path;
}

/** The rate `gradlens compute` reports for `job` at its end (non-TTY progress lines: "12/12  0.84 samples/s"). */
function nodeRate(job: string[]): number {
  const r = spawnSync('node', [join(ROOT, 'bin/gradlens.cjs'), ...job, '--out', join(BENCH_DIR, 'compute-rate.jsonl')], { cwd: ROOT, encoding: 'utf8' });
  const m = /(\d+)\/\1\s+([\d.]+) samples\/s/.exec(r.stderr);
  if (!m) throw new Error(`no final rate in gradlens compute's output: ${r.stderr.slice(-300)}`);
  return Number(m[2]);
}

/**
 * The built app's Compute live panel on the shipped base model: `samples` built-in
 * problems (Detailed CoT) on wasm; the samples/s the panel shows at the end, the
 * workers the page started, and the backend trial's reasons (webgpu's among them).
 */
export async function browserRate(samples: number): Promise<{ rate: number; workers: number; trials: string }> {
  const preview = await startPreview();
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.goto(`${preview.url}?run=`);
    await page.getByRole('button', { name: 'Compute live', exact: true }).click();
    const panel = page.getByRole('region', { name: 'Compute gradient statistics' });
    await page.getByRole('button', { name: 'Compute', exact: true }).waitFor({ timeout: 60_000 });
    // A job is over when the progress says "n / n samples" and its status is done (not the enabled button: it is enabled before the job starts).
    const finished = (n: number) =>
      page.locator('[data-testid="compute-progress"][data-status="done"]', { hasText: `${n} / ${n} samples` }).waitFor({ timeout: 900_000 });
    const select = (label: string) => panel.locator('label', { hasText: label }).locator('select');
    const count = panel.getByRole('spinbutton', { name: 'Samples' });
    // The job gradlens compute runs in Node: the base model, arithmetic, Detailed CoT (its defaults).
    await select('Model').selectOption('base');
    await select('Dataset').selectOption('arithmetic');
    await select('Response').selectOption('detailed');
    // First a trial of every backend (auto, one sample), for the reasons each gives (the panel's title).
    await count.fill('1');
    await page.getByRole('button', { name: 'Compute', exact: true }).click();
    await finished(1);
    const trials = (await page.locator('[data-testid="active-backend"]').getAttribute('title')) ?? '';
    await count.fill(String(samples));
    await select('Backend').selectOption('wasm');
    await page.getByRole('button', { name: 'Compute', exact: true }).click();
    await page.locator('[data-testid="compute-progress"][data-status="running"]').waitFor({ timeout: 60_000 });
    await finished(samples);
    const progress = (await page.locator('[data-testid="compute-progress"]').textContent()) ?? '';
    const m = new RegExp(`${samples} / ${samples} samples\\s*· ([\\d.]+) samples/s`).exec(progress);
    if (!m) throw new Error(`no final rate in the panel: ${progress}`);
    return { rate: Number(m[1]), workers: page.workers().length, trials };
  } finally {
    await browser.close();
    await preview.stop();
  }
}

/** Prints the per-sample table, the two-thread throughput and the whole-command timings. */
export async function benchCompute(): Promise<void> {
  console.log('\n## Live statistics: gradlens (tfjs-wasm, Node) against PyTorch + OpenBLAS');
  console.log(`(load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}: figures vary between runs; each is the best of its repeats)`);
  const python = torchPython();
  if (!python) console.log('PyTorch column skipped: no python3 with torch here (/usr/bin/python3 or python3 on PATH).');
  else {
    // torch's intra-op threads (torch.get_num_threads()): Debian's torch 1.13 here reports 1 on 2 cores, so per sample it is one thread against one.
    const [version, threads] = execFileSync(python, ['-c', 'import torch; print(torch.__version__, torch.get_num_threads())'], { encoding: 'utf8', env: TORCH_ENV }).trim().split(' ');
    console.log(`torch: ${version} (${python}), OPENBLAS_NUM_THREADS=1, ${threads} intra-op thread(s)`);
  }

  if ((await useNodeBackend('wasm')) !== 'wasm') throw new Error('the wasm backend did not initialise');
  const rate = matMulRate();
  console.log(`\nwasm floor: 2-D matMul [512, 256] × [256, 256] at ${rate.toFixed(1)} GFLOP/s of CPU time on one thread, measured now ("/ wasm floor" below: CPU s per sample over the shape's FLOPs at that rate)`);

  console.log('\n### Per sample (forward, backward, statistics of every q/k/v/o gradient), one thread');
  const rows: string[][] = [];
  for (const shape of SHAPES) {
    const flops = sampleFlops(shape.config, shape.t);
    const repeats = shape.t >= 512 && shape.config.hidden_size >= 256 ? 2 : 4;
    const ours: { wall: number; cpu: number }[] = [];
    const theirs: { wall: number; cpu: number }[] = [];
    // Interleaved rounds, so a burst of load from elsewhere falls on both.
    for (let round = 0; round < 2; round++) {
      ours.push(gradlensPerSample(shape, repeats));
      if (python) theirs.push(torchPerSample(python, shape));
    }
    const best = Math.min(...ours.map((o) => o.wall));
    const bestCpu = Math.min(...ours.map((o) => o.cpu));
    const floor = flops / (rate * 1e9);
    const torchBest = theirs.length ? Math.min(...theirs.map((o) => o.wall)) : NaN;
    const torchCpu = theirs.length ? Math.min(...theirs.map((o) => o.cpu)) : NaN;
    rows.push([
      shape.label,
      (flops / 1e9).toFixed(2),
      `${best.toFixed(3)} (${range(ours.map((o) => o.wall))})`,
      bestCpu.toFixed(3),
      (flops / best / 1e9).toFixed(1),
      `${(bestCpu / floor).toFixed(1)}×`,
      python ? `${torchBest.toFixed(3)} (${range(theirs.map((o) => o.wall))})` : 'skipped',
      python ? torchCpu.toFixed(3) : '–',
      python ? (flops / torchBest / 1e9).toFixed(1) : '–',
      python ? `${(best / torchBest).toFixed(2)}×` : '–',
      python ? `${(bestCpu / torchCpu).toFixed(2)}×` : '–',
    ]);
  }
  console.log('| shape | GFLOP | gradlens s (range) | CPU s | GFLOP/s | / wasm floor | torch s (range) | torch CPU s | torch GFLOP/s | gradlens / torch, wall | CPU |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  console.log('Goal: 8 × 256 at T = 512 within 1.5× of torch. gradlens computes a sample on one thread, torch on its intra-op threads (above):');
  console.log('on a loaded machine the CPU ratio is the steadier one; the wall ratio is what a user waits for one sample.');

  console.log('\n### Both cores on one sample: tfjs-wasm\'s threaded build in Node (XNNPACK pool; started through the shim in computeThreaded.ts), best of interleaved rounds');
  console.log(`(load average ${loadavg().map((x) => x.toFixed(1)).join(' ')})`);
  threadedComparison(SHAPES[3], 2);
  console.log('gradlens uses both cores with one sample thread per idle core instead (below); the threaded build also spins its pool on a busy machine.');

  console.log('\n### --token-norms: seconds per sample with and without each position\'s cₜ (record written as JSONL in both), best of interleaved repeats');
  console.log('| shape | without s | with s | overhead |');
  console.log('| --- | --- | --- | --- |');
  for (const shape of SHAPES) {
    const { plain, norms } = tokenNormsOverhead(shape, shape.t >= 512 && shape.config.hidden_size >= 256 ? 6 : 15);
    console.log(`| ${shape.label} | ${plain.toFixed(3)} | ${norms.toFixed(3)} | ${(((norms - plain) / plain) * 100).toFixed(1)}% |`);
  }
  console.log('Goal: under 10%.');
  await benchWhatIf(ROOT);

  console.log('\n### Both cores: seconds per sample over 8 samples, this thread alone (warm) and with a helper thread (started cold)');
  timeCommand('node', [join(ROOT, 'bin/gradlens.cjs'), '--help']); // builds dist-cli/ (the helper's script) if a source changed
  for (const shape of [SHAPES[1], SHAPES[3]]) {
    const { one, two } = await threadsPerSample(shape, 8);
    console.log(`  ${shape.label}: ${one.toFixed(3)} s alone, ${two.toFixed(3)} s with a helper (${(one / two).toFixed(2)}×)`);
  }

  console.log('\n### In the browser: the built app\'s compute worker (headless Chromium, wasm) against Node, same 12 problems');
  const rateJob = ['compute', '--model', 'base', '--data', 'builtin:arithmetic', '--limit', '12'];
  // Node before and after the browser, so load from elsewhere falls on both sides.
  const inNode = [nodeRate(rateJob)];
  const inBrowser = await browserRate(12);
  inNode.push(nodeRate(rateJob));
  const nodeBest = Math.max(...inNode);
  console.log(`  Node (gradlens compute, its default threads: ${defaultThreads()} at this load): ${inNode.map((r) => r.toFixed(2)).join(', ')} samples/s; browser (Compute live, wasm): ${inBrowser.rate.toFixed(2)} samples/s (${(inBrowser.rate / nodeBest).toFixed(2)}× Node's best; ${inBrowser.workers} workers in the page)`);
  console.log(`  backend trial in the browser: ${inBrowser.trials.replace(/\n/g, '; ')}`);

  console.log('\n### Whole commands (start-up and model load included), wall seconds, 3 interleaved rounds');
  const bin = join(ROOT, 'bin/gradlens.cjs');
  const big = await seventeenMegabyteFile();
  const samples = join(BENCH_DIR, 'compute-12.jsonl');
  const job = ['compute', '--model', 'base', '--data', 'builtin:arithmetic', '--limit', '12'];
  execFileSync('node', [bin, ...job, '--with-tokens', '--out', samples], { cwd: ROOT, stdio: 'ignore' });
  const lengths = readFileSync(samples, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { input_ids: number[] }).input_ids.length);
  const runs: Record<string, { wall: number; cpu: number }[]> = { node: [], help: [], summarize: [], compute: [], torch: [] };
  for (let round = 0; round < 3; round++) {
    runs.node.push(timeCommand('node', ['-e', '0']));
    runs.help.push(timeCommand('node', [bin, '--help']));
    runs.summarize.push(timeCommand('node', [bin, 'summarize', big]));
    runs.compute.push(timeCommand('node', [bin, ...job, '--out', join(BENCH_DIR, 'compute-12-out.jsonl')]));
    if (python) runs.torch.push(timeCommand(python, [TORCH_SCRIPT, 'command', join(ROOT, 'data/models/base'), samples, join(BENCH_DIR, 'compute-12-torch.jsonl')], TORCH_ENV));
  }
  const times = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, v.map((r) => r.wall)]));
  const cpu = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, Math.min(...v.map((r) => r.cpu))]));
  const min = (xs: number[]) => Math.min(...xs);
  console.log('| command | wall seconds (range) | CPU s (least) | goal |');
  console.log('| --- | --- | --- | --- |');
  console.log(`| node -e 0 | ${range(times.node)} | ${cpu.node.toFixed(2)} | baseline |`);
  console.log(`| gradlens --help | ${range(times.help)} | ${cpu.help.toFixed(2)} | < 0.3 s: ${min(times.help) < 0.3 ? 'met' : 'NOT met'} |`);
  console.log(`| gradlens summarize (17 MB) | ${range(times.summarize)} | ${cpu.summarize.toFixed(2)} | < 0.25 s: ${min(times.summarize) < 0.25 ? 'met' : 'NOT met'} |`);
  const jobLabel = `12 problems, T = ${Math.min(...lengths)}–${Math.max(...lengths)}`;
  console.log(`| gradlens compute (${jobLabel}) | ${range(times.compute)} | ${cpu.compute.toFixed(2)} | ≤ torch |`);
  if (python) {
    console.log(
      `| torch, same job (${jobLabel}) | ${range(times.torch)} | ${cpu.torch.toFixed(2)} | ${min(times.compute) <= min(times.torch) ? 'met' : 'NOT met'} (best gradlens / best torch: wall ${(min(times.compute) / min(times.torch)).toFixed(2)}×, CPU ${(cpu.compute / cpu.torch).toFixed(2)}×) |`,
    );
  } else console.log('| torch, same job | skipped (no torch) | – | – |');
  console.log('On a loaded machine wall times swing with the load; CPU seconds (all threads of the command) are the steadier comparison.');
  console.log(`Fairness: gradlens compute runs one sample thread per idle core (${defaultThreads()} at this load, of ${availableParallelism()}), torch its intra-op threads (the count above, with OpenBLAS at 1):`);
  console.log('the wall ratio compares what each gives a user on this machine; the CPU ratio compares the work each does.');
  writeFileSync(join(BENCH_DIR, 'compute.json'), JSON.stringify({ rate, rows, runs, lengths }, null, 1));
}
