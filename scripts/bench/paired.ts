/**
 * Benchmark of issue 15's resampling statistics, at the study's largest shape: two paired
 * runs of 500 samples × 42 layers × 4 modules (gemma-2-9b), 10,000 bootstrap resamples
 * and 10,000 sign-flip permutations, every statistic (per-layer differences, MAD of four
 * parts, relative difference). Goal: under 2 s.
 *
 * Baselines measured in the same run: the same statistics in numpy at its best (counts
 * times data as one BLAS product per chunk; scripts/bench/paired_numpy.py), and the MAD
 * test written plainly with gradlens's own curve code (gather the drawn rows, curveFromValues,
 * computeMad), timed on 500 resamples and scaled to 10,000. Then the whole command a user
 * waits for (`gradlens compare A B --json`, with and without resampling) and the interval
 * coverage over 2,000 simulated comparisons (goal 93–97%).
 *   npm run bench -- paired        or        npx tsx scripts/bench/paired.ts
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from '../../src/core/data/mulberry32.ts';
import { syntheticStatsLines } from '../../src/core/data/syntheticStats.ts';
import { curveFromValues } from '../../src/core/stats/computeCurve.ts';
import { computeMad } from '../../src/core/stats/mad.ts';
import type { ComparisonSide } from '../../src/core/stats/resampling/comparisonSide.ts';
import { compareResampled } from '../../src/core/stats/resampling/compareResampled.ts';

const HERE = fileURLToPath(import.meta.url);
const ROOT = resolve(dirname(HERE), '../..');
const BENCH_DIR = join(ROOT, '.bench');
const N = 500;
const L = 42;
const MODULES = ['self_attn.q_proj', 'self_attn.k_proj', 'self_attn.v_proj', 'self_attn.o_proj'];
const R = 10_000;
const GOAL_SECONDS = 2;

/** A standard normal draw (Box–Muller). */
function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(Math.max(random(), 1e-300))) * Math.cos(2 * Math.PI * random());
}

/**
 * Two paired sides: per sample a shared scale (samples differ more than runs do, as in the
 * study's files), B larger than A in the early layers, independent noise per run.
 */
function pairedSides(): [ComparisonSide, ComparisonSide] {
  const random = mulberry32(42);
  const keys = Array.from({ length: N }, (_, i) => i);
  const a = new Map<string, Float64Array>();
  const b = new Map<string, Float64Array>();
  for (const module of MODULES) {
    const va = new Float64Array(N * L);
    const vb = new Float64Array(N * L);
    for (let s = 0; s < N; s++) {
      const scale = Math.exp(0.35 * normal(random));
      for (let l = 0; l < L; l++) {
        const curve = 40 * Math.exp((-3 * l) / L) + 7;
        va[s * L + l] = curve * scale * Math.exp(0.08 * normal(random));
        vb[s * L + l] = curve * (1 + 0.1 * Math.exp((-4 * l) / L)) * scale * Math.exp(0.08 * normal(random));
      }
    }
    a.set(module, va);
    b.set(module, vb);
  }
  return [
    { name: 'A', sampleCount: N, layerCount: L, values: a, keys },
    { name: 'B', sampleCount: N, layerCount: L, values: b, keys },
  ];
}

/** Wall seconds of `fn`, each of `repeats` calls, as [min, median, max], and the least CPU seconds of a call (this process's user + system). */
function seconds(fn: () => unknown, repeats: number): { wall: number[]; cpu: number } {
  const times: number[] = [];
  let cpu = Infinity;
  for (let i = 0; i < repeats; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    times.push((performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    cpu = Math.min(cpu, (c.user + c.system) / 1e6);
  }
  times.sort((x, y) => x - y);
  return { wall: [times[0], times[Math.floor(times.length / 2)], times[times.length - 1]], cpu };
}

const range = (t: number[], scale = 1) => t.map((x) => (x * scale).toFixed(2)).join(' / ');

/**
 * The MAD test written plainly with gradlens's curve code: per bootstrap resample gather the
 * drawn pairs' rows, curveFromValues both, computeMad; per sign flip the same over swapped
 * rows. `count` of each; returns a checksum.
 */
function plainMadTest(a: ComparisonSide, b: ComparisonSide, count: number): number {
  const random = mulberry32(1);
  let check = 0;
  const rowsA = new Float64Array(N * L);
  const rowsB = new Float64Array(N * L);
  for (let r = 0; r < 2 * count; r++) {
    const bootstrap = r < count;
    const pick = Array.from({ length: N }, (_, k) => (bootstrap ? Math.floor(random() * N) : k));
    const flip = Array.from({ length: N }, () => !bootstrap && random() < 0.5);
    for (const module of MODULES) {
      const xa = a.values.get(module) as Float64Array;
      const xb = b.values.get(module) as Float64Array;
      for (let k = 0; k < N; k++) {
        const [from, to] = flip[k] ? [xb, xa] : [xa, xb];
        rowsA.set(from.subarray(pick[k] * L, (pick[k] + 1) * L), k * L);
        rowsB.set(to.subarray(pick[k] * L, (pick[k] + 1) * L), k * L);
      }
      const madA = computeMad(curveFromValues(rowsA, N, L).mean);
      const madB = computeMad(curveFromValues(rowsB, N, L).mean);
      check += madB.all - madA.all + madB.early - madA.early;
    }
  }
  return check;
}

/** numpy's time for the same comparison, or null without python3 + numpy. */
function numpySeconds(a: ComparisonSide, b: ComparisonSide): { seconds: number; cpu: number } | { failed: string } {
  const probe = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
  if (probe.status !== 0) return { failed: 'no python3 with numpy' };
  const path = join(BENCH_DIR, `paired_${N}x${L}x${MODULES.length}.f64`);
  const data = new Float64Array(2 * N * MODULES.length * L);
  [a, b].forEach((side, r) => {
    MODULES.forEach((module, m) => {
      const v = side.values.get(module) as Float64Array;
      for (let s = 0; s < N; s++) for (let l = 0; l < L; l++) data[((r * N + s) * MODULES.length + m) * L + l] = v[s * L + l];
    });
  });
  writeFileSync(path, new Uint8Array(data.buffer));
  const child = spawnSync('python3', [join(ROOT, 'scripts/bench/paired_numpy.py'), path, String(N), String(L), String(MODULES.length), String(R), '12', '30'], {
    encoding: 'utf8',
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1' },
  });
  if (child.status !== 0) return { failed: child.stderr.trim().split('\n').pop() ?? 'failed' };
  return JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as { seconds: number; cpu: number };
}

/** Writes a 500 × 42 synthetic study file (correct or irrelevant, same instructions) into .bench/ once. */
async function ensureFile(correctness: 'correct' | 'irrelevant'): Promise<string> {
  const path = join(BENCH_DIR, `grads_paired_${N}x${L}_${correctness}.jsonl`);
  if (existsSync(path)) return path;
  const out = createWriteStream(path);
  for (const line of syntheticStatsLines({ samples: N, layers: L, setting: 'detailed', correctness, seed: 9, nanRate: 0.01 })) {
    if (!out.write(line + '\n')) await new Promise<void>((r) => out.once("drain", () => r()));
  }
  await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())));
  return path;
}

/** Wall seconds of the whole `gradlens compare` process, best of `repeats`. */
function cliSeconds(args: string[], repeats: number): number {
  let best = Infinity;
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    const child = spawnSync(process.execPath, [join(ROOT, 'bin/gradlens.cjs'), 'compare', ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
    if (child.status !== 0) throw new Error(`gradlens compare failed: ${child.stderr}`);
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return best;
}

/** Share of `repetitions` simulated comparisons whose interval covers the true mean difference 0.3 (n = 60 normal samples). */
function coverage(paired: boolean, repetitions: number, resamples: number): number {
  const random = mulberry32(paired ? 99 : 98);
  const n = 60;
  const keysA = Array.from({ length: n }, (_, i) => i);
  const keysB = paired ? keysA : keysA.map((k) => n + k);
  let covered = 0;
  for (let rep = 0; rep < repetitions; rep++) {
    const a = Float64Array.from({ length: n }, () => 10 + normal(random));
    const b = paired ? a.map((x) => x + 0.3 + normal(random)) : Float64Array.from({ length: n }, () => 10.3 + normal(random));
    const side = (name: string, v: Float64Array, keys: number[]): ComparisonSide => ({ name, sampleCount: n, layerCount: 1, values: new Map([['q', v]]), keys });
    const layer = compareResampled(side('a', a, keysA), side('b', b, keysB), { resamples, seed: rep }).modules[0].layers[0];
    if (layer.lo <= 0.3 && 0.3 <= layer.hi) covered++;
  }
  return covered / repetitions;
}

/** Prints the comparison's time against numpy and the plain loop, the CLI's wall time, and the coverage. */
export async function benchPaired(): Promise<void> {
  console.log(`\n## Paired resampling: ${N} samples × ${L} layers × ${MODULES.length} modules, ${R} resamples + ${R} permutations`);
  console.log(`Load average now: ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores (timings on a busy machine vary widely).`);
  mkdirSync(BENCH_DIR, { recursive: true });
  const [a, b] = pairedSides();
  compareResampled(a, b, { resamples: 200 }); // warm-up
  const ours = seconds(() => compareResampled(a, b, { resamples: R, seed: 1 }), 3);
  const script = seconds(() => compareResampled(a, b, { resamples: 1000, seed: 1, useKernel: false }), 1);
  const plain = seconds(() => plainMadTest(a, b, 250), 1);
  const numpy = numpySeconds(a, b);
  const best = ours.wall[0];
  const rows = [
    ['what', 'wall s (min / median / max)', 'CPU s', 'vs gradlens (wall)'],
    ['gradlens: layers + MAD + relative difference, intervals + p + q', range(ours.wall), ours.cpu.toFixed(2), '1', best < GOAL_SECONDS ? `goal < ${GOAL_SECONDS} s ok` : `goal < ${GOAL_SECONDS} s MISSED`],
    ['gradlens without the WebAssembly kernel (1,000, ×10)', range(script.wall.slice(0, 1), 10), (script.cpu * 10).toFixed(2), `${((10 * script.wall[0]) / best).toFixed(1)}×`],
    ['plain MAD test with the curve code (250 + 250, ×40)', range(plain.wall.slice(0, 1), R / 250), (plain.cpu * (R / 250)).toFixed(2), `${((plain.wall[0] * R) / 250 / best).toFixed(1)}×`],
    ['numpy at its best, same statistics (1 BLAS thread)', 'seconds' in numpy ? numpy.seconds.toFixed(2) : numpy.failed, 'seconds' in numpy ? numpy.cpu.toFixed(2) : '', 'seconds' in numpy ? `${(numpy.seconds / best).toFixed(2)}× (CPU ${(numpy.cpu / ours.cpu).toFixed(2)}×)` : ''],
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  for (const row of rows) console.log(row.map((cell, c) => (cell ?? '').padEnd(widths[c] ?? 0)).join('  '));
  console.log('The MAD and relative-difference tests recompute both curves from every resample; they share those curves with the layer tests, so their time is the row above.');

  const [fileA, fileB] = [await ensureFile('correct'), await ensureFile('irrelevant')];
  const without = cliSeconds([fileA, fileB, '--json', '--resamples', '0'], 3);
  const withCi = cliSeconds([fileA, fileB, '--json'], 3);
  console.log(`\`gradlens compare A B --json\` on two ${N} × ${L} files, whole process, best of 3: ${without.toFixed(2)} s without resampling, ${withCi.toFixed(2)} s with ${R} (+${(withCi - without).toFixed(2)} s)`);

  const t0 = performance.now();
  const cover = [coverage(true, 2000, 2000), coverage(false, 2000, 2000)];
  console.log(
    `95% interval coverage of a known mean difference over 2,000 simulated comparisons (n = 60, 2,000 resamples each): ` +
      `paired ${(100 * cover[0]).toFixed(1)}%, unpaired ${(100 * cover[1]).toFixed(1)}% ` +
      `(goal 93–97%: ${cover.every((c) => c >= 0.93 && c <= 0.97) ? 'ok' : 'MISSED'}; ${((performance.now() - t0) / 1000).toFixed(0)} s)`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === HERE) await benchPaired();
