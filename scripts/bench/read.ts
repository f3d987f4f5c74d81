/**
 * Read benchmark: a 500-sample 32-layer synthetic file (~17 MB, the release files'
 * size) and one 10× larger are generated into `.bench/`, then each is read and
 * summarized (S_sum curve per module after dropping NaN rows, and its MAD) in a fresh
 * child process, so time and peak RSS of one file do not mix with another's. When
 * python3 with numpy is present, the study's way (scripts/bench/study_read.py) is timed
 * on the same files. Goals: ≥ 5× faster than Python, < 300 MB peak on the large file.
 * Last, a 5 GB gzip bomb (~5 MB on disk, scripts/hostile/makeHostile.ts) is read to its
 * end: the time it takes and the memory it holds.
 *
 * The child runs this file bundled by esbuild into .bench/, as the app's build ships the
 * reader, not through tsx: the loader's compile garbage left a mark-compact (~9 ms) to
 * fall at random inside or before the timed read, and its thread shares the two cores.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { syntheticStatsLines } from '../../src/core/data/syntheticStats.ts';
import type { Run } from '../../src/core/format/run.ts';
import { computeCurve } from '../../src/core/stats/computeCurve.ts';
import { computeMad } from '../../src/core/stats/mad.ts';
import { RunReadError } from '../../src/core/format/runParser.ts';
import { gzipBomb } from '../hostile/makeHostile.ts';
import { readRunFile } from '../lib/readRunFile.ts';

const HERE = fileURLToPath(import.meta.url);
const ROOT = resolve(dirname(HERE), '../..');
const BENCH_DIR = join(ROOT, '.bench');
const FILES = [
  { name: 'grads_synthetic_500x32_no_cot.jsonl', samples: 500 },
  { name: 'grads_synthetic_5000x32_no_cot.jsonl', samples: 5000 },
];
const GOAL_SPEEDUP = 5;
const GOAL_PEAK_MB = 300;

interface Measure {
  seconds: number;
  /** CPU time of the timed part (all threads): steadier than wall time on a loaded machine. */
  cpu: number;
  /** Wall time of the whole child process, startup (Node + tsx, or Python + numpy import) included. */
  wallSeconds: number;
  peakMB: number;
  samples: number;
  checksum: number;
}

/** Generates a file once (seeded, so reruns reuse it). */
async function ensureFile(path: string, samples: number): Promise<void> {
  if (existsSync(path)) return;
  mkdirSync(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  for (const line of syntheticStatsLines({ samples, layers: 32, setting: 'none', correctness: 'correct', seed: 7, nanRate: 0.02 })) {
    if (!out.write(line + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())));
}

/** The summary the study computes, by gradlens's own functions: per module, the S_sum curve over NaN-free rows and its MAD; summed into one checksum. */
function summarize(run: Run): number {
  let checksum = 0;
  if (!run.stats.includes('S_sum')) return checksum;
  for (const module of run.modules) {
    const curve = computeCurve(run, module, 'S_sum');
    checksum += curve.mean.reduce((a, b) => a + b, 0) + computeMad(curve.mean).all;
  }
  return checksum;
}

/** Child-process side of the bomb: read a file no record survives, print one JSON line with the time, peak RSS and the reader's message. */
async function measureBomb(path: string): Promise<void> {
  const start = performance.now();
  let message = 'read without an error';
  try {
    await readRunFile(path);
  } catch (error) {
    if (!(error instanceof RunReadError)) throw error;
    message = error.message;
  }
  const seconds = (performance.now() - start) / 1000;
  process.stdout.write(JSON.stringify({ seconds, peakMB: process.resourceUsage().maxRSS / 1024, message }) + '\n');
}

/** Child-process side: read + summarize one file, print one JSON line. */
async function measureHere(path: string): Promise<void> {
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const run = await readRunFile(path);
  const checksum = summarize(run);
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpuStart);
  const peakMB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ seconds, cpu: (used.user + used.system) / 1e6, peakMB, samples: run.sampleCount, checksum }) + '\n');
}

function runChild(command: string, args: string[]): Measure | null {
  const started = performance.now();
  const child = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 20 });
  const wallSeconds = (performance.now() - started) / 1000;
  if (child.status !== 0) {
    process.stderr.write(`bench read: ${command} failed: ${child.stderr || child.error?.message}\n`);
    return null;
  }
  const last = child.stdout.trim().split('\n').pop() ?? '';
  const parsed = JSON.parse(last) as Partial<Measure>;
  return { seconds: parsed.seconds ?? NaN, cpu: parsed.cpu ?? NaN, wallSeconds, peakMB: parsed.peakMB ?? NaN, samples: parsed.samples ?? 0, checksum: parsed.checksum ?? NaN };
}

/** This file as one ES module for Node (the child's entry), written to .bench/. */
async function bundleChild(): Promise<string> {
  const outfile = join(BENCH_DIR, 'readChild.mjs');
  mkdirSync(BENCH_DIR, { recursive: true });
  const { build } = await import('esbuild'); // imported here, so the child never loads it
  await build({ entryPoints: [HERE], outfile, bundle: true, external: ['esbuild'], platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning' });
  return outfile;
}

function hasNumpy(): boolean {
  const probe = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
  return probe.status === 0;
}

/** The fastest of the runs (by wall time in the process), with the least CPU time any of them took. */
function best(runs: (Measure | null)[]): Measure | null {
  const ok = runs.filter((r): r is Measure => r !== null);
  if (ok.length === 0) return null;
  const fastest = ok.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  return { ...fastest, cpu: Math.min(...ok.map((r) => r.cpu)) };
}

/** Generates the files (first time), times the reader and, when available, Python, and prints a table. */
export async function benchRead(): Promise<void> {
  const python = hasNumpy();
  const child = await bundleChild();
  const rows: string[][] = [['file', 'MB', 'gradlens s', 'MB/s', 'peak RSS MB', 'python s', 'speed-up', 'CPU s: gradlens / python', 'CPU speed-up', 'wall: gradlens / python s', 'goal']];
  for (const file of FILES) {
    const path = join(BENCH_DIR, file.name);
    await ensureFile(path, file.samples);
    const mb = statSync(path).size / 1e6;
    const tries = file.samples <= 500 ? 5 : 1;
    // Interleaved, so a burst of load from elsewhere hits both readers alike.
    const oursRuns: (Measure | null)[] = [];
    const theirRuns: (Measure | null)[] = [];
    for (let t = 0; t < tries; t++) {
      oursRuns.push(runChild(process.execPath, [child, '--measure', path]));
      if (python) theirRuns.push(runChild('python3', [join(ROOT, 'scripts/bench/study_read.py'), path]));
    }
    const ours = best(oursRuns);
    const theirs = python ? best(theirRuns) : null;
    const speedup = ours && theirs ? theirs.seconds / ours.seconds : NaN;
    const goals = [
      Number.isFinite(speedup) ? (speedup >= GOAL_SPEEDUP ? `≥${GOAL_SPEEDUP}× ok` : `≥${GOAL_SPEEDUP}× MISSED`) : '',
      ours ? (ours.peakMB < GOAL_PEAK_MB ? `<${GOAL_PEAK_MB} MB ok` : `<${GOAL_PEAK_MB} MB MISSED`) : '',
    ].filter(Boolean);
    if (ours && theirs && Math.abs(ours.checksum - theirs.checksum) > 1e-6 * Math.abs(theirs.checksum)) {
      goals.push(`checksums differ: ${ours.checksum} vs ${theirs.checksum}`);
    }
    rows.push([
      file.name,
      mb.toFixed(1),
      ours ? ours.seconds.toFixed(3) : 'failed',
      ours ? (mb / ours.seconds).toFixed(0) : '',
      ours ? ours.peakMB.toFixed(0) : '',
      theirs ? theirs.seconds.toFixed(3) : python ? 'failed' : 'no numpy',
      Number.isFinite(speedup) ? speedup.toFixed(1) + '×' : '',
      ours && theirs ? `${ours.cpu.toFixed(3)} / ${theirs.cpu.toFixed(3)}` : '',
      ours && theirs ? (theirs.cpu / ours.cpu).toFixed(1) + '×' : '',
      `${ours ? ours.wallSeconds.toFixed(2) : '–'} / ${theirs ? theirs.wallSeconds.toFixed(2) : '–'}`,
      goals.join(', '),
    ]);
  }
  const bomb = join(BENCH_DIR, 'zeros_5gb.jsonl.gz');
  if (!existsSync(bomb)) await gzipBomb(bomb, 0, 5000 << 20);
  const started = performance.now();
  const bombRun = spawnSync(process.execPath, [child, '--bomb', bomb], { cwd: ROOT, encoding: 'utf8' });
  const bombed = JSON.parse(bombRun.stdout.trim().split('\n').pop() || '{}') as { seconds?: number; peakMB?: number; message?: string };
  const bombLine = `gzip bomb: ${(statSync(bomb).size / 1e6).toFixed(1)} MB inflating to 5.2 GB of zeros (one endless line) ends in ${bombed.seconds?.toFixed(1)} s (process ${((performance.now() - started) / 1000).toFixed(1)} s), peak RSS ${bombed.peakMB?.toFixed(0)} MB: ${bombed.message}`;
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  console.log('Read + summarize, each file in its own process (best of 5 for the small one, interleaved with Python). "s" columns: timed inside the process,');
  console.log('startup excluded, speed-up = python s / gradlens s; "CPU" columns: CPU time of the same part, all threads (steadier under load);');
  console.log('"wall" columns: whole process including startup. gradlens runs as an esbuild bundle, as the app ships it.');
  console.log(`Load average now: ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores (timings on a busy machine vary widely).`);
  for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c])).join('  '));
  console.log(bombLine);
}

const argv = process.argv;
if (argv[1] && resolve(argv[1]) === HERE) {
  const at = argv.indexOf('--measure');
  const bombAt = argv.indexOf('--bomb');
  if (at !== -1) await measureHere(argv[at + 1]);
  else if (bombAt !== -1) await measureBomb(argv[bombAt + 1]);
  else await benchRead();
}
