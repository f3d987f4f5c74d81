// The command line as users run it: the esbuild bundle in dist-cli/ (built at install,
// rebuilt by bin/gradlens.cjs when a source is newer; CommonJS, a file per command).
// Help, usage errors and summarize must not load tfjs at all (tfjs-core registers its engine on globalThis when it loads),
// and compute must bundle tfjs-core and the backends it uses, not @tensorflow/tfjs.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function node(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('node', args, { cwd: ROOT }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? -1) : 0, stdout, stderr }));
  });
}

/** Runs `gradlens argv` from the bundle in a fresh process and reports whether tfjs got loaded. */
async function runBundled(argv: string[]): Promise<{ code: number; stdout: string; stderr: string; tfjsLoaded: boolean }> {
  const script = `
    require('./dist-cli/gradlens.cjs').main(${JSON.stringify(argv)}).then((code) => {
      process.stderr.write('\\nTFJS_LOADED=' + (globalThis._tfengine !== undefined) + '\\n');
      process.exitCode = code;
    });`;
  const r = await node(['-e', script]);
  const loaded = /TFJS_LOADED=(true|false)/.exec(r.stderr);
  return { ...r, stderr: r.stderr.replace(/\nTFJS_LOADED=\w+\n$/, ''), tfjsLoaded: loaded?.[1] === 'true' };
}

beforeAll(async () => {
  // Builds dist-cli/ when missing or stale, as a user's first command would.
  expect((await node(['bin/gradlens.cjs', '--help'])).code).toBe(0);
}, 120_000);

describe('the gradlens bundle', () => {
  it.each([
    [['--help']],
    [['compute', '--help']],
    [['experiment', '--help']],
    [['summarize', 'tests/fixtures/cli/correct.jsonl']],
    [['summarize', 'tests/fixtures/cli/release']],
  ])('answers %j without loading tfjs', async (argv) => {
    const r = await runBundled(argv);
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(0);
    expect(r.tfjsLoaded).toBe(false);
  });

  it('refuses --limit -3 in one line, exit 2, without loading tfjs', async () => {
    const r = await runBundled(['compute', '--model', 'base', '--data', 'builtin:mixed', '--limit', '-3', '--out', 'x.jsonl']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('gradlens compute: --limit must be a positive integer, got -3\n');
    expect(r.tfjsLoaded).toBe(false);
  });

  it('lists the built-in datasets (mixed too), --resume and the defaults in the help of compute and experiment', async () => {
    for (const command of ['compute', 'experiment']) {
      const { stdout } = await runBundled([command, '--help']);
      for (const text of ['builtin:arithmetic', 'builtin:weekday', 'builtin:mixed', '--resume', 'default 1024', 'default wasm']) expect(stdout, `${command}: ${text}`).toContain(text);
    }
    expect((await runBundled(['experiment', '--help'])).stdout).toContain('default 20');
  });

  it('bundles compute with tfjs-core, its cpu and wasm backends and nothing else of tfjs', () => {
    const { packages } = JSON.parse(readFileSync(`${ROOT}/dist-cli/inputs.json`, 'utf8')) as { packages: Record<string, string[]> };
    const all = new Set(Object.values(packages).flat());
    for (const p of ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-cpu']) expect(all.has(p), p).toBe(true);
    for (const p of ['@tensorflow/tfjs', '@tensorflow/tfjs-layers', '@tensorflow/tfjs-converter', '@tensorflow/tfjs-data', '@tensorflow/tfjs-backend-webgl']) {
      expect(all.has(p), p).toBe(false);
    }
    const entry = Object.entries(packages).find(([file]) => file === 'gradlens.cjs');
    expect(entry?.[1]).toEqual([]); // the entry file holds no npm package: help answers from it alone
    expect(packages['summarize.cjs'].filter((p) => p.startsWith('@tensorflow/'))).toEqual([]);
  });
});
