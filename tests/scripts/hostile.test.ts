/**
 * Every hostile file of scripts/hostile/makeHostile.ts through the CLI (`gradlens
 * summarize FILE --json`): it ends within its stated time, with its stated exit code and
 * messages, keeps the valid records, and never holds more than 500 MB (peak RSS of the
 * CLI's process, written on exit by a preloaded module).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
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

function summarize(file: string, args: readonly string[]): Promise<Outcome> {
  const rssFile = `${file}.rss`;
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/gradlens.mjs', 'summarize', file, '--json', ...args],
      { cwd: ROOT, maxBuffer: 64 << 20, env: { ...process.env, NODE_OPTIONS: `--import=${PRELOAD}`, GRADLENS_PEAK_RSS_FILE: rssFile } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr, seconds: (performance.now() - started) / 1000, peakMB: Number(readFileSync(rssFile, 'utf8')) / 1024 });
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
    if (input.expect.samples !== undefined) expect((JSON.parse(out.stdout) as { runs: { samples: number }[] }).runs[0].samples).toBe(input.expect.samples);
    expect(out.seconds, `${name}: ${out.seconds.toFixed(1)} s`).toBeLessThan(input.expect.seconds);
    expect(out.peakMB, `${name}: peak RSS ${out.peakMB.toFixed(0)} MB`).toBeLessThan(MAX_RSS_MB);
  }, 300_000);

  it('keeps a module named __proto__ in the JSON output', async () => {
    const out = await summarize(join(dir, 'proto_module.jsonl'), []);
    const modules = (JSON.parse(out.stdout) as { runs: { modules: Record<string, { kept: number }> }[] }).runs[0].modules;
    expect(Object.keys(modules)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(modules, '__proto__')?.value).toMatchObject({ kept: 3 });
  }, 120_000);
});
