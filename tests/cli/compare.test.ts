/**
 * `gradlens compare` with resampling, on tests/fixtures/cli/paired (3 layers, q and k):
 * a.jsonl holds instructions i0..i3 with q rows [1+i, 2+i, 3+i] and k rows [1, 1, 1];
 * b.jsonl holds the same instructions in the order i2, i0, i3, i1, with q rows
 * A's + [1, 0, d] for d = 1, 2, 3, 6 (i0..i3) and k rows [2, 2, 2]; other.jsonl is b.jsonl
 * under other instructions, so it pairs with nothing.
 *
 * By hand, paired: q differences per layer [1, 1, 1, 1], [0, 0, 0, 0], [1, 2, 3, 6] →
 * diff [1, 0, 3]; sign flips of 4 pairs give 16 arrangements, and |T*| ≥ |T| only for
 * all-plus and all-minus at layers 0 and 2 (p = 2/16), for every flip at layer 1 (p = 1);
 * k differences are all 1 (p = 2/16). BH over six p-values [1/8, 1, 1/8, 1/8, 1/8, 1/8]:
 * rank 5 gives 1/8 · 6/5 = 0.15, which every smaller rank takes; 1 stays 1.
 * Effect sizes: q layer 2 = 3 / SD(1, 2, 3, 6) = 3 / √(14/3); zero SD gives ±∞ or NaN (null).
 * Curves: A q [2.5, 3.5, 4.5], B q [3.5, 3.5, 7.5]; MAD all 1 and 2 → B − A = 1; with 3
 * layers the splits are [1, 2], so each part holds one layer and its MAD is NaN (null).
 * Relative difference: (1/2.5 + 0 + 3/4.5) / 3 = 0.35556.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { plainStatistics } from '../core/stats/resampling/reference.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIR = 'tests/fixtures/cli/paired';
const Q = 'self_attn.q_proj';
const K = 'self_attn.k_proj';

function gradlens(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('node', ['bin/gradlens.cjs', ...args], { cwd: ROOT }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

async function compareJson(...args: string[]) {
  const r = await gradlens('compare', ...args, '--json');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

const rowsA = [0, 1, 2, 3].map((i) => [1 + i, 2 + i, 3 + i]);
const rowsB = rowsA.map((r, i) => [r[0] + 1, r[1], r[2] + [1, 2, 3, 6][i]]);

describe('gradlens compare: paired resampling', () => {
  it('pairs samples by instruction and reports per-layer differences, intervals, effect sizes, exact p and BH q', async () => {
    const out = await compareJson(`${DIR}/a.jsonl`, `${DIR}/b.jsonl`, '--ci', '0.95', '--resamples', '2000', '--seed', '1');
    expect([out.paired, out.n, out.unpaired, out.test, out.exact, out.permutations]).toEqual([true, 4, { reference: 0, other: 0 }, 'sign-flip', true, 16]);
    expect([out.resamples, out.seed, out.ci, out.splits]).toEqual([2000, 1, 0.95, [1, 2]]);
    const q = out.modules[Q].layers;
    expect(q.map((x: { diff: number }) => x.diff)).toEqual([1, 0, 3]);
    expect(q.map((x: { p: number }) => x.p)).toEqual([2 / 16, 1, 2 / 16]);
    expect(q.map((x: { q: number }) => x.q)).toEqual([0.15, 1, 0.15]);
    expect(out.modules[K].layers.map((x: { q: number }) => x.q)).toEqual([0.15, 0.15, 0.15]);
    expect([q[0].lo, q[0].hi, q[1].lo, q[1].hi]).toEqual([1, 1, 0, 0]);
    expect(q[2].lo).toBeGreaterThanOrEqual(1);
    expect(q[2].hi).toBeLessThanOrEqual(6);
    expect(q[2].lo).toBeLessThan(3);
    expect(q[2].hi).toBeGreaterThan(3);
    expect([q[0].d, q[1].d]).toEqual([null, null]);
    expect(q[2].d).toBeCloseTo(3 / Math.sqrt(14 / 3), 12);
  });

  it('reports MAD per part and the relative difference with interval and p, and keeps the fields compare wrote before', async () => {
    const out = await compareJson(`${DIR}/a.jsonl`, `${DIR}/b.jsonl`, '--resamples', '500');
    const m = out.modules[Q];
    expect(m.relative_difference).toBeCloseTo(0.4 / 3 + 2 / 9, 12);
    expect(m.top_layers).toEqual([2, 0, 1]);
    expect([m.reference_kept, m.other_kept]).toEqual([4, 4]);
    expect(m.relative_difference_ci.value).toBeCloseTo(m.relative_difference, 12);
    expect(m.mad.all.value).toBe(1);
    for (const part of ['early', 'middle', 'late']) expect(m.mad[part]).toEqual({ value: null, lo: null, hi: null, p: null });
    // The exact p of MAD all and of the relative difference, by plain enumeration of the 16 flips.
    const observed = plainStatistics(rowsA, rowsB, true, 3, [1, 2]);
    const flipped = Array.from({ length: 16 }, (_, mask) =>
      plainStatistics(
        rowsA.map((r, k) => ((mask >> k) & 1 ? rowsB[k] : r)),
        rowsB.map((r, k) => ((mask >> k) & 1 ? rowsA[k] : r)),
        true,
        3,
        [1, 2],
      ),
    );
    const p = (s: number) => flipped.filter((f) => !(Math.abs(f[s]) < Math.abs(observed[s]))).length / 16;
    expect(m.mad.all.p).toBe(p(3));
    expect(m.relative_difference_ci.p).toBe(p(7));
    expect(m.relative_difference_ci.lo).toBeLessThanOrEqual(m.relative_difference_ci.hi);
  });

  it('falls back to unpaired resampling when the instructions differ, and says so', async () => {
    const out = await compareJson(`${DIR}/a.jsonl`, `${DIR}/other.jsonl`, '--resamples', '500');
    expect([out.paired, out.n, out.unpaired, out.test, out.exact, out.permutations]).toEqual([false, 0, { reference: 4, other: 4 }, 'label-permutation', true, 70]);
    const layer0 = out.modules[Q].layers[0];
    expect(layer0.diff).toBe(1);
    // Pooled SD of [1, 2, 3, 4] and [2, 3, 4, 5]: both variances 5/3.
    expect(layer0.d).toBeCloseTo(1 / Math.sqrt(5 / 3), 12);
    // Deal the pooled layer-0 values 4 to A, 4 to B, every way: |mean B − mean A| ≥ 1.
    const pool = [...rowsA, ...rowsB].map((r) => r[0]);
    let extreme = 0;
    for (let mask = 0; mask < 256; mask++) {
      const toA = pool.filter((_, i) => (mask >> i) & 1);
      if (toA.length !== 4) continue;
      const toB = pool.filter((_, i) => !((mask >> i) & 1));
      if (Math.abs(toB.reduce((s, x) => s + x, 0) / 4 - toA.reduce((s, x) => s + x, 0) / 4) >= 1) extreme++;
    }
    expect(layer0.p).toBe(extreme / 70);
  });

  it('gives the same numbers for the same seed, others for another, and none with --resamples 0', async () => {
    const args = [`${DIR}/a.jsonl`, `${DIR}/other.jsonl`, '--resamples', '300'];
    const one = await compareJson(...args, '--seed', '5');
    expect(await compareJson(...args, '--seed', '5')).toEqual(one);
    expect((await compareJson(...args, '--seed', '6')).modules[Q].layers[2]).not.toEqual(one.modules[Q].layers[2]);
    const plain = await compareJson(`${DIR}/a.jsonl`, `${DIR}/b.jsonl`, '--resamples', '0');
    expect(Object.keys(plain)).toEqual(['reference', 'other', 'stat', 'layers', 'identical_responses', 'samples_compared', 'modules']);
    expect(Object.keys(plain.modules[Q])).toEqual(['relative_difference', 'top_layers', 'ratios', 'reference_kept', 'other_kept']);
  });

  it('prints the pairing, the method and per module the intervals and significant layers as text', async () => {
    const r = await gradlens('compare', `${DIR}/a.jsonl`, `${DIR}/b.jsonl`, '--resamples', '200');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('paired by instruction: 4 pairs (unpaired: 0 in A, 0 in B)');
    expect(r.stdout).toContain('200 bootstrap resamples, seed 1, 95% percentile intervals; sign-flip permutation p, exact over all 16 arrangements');
    expect(r.stdout).toMatch(/self_attn\.q_proj\s+rel\. diff\s+0\.3556\s+\[/);
    expect(r.stdout).toMatch(/MAD all B-A\s+1\.000/);
    // No q below 0.05 with 4 pairs: the smallest possible p is 2/16.
    expect(r.stdout).toContain('self_attn.q_proj: B > A at none; B < A at none');
  });

  it('adds the relative difference and MAD intervals to the CSV', async () => {
    const r = await gradlens('compare', `${DIR}/a.jsonl`, `${DIR}/b.jsonl`, '--resamples', '200', '--csv', '--module', 'k');
    expect(r.code).toBe(0);
    const [header, row] = r.stdout.split('\r\n');
    expect(header).toBe('reference,other,module,layers,value,topLayers,identical,rdResampled,rdLo,rdHi,rdP,madAll,madAllLo,madAllHi,madAllP');
    // k: A 1, B 2 everywhere, so RD = 1 in every resample. Flipping f of the 4 pairs gives
    // curves (4 + f)/4 and (8 − f)/4, RD |4 − 2f| / (4 + f) < 1 for f > 0: p = 1/16.
    // MAD is 0 − 0 = 0 in every arrangement: p = 1.
    expect(row.split(',').slice(7, 15)).toEqual(['1', '1', '1', '0.0625', '0', '0', '0', '1']);
  });

  it.each([
    [['--ci', '1'], /bad --ci "1"/],
    [['--resamples', '1.5'], /bad --resamples "1.5"/],
    [['--seed', 'x'], /bad --seed "x"/],
    [['--splits', '0,2'], /bad splits 0,2/],
  ])('refuses %s with exit 2 and a one-line reason', async (extra, reason) => {
    const r = await gradlens('compare', `${DIR}/a.jsonl`, `${DIR}/b.jsonl`, ...extra);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(reason);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
