/**
 * Every hostile file of scripts/hostile/makeHostile.ts through the CLI (`gradlens
 * summarize FILE --json`): it ends within its stated time, with its stated exit code and
 * messages, keeps the valid records, and never holds more than 500 MB (peak RSS of the
 * CLI's process, written on exit by a preloaded module; its JavaScript heap is capped at
 * 500 MB too, so a regression fails at once instead of taking the machine's memory).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE_INPUTS, makeHostile } from '../../scripts/hostile/makeHostile.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PRELOAD = pathToFileURL(fileURLToPath(new URL('./hostile/peakRss.mjs', import.meta.url))).href;
const MAX_RSS_MB = 500;
const dir = mkdtempSync(join(tmpdir(), 'gradlens-hostile-'));

beforeAll(async () => {
  await makeHostile(dir);
}, 600_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
  seconds: number;
  peakMB: number;
}

/** One run of `summarize --json`, as far as these tests read it. */
interface Summary {
  samples: number;
  setAside: number;
  modules: Record<string, { kept: number; dropped: number }>;
}

/** The text summary (stdout) of `gradlens summarize FILE`. */
function run(file: string): Promise<string> {
  return new Promise((resolve) => execFile(process.execPath, ['bin/gradlens.cjs', 'summarize', file], { cwd: ROOT, maxBuffer: 64 << 20 }, (_error, stdout) => resolve(stdout)));
}

function summarize(file: string, args: readonly string[]): Promise<Outcome> {
  const rssFile = `${file}.rss`;
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/gradlens.cjs', 'summarize', file, '--json', ...args],
      { cwd: ROOT, maxBuffer: 64 << 20, env: { ...process.env, NODE_OPTIONS: `--import=${PRELOAD} --max-old-space-size=${MAX_RSS_MB}`, GRADLENS_PEAK_RSS_FILE: rssFile } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr, seconds: (performance.now() - started) / 1000, peakMB: existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) / 1024 : Infinity });
      },
    );
  });
}

describe('the CLI on hostile statistics files', () => {
  it.each(HOSTILE_INPUTS.map((input) => [input.name, input] as const))('%s: ends in time with its message, keeps the valid records, stays under 500 MB', async (name, input) => {
    const file = join(dir, name);
    expect(statSync(file).size).toBeLessThan(100 << 20);
    const out = await summarize(file, input.args ?? []);
    expect(out.code, out.stderr).toBe(input.expect.exit);
    for (const pattern of input.expect.stderr) expect(out.stderr).toMatch(pattern);
    if (out.code === 0) {
      const run = (JSON.parse(out.stdout) as { runs: Summary[] }).runs[0];
      if (input.expect.samples !== undefined) expect(run.samples).toBe(input.expect.samples);
      if (input.expect.setAside !== undefined) expect(run.setAside).toBe(input.expect.setAside);
      if (input.expect.atLeastSamples !== undefined) expect(run.samples).toBeGreaterThanOrEqual(input.expect.atLeastSamples);
      // Each curve says how many samples it used (kept) and how many it left out for a NaN (dropped): together, the run's samples.
      for (const module of Object.values(run.modules)) expect(module.kept + module.dropped).toBe(run.samples);
    }
    expect(out.seconds, `${name}: ${out.seconds.toFixed(1)} s`).toBeLessThan(input.expect.seconds);
    expect(out.peakMB, `${name}: peak RSS ${out.peakMB.toFixed(0)} MB`).toBeLessThan(MAX_RSS_MB);
  }, 300_000);

  it('keeps a module named __proto__ in the JSON output', async () => {
    const out = await summarize(join(dir, 'proto_module.jsonl'), []);
    const modules = (JSON.parse(out.stdout) as { runs: { modules: Record<string, { kept: number }> }[] }).runs[0].modules;
    expect(Object.keys(modules)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(modules, '__proto__')?.value).toMatchObject({ kept: 3 });
  }, 120_000);

  it('lists a damaged gzip\'s problems in line order, the damage last', async () => {
    const out = await summarize(join(dir, 'damaged.jsonl.gz'), []);
    const lines = out.stderr.split('\n').flatMap((l) => /\.gz:(\d+): /.exec(l)?.[1] ?? []).map(Number);
    expect(lines.length).toBeGreaterThan(1000);
    expect(lines.every((n, i) => i === 0 || n >= lines[i - 1]), out.stderr.slice(-400)).toBe(true);
    expect(out.stderr.trim().split('\n').pop()).toMatch(/gzip data is damaged/);
  }, 120_000);

  it('says when the curves use a layer set that is not the majority of the records, and counts every skipped line', async () => {
    const text = await run(join(dir, 'minority_layer_set.jsonl'));
    expect(text).toContain('samples 4  skipped 6  layers 4');
    expect(text).toContain('6 record(s) of other layer sets set aside (lines on stderr): the curves use the most frequent layer set, 4 of 10 records, not a majority');
    expect(await run(join(dir, 'two_runs_concatenated.jsonl'))).toContain('samples 1500  skipped 1200  layers 4');
    expect(await run(join(dir, 'one_extra_layer.jsonl'))).not.toContain('not a majority');
  }, 120_000);

  it('stops at once on Ctrl-C in the middle of a gzip bomb', async () => {
    const child = spawn(process.execPath, ['bin/gradlens.cjs', 'summarize', join(dir, 'zeros.jsonl.gz')], { cwd: ROOT, stdio: 'ignore' });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal, at: performance.now() })),
    );
    // Inflating: the process has grown past its ~50 MB at rest (or, without /proc, 3 s have passed).
    const status = `/proc/${child.pid}/status`;
    const rssMB = () => Number(/VmRSS:\s+(\d+)/.exec(existsSync(status) ? readFileSync(status, 'utf8') : '')?.[1] ?? 0) / 1024;
    const started = performance.now();
    while (child.exitCode === null && (existsSync(status) ? rssMB() < 90 : performance.now() - started < 3000) && performance.now() - started < 60_000) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(child.exitCode, 'the bomb was read to its end before Ctrl-C').toBeNull();
    const sent = performance.now();
    child.kill('SIGINT');
    const end = await exited;
    expect(end.signal === 'SIGINT' || end.code === 130, `exit ${end.code}, signal ${end.signal}`).toBe(true);
    expect(end.at - sent).toBeLessThan(1000);
  }, 120_000);
});
