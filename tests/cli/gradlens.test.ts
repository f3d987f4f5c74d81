/**
 * The real `gradlens` CLI (node bin/gradlens.cjs) on the hand-written fixtures in
 * tests/fixtures/cli. Expected numbers are worked out from DESIGN.md §3 by hand:
 *
 * correct.jsonl, 8 layers, q and k modules; line 3 holds a bare NaN in q at layer 3,
 * line 4 is cut off (skipped). q's S_sum rows are l², 3l², (NaN row), 2l² → kept 3,
 * curve 2l² = [0, 2, 8, 18, 32, 50, 72, 98]. The MAD of l² over the slice [s, e) is
 * s + e - 1, so with the default 8-layer splits [2, 6]: all 2·7 = 14, early 2·1 = 2,
 * middle 2·7 = 14, late 2·13 = 26. k's rows are constant 1, 2, 3, 6 → curve 3, MAD 0.
 * S_max = S_sum / 4, so S_ratio is 0.25, and 0 at layer 0 where S_sum is 0.
 * Losses 2, 1, 1, 0.5 → S_sum_regularized rows l²/2, 3l², 4l² → curve 2.5 l².
 *
 * irrelevant.jsonl: two samples, q rows l² (curve l²), k rows 3 + 0.3 l.
 * compare correct irrelevant: q ratios layer 0 |1e-10 - 0| / 1e-10 = 1, others
 * |2l² - l²| / 2l² = 0.5 → (1 + 7·0.5) / 8 = 0.5625; k ratios 0.1 l → 0.35, top 7 6 5 4 3.
 * Sample 0 has the same instruction and output "42" in both → 1 identical response.
 *
 * infinite.jsonl: 3 layers, q rows [1, Infinity, 2] and [1, 1, 4] → curve [1, Infinity, 3].
 * all_nan.jsonl: every q row holds a NaN → nothing kept. no_records.jsonl: no gradient matrix.
 * release/…: the first two files again, plus a Detailed CoT run, under release-layout paths.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIX = 'tests/fixtures/cli';
const TOL = 1e-12;
const Q = 'self_attn.q_proj';
const K = 'self_attn.k_proj';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function gradlens(...args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    execFile('node', ['bin/gradlens.cjs', ...args], { cwd: ROOT }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

function expectNumbers(actual: unknown, expected: (number | null)[], label: string): void {
  expect(Array.isArray(actual), label).toBe(true);
  const list = actual as (number | null)[];
  expect(list.length, `${label} length`).toBe(expected.length);
  expected.forEach((e, i) => {
    if (e === null) expect(list[i], `${label}[${i}]`).toBeNull();
    else expect(Math.abs((list[i] as number) - e), `${label}[${i}] = ${list[i]} vs ${e}`).toBeLessThanOrEqual(TOL * Math.max(1, Math.abs(e)));
  });
}

type Mad = { all: number | null; early: number | null; middle: number | null; late: number | null };
const madList = (m: Mad) => [m.all, m.early, m.middle, m.late];
const layers = Array.from({ length: 8 }, (_, l) => l);

function hashFixtures(): string {
  const h = createHash('sha256');
  const files = readdirSync(`${ROOT}/${FIX}`, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => `${d.parentPath}/${d.name}`)
    .sort();
  for (const f of files) h.update(f).update(readFileSync(f));
  return h.digest('hex');
}

let fixtureHash = '';
beforeAll(() => {
  fixtureHash = hashFixtures();
});
afterAll(() => {
  expect(hashFixtures(), 'fixtures unchanged').toBe(fixtureHash);
});

describe('gradlens summarize --json', () => {
  const cases: { name: string; args: string[]; module: string; kept: number; curve: (number | null)[]; mad: (number | null)[] }[] = [
    { name: 'the q curve averages the three NaN-free samples', args: [], module: Q, kept: 3, curve: layers.map((l) => 2 * l * l), mad: [14, 2, 14, 26] },
    { name: 'the NaN in q does not drop the sample from k', args: [], module: K, kept: 4, curve: layers.map(() => 3), mad: [0, 0, 0, 0] },
    {
      name: 'S_ratio is 0 where S_sum is 0',
      args: ['--stat', 'S_ratio'],
      module: Q,
      kept: 3,
      curve: layers.map((l) => (l === 0 ? 0 : 0.25)),
      mad: [0.25 / 7, 0.25, 0, 0],
    },
    {
      name: 'S_sum_regularized divides by each sample loss',
      args: ['--stat', 'S_sum_regularized'],
      module: Q,
      kept: 3,
      curve: layers.map((l) => 2.5 * l * l),
      mad: [17.5, 2.5, 17.5, 32.5],
    },
    { name: 'custom splits move the parts', args: ['--splits', '3,5'], module: Q, kept: 3, curve: layers.map((l) => 2 * l * l), mad: [14, 4, 14, 24] },
    { name: 'a one-layer part has no MAD, written as null', args: ['--splits', '1,7'], module: Q, kept: 3, curve: layers.map((l) => 2 * l * l), mad: [14, null, 14, null] },
  ];
  it.each(cases)('$name', async ({ args, module, kept, curve, mad }) => {
    const r = await gradlens('summarize', `${FIX}/correct.jsonl`, '--json', ...args);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const run = out.runs[0];
    expect(run.file).toBe(`${FIX}/correct.jsonl`);
    expect([run.samples, run.layers, run.skipped.length, run.skipped[0].line]).toEqual([4, 8, 1, 4]);
    expect(typeof run.skipped[0].reason).toBe('string');
    expect(run.modules[module].kept).toBe(kept);
    expectNumbers(run.modules[module].curve, curve, 'curve');
    expectNumbers(madList(run.modules[module].mad), mad, 'mad');
  });

  it('warns about the skipped line on stderr as file:line: reason and still exits 0', async () => {
    const r = await gradlens('summarize', `${FIX}/correct.jsonl`, '--json');
    expect(r.code).toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^${FIX}/correct\\.jsonl:4: \\S`))]);
  });

  it('writes Infinity as null and summarizes several files in order', async () => {
    const r = await gradlens('summarize', `${FIX}/infinite.jsonl`, `${FIX}/correct.jsonl`, '--json', '--module', 'q');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.runs.map((x: { file: string }) => x.file)).toEqual([`${FIX}/infinite.jsonl`, `${FIX}/correct.jsonl`]);
    const q = out.runs[0].modules[Q];
    // Rows [1, Infinity, 2] and [1, 1, 4]: curve [1, Infinity, 3]; 3 layers split [1, 2] leave one layer per part.
    expectNumbers(q.curve, [1, null, 3], 'curve');
    expectNumbers(madList(q.mad), [null, null, null, null], 'mad');
    expect(Object.keys(out.runs[1].modules)).toEqual([Q]);
  });
});

describe('gradlens summarize on a module with no NaN-free sample', () => {
  it('exits 0, writes the curve as nulls and warns that nothing was kept', async () => {
    const r = await gradlens('summarize', `${FIX}/all_nan.jsonl`, '--json');
    expect(r.code).toBe(0);
    const q = JSON.parse(r.stdout).runs[0].modules[Q];
    expect([q.kept, q.dropped]).toEqual([0, 2]);
    expectNumbers(q.curve, [null, null, null], 'curve');
    expectNumbers(madList(q.mad), [null, null, null, null], 'mad');
    expect(r.stderr).toContain(`${FIX}/all_nan.jsonl: ${Q}: no sample without NaN (2 dropped)`);
  });
});

describe('gradlens summarize as a table', () => {
  it('prints the run facts and one aligned row per module', async () => {
    const r = await gradlens('summarize', `${FIX}/correct.jsonl`);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('samples 4  skipped 1  layers 8  stat S_sum  splits 2,6');
    expect(r.stdout).toMatch(/self_attn\.q_proj\s+3\s+1\s+14\.00\s+2\.000\s+14\.00\s+26\.00/);
  });

  it('writes the MAD table as CSV', async () => {
    const r = await gradlens('summarize', `${FIX}/correct.jsonl`, '--csv', '--module', 'k');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'run,file,module,layers,splits,kept,dropped,all,early,middle,late\r\n' +
        `correct.jsonl,${FIX}/correct.jsonl,${K},8,"2,6",4,0,0,0,0,0\r\n`,
    );
  });
});

describe('gradlens compare --json', () => {
  it('gives the relative difference of B against A per module, top layers and identical responses', async () => {
    const r = await gradlens('compare', `${FIX}/correct.jsonl`, `${FIX}/irrelevant.jsonl`, '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect([out.layers, out.identical_responses, out.stat]).toEqual([8, 1, 'S_sum']);
    expectNumbers([out.modules[Q].relative_difference], [0.5625], 'q');
    expect(out.modules[Q].top_layers).toEqual([0, 1, 2, 3, 4]);
    expectNumbers([out.modules[K].relative_difference], [0.35], 'k');
    expect(out.modules[K].top_layers).toEqual([7, 6, 5, 4, 3]);
  });

  it('takes the first file as the reference', async () => {
    // Reference l², other 2l²: layer 0 gives |1e-10 - 0| / 1e-10 = 1, the others |l² - 2l²| / l² = 1.
    const r = await gradlens('compare', `${FIX}/irrelevant.jsonl`, `${FIX}/correct.jsonl`, '--json', '--module', 'q');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out.modules)).toEqual([Q]);
    expectNumbers([out.modules[Q].relative_difference], [1], 'q');
  });
});

describe('gradlens pairs --json', () => {
  // release/…/grads_toy_train_with_cot_gpt4o.jsonl: one sample, q = 4l², k = 6. Against the None CoT
  // reference (q 2l², k 3): q layer 0 |1e-10 - 0| / 1e-10 = 1, others |2l² - 4l²| / 2l² = 1; k |3 - 6| / 3 = 1.
  const R = `${FIX}/release`;
  const correct = `${R}/cot_500/toy/grads_toy_train_no_cot.jsonl`;
  const irrelevant = `${R}/cot_500_wrong_answer_shuffle/toy/grads_toy_train_no_cot.jsonl`;
  const detailed = `${R}/cot_500/toy/grads_toy_train_with_cot_gpt4o.jsonl`;

  it('pairs by path: correct against irrelevant, None CoT against Detailed CoT; the two that differ twice do not pair', async () => {
    const r = await gradlens('pairs', irrelevant, detailed, correct, '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.pairs.map((p: { reference: string; other: string; differs_in: string }) => [p.reference, p.other, p.differs_in])).toEqual([
      [correct, irrelevant, 'correctness'],
      [correct, detailed, 'setting'],
    ]);
    const [byCorrectness, bySetting] = out.pairs;
    expect([byCorrectness.identical_responses, bySetting.identical_responses]).toEqual([1, null]);
    expectNumbers([byCorrectness.modules[Q].relative_difference, byCorrectness.modules[K].relative_difference], [0.5625, 0.35], 'correctness');
    expect(byCorrectness.modules[K].top_layers).toEqual([7, 6, 5, 4, 3]);
    expectNumbers([bySetting.modules[Q].relative_difference, bySetting.modules[K].relative_difference], [1, 1], 'setting');
    expect(bySetting.modules[Q].top_layers).toEqual([0, 1, 2, 3, 4]);
  });

  it('takes the release folder for its files, with the same pairs and numbers', async () => {
    const listed = await gradlens('pairs', irrelevant, detailed, correct, '--json');
    const folder = await gradlens('pairs', R, '--json');
    expect(folder.code).toBe(0);
    expect(folder.stdout).toBe(listed.stdout);
    const summarized = await gradlens('summarize', `${R}/cot_500`, '--json');
    expect((JSON.parse(summarized.stdout) as { runs: { file: string }[] }).runs.map((r) => r.file)).toEqual([correct, detailed]);
  });

  it('labels the CSV rows from the paths', async () => {
    const r = await gradlens('pairs', correct, irrelevant, '--csv', '--module', 'q');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'reference,other,differsIn,module,layers,value,topLayers,identical\r\n' +
        `toy · toy_train · None CoT,toy · toy_train · None CoT · irrelevant,correctness,${Q},8,0.5625,0 1 2 3 4,1\r\n`,
    );
  });

  it('exits 1 when no two files pair', async () => {
    const r = await gradlens('pairs', irrelevant, detailed);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n').pop()).toMatch(/^gradlens: no two files pair/);
  });
});

describe('gradlens failures', () => {
  const cases: { name: string; args: string[]; code: number; reason: RegExp }[] = [
    { name: 'an unknown statistic', args: ['summarize', `${FIX}/correct.jsonl`, '--stat', 'S_bogus'], code: 2, reason: /unknown statistic "S_bogus"/ },
    { name: 'an unknown module', args: ['summarize', `${FIX}/correct.jsonl`, '--module', 'z'], code: 2, reason: /unknown module "z"/ },
    { name: 'splits that are not two integers', args: ['summarize', `${FIX}/correct.jsonl`, '--splits', '5'], code: 2, reason: /bad --splits "5"/ },
    { name: 'splits beyond the layer count', args: ['summarize', `${FIX}/correct.jsonl`, '--splits', '3,8'], code: 2, reason: /0 < A < B < 8/ },
    { name: 'a zero split', args: ['summarize', `${FIX}/correct.jsonl`, '--splits', '0,4'], code: 2, reason: /0 < A < B < 8/ },
    { name: 'an unknown option', args: ['summarize', `${FIX}/correct.jsonl`, '--bogus'], code: 2, reason: /bogus/ },
    { name: 'no file', args: ['summarize'], code: 2, reason: /at least one FILE/ },
    { name: 'a missing file', args: ['summarize', `${FIX}/missing.jsonl`], code: 1, reason: /missing\.jsonl/ },
    { name: 'a file with no usable record', args: ['summarize', `${FIX}/no_records.jsonl`], code: 1, reason: /no_records\.jsonl.*no usable record/ },
    { name: 'compare with one file', args: ['compare', `${FIX}/correct.jsonl`], code: 2, reason: /exactly two files/ },
    { name: 'compare across layer counts', args: ['compare', `${FIX}/correct.jsonl`, `${FIX}/infinite.jsonl`], code: 1, reason: /8 layers.*3 layers/ },
    { name: 'an unknown command', args: ['frobnicate'], code: 2, reason: /unknown command "frobnicate"/ },
  ];
  it.each(cases)('exits $code with a one-line reason for $name', async ({ args, code, reason }) => {
    const r = await gradlens(...args);
    expect(r.code).toBe(code);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    const last = lines[lines.length - 1];
    expect(last).toMatch(/^gradlens: /);
    expect(last).toMatch(reason);
  });
});

describe('gradlens help', () => {
  it.each([['--help'], ['summarize', '--help'], ['compare', '--help'], ['pairs', '--help']])('%s prints usage and exits 0', async (...args) => {
    const r = await gradlens(...args);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: gradlens/);
  });

  it('prints usage on stderr and exits 2 without a command', async () => {
    const r = await gradlens();
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^usage: gradlens <command>/);
  });
});
