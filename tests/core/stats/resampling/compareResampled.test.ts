import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../../src/core/data/mulberry32.ts';
import { computeCurve } from '../../../../src/core/stats/computeCurve.ts';
import { computeMad } from '../../../../src/core/stats/mad.ts';
import { relativeDifference } from '../../../../src/core/stats/relativeDifference.ts';
import { comparisonSide } from '../../../../src/core/stats/resampling/comparisonSide.ts';
import { compareResampled, type ResampledComparison } from '../../../../src/core/stats/resampling/compareResampled.ts';
import { expectClose } from '../close.ts';
import { makeRun } from '../makeRun.ts';
import { makeSide, plainQuantile, plainStatistics } from './reference.ts';

type Rows = number[][];

/** Every statistic of a result in the library's order per module (layers, MAD parts, relative difference), as [value, lo, hi, p]. */
function flatten(result: ResampledComparison): { lo: number; hi: number; p: number }[] {
  return result.modules.flatMap((m) => [...m.layers, ...Object.values(m.mad), m.relativeDifference]);
}

/** A statistic-major list of the plain statistics for a list of arrangements. */
function perStatistic(arrangements: number[][]): number[][] {
  return arrangements[0].map((_, s) => arrangements.map((a) => a[s]));
}

/**
 * Holds every statistic's interval to the 2.5% and 97.5% quantiles of the plain bootstrap
 * loop's values, and its p to (1 + #{|T*| ≥ |T|}) / (1 + R) over the plain permutation loop's.
 */
function expectMatchesLoops(result: ResampledComparison, observed: number[], boot: number[][], perms: number[][], resamples: number): void {
  const got = flatten(result);
  const permValues = perStatistic(perms);
  perStatistic(boot).forEach((values, s) => {
    expectClose(got[s].lo, plainQuantile(values, 0.025), 1e-10, `lo ${s}`);
    expectClose(got[s].hi, plainQuantile(values, 0.975), 1e-10, `hi ${s}`);
    const t = Math.abs(observed[s]);
    const extreme = permValues[s].filter((v) => !(Math.abs(v) < t)).length;
    expect(got[s].p, `p ${s}`).toBe((1 + extreme) / (1 + resamples));
  });
}

/** Dyadic values (multiples of 1/4) so every sum is exact and the plain enumeration meets the same ties. */
function dyadicRows(random: () => number, n: number, L: number, shift: number): Rows {
  return Array.from({ length: n }, () => Array.from({ length: L }, (_, l) => Math.floor(random() * 16) / 4 + (l % 3) + shift));
}

describe('compareResampled: exact permutation p-values', () => {
  it('equal a plain enumeration of every sign flip, for layers, MAD parts and relative difference', () => {
    const random = mulberry32(21);
    for (const n of [1, 2, 5, 9]) {
      const L = 6;
      const A = dyadicRows(random, n, L, 1);
      const B = dyadicRows(random, n, L, 1.25);
      if (n >= 5) A[2][3] = NaN; // one pair dropped from the layers, A's curve drops its row
      const splits: [number, number] = [2, 4];
      const result = compareResampled(makeSide('a', { q: A }), makeSide('b', { q: B }), { resamples: 50, splits });
      expect(result.paired).toBe(true);
      expect(result.exact).toBe(true);
      expect(result.permutations).toBe(2 ** n);
      const observed = plainStatistics(A, B, true, L, splits);
      const flips: number[][] = [];
      for (let mask = 0; mask < 2 ** n; mask++) {
        const a = A.map((row, k) => ((mask >> k) & 1 ? B[k] : row));
        const b = B.map((row, k) => ((mask >> k) & 1 ? A[k] : row));
        flips.push(plainStatistics(a, b, true, L, splits));
      }
      const got = flatten(result);
      perStatistic(flips).forEach((values, s) => {
        const t = Math.abs(observed[s]);
        const expected = Number.isNaN(t) ? NaN : values.filter((v) => !(Math.abs(v) < t)).length / 2 ** n;
        expect(got[s].p, `n ${n}, statistic ${s}`).toBe(expected);
      });
    }
  });

  it('equal a plain enumeration of every re-dealing of the pooled samples when the runs do not pair', () => {
    const random = mulberry32(8);
    const L = 5;
    const A = dyadicRows(random, 4, L, 0);
    const B = dyadicRows(random, 5, L, 0.5);
    B[1][0] = NaN;
    const splits: [number, number] = [2, 3];
    const sideB = makeSide('b', { q: B }, B.map((_, i) => 1e6 + i));
    const result = compareResampled(makeSide('a', { q: A }), sideB, { resamples: 50, splits });
    expect([result.paired, result.test, result.exact, result.permutations]).toEqual([false, 'label-permutation', true, 126]);
    const pool = [...A, ...B];
    const observed = plainStatistics(A, B, false, L, splits);
    const deals: number[][] = [];
    for (let mask = 0; mask < 2 ** 9; mask++) {
      const toA = pool.filter((_, i) => (mask >> i) & 1);
      if (toA.length !== 4) continue;
      deals.push(plainStatistics(toA, pool.filter((_, i) => !((mask >> i) & 1)), false, L, splits));
    }
    expect(deals.length).toBe(126);
    const got = flatten(result);
    perStatistic(deals).forEach((values, s) => {
      const t = Math.abs(observed[s]);
      const expected = Number.isNaN(t) ? NaN : values.filter((v) => !(Math.abs(v) < t)).length / 126;
      expect(got[s].p, `statistic ${s}`).toBe(expected);
    });
  });
});

/** Random normal draw (Box–Muller). */
function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(Math.max(random(), 1e-300))) * Math.cos(2 * Math.PI * random());
}

describe('compareResampled: bootstrap intervals and Monte Carlo p-values', () => {
  const L = 9;
  const splits: [number, number] = [3, 6];
  const random = mulberry32(4);
  const A: Rows = Array.from({ length: 40 }, () => Array.from({ length: L }, (_, l) => 5 + l + normal(random)));
  const B: Rows = A.map((row) => row.map((x, l) => x + (l < 3 ? 0.4 : 0) + 0.5 * normal(random)));
  A[3][2] = NaN; // A drops sample 3 (q only)
  B[7][5] = NaN; // B drops sample 7: a mixed module
  const rows = { q: A, k: A.map((r) => r.map((x) => (Number.isNaN(x) ? 1 : x * 2))) };
  const rowsB = { q: B, k: B.map((r) => r.map((x) => (Number.isNaN(x) ? 2 : x * 2))) };
  const resamples = 300;
  const seed = 17;

  it('paired: intervals equal a plain loop over the same pair-index draws, p a plain loop over the same sign flips', () => {
    const result = compareResampled(makeSide('a', rows), makeSide('b', rowsB), { resamples, seed, splits });
    const n = A.length;
    const draws = mulberry32(seed);
    const boot: number[][] = [];
    for (let r = 0; r < resamples; r++) {
      const idx = Array.from({ length: n }, () => Math.floor(draws() * n));
      boot.push(['q', 'k'].flatMap((m) => plainStatistics(idx.map((i) => rows[m as 'q'][i]), idx.map((i) => rowsB[m as 'q'][i]), true, L, splits)));
    }
    const flipsRandom = mulberry32(seed ^ 0x5bd1e995);
    const perms: number[][] = [];
    for (let r = 0; r < resamples; r++) {
      // One 32-bit word per 32 pairs, pair k taking bit k mod 32.
      const words = Array.from({ length: Math.ceil(n / 32) }, () => Math.floor(flipsRandom() * 2 ** 32));
      const flip = Array.from({ length: n }, (_, k) => Math.floor(words[Math.floor(k / 32)] / 2 ** (k % 32)) % 2 === 1);
      perms.push(
        ['q', 'k'].flatMap((m) => {
          const a = rows[m as 'q'];
          const b = rowsB[m as 'q'];
          return plainStatistics(a.map((x, k) => (flip[k] ? b[k] : x)), b.map((x, k) => (flip[k] ? a[k] : x)), true, L, splits);
        }),
      );
    }
    const observed = ['q', 'k'].flatMap((m) => plainStatistics(rows[m as 'q'], rowsB[m as 'q'], true, L, splits));
    expectMatchesLoops(result, observed, boot, perms, resamples);
    expect(result.modules.map((m) => [m.keptA, m.keptB, m.keptPairs])).toEqual([[39, 39, 38], [40, 40, 40]]);
  });

  it('unpaired: intervals equal a plain loop drawing A then B independently, p a plain partial Fisher–Yates', () => {
    const keysB = B.map((_, i) => 1e6 + i);
    const result = compareResampled(makeSide('a', rows), makeSide('b', rowsB, keysB), { resamples, seed, splits });
    expect(result.paired).toBe(false);
    const nA = A.length;
    const nB = B.length;
    const draws = mulberry32(seed);
    const boot: number[][] = [];
    for (let r = 0; r < resamples; r++) {
      const ia = Array.from({ length: nA }, () => Math.floor(draws() * nA));
      const ib = Array.from({ length: nB }, () => Math.floor(draws() * nB));
      boot.push(['q', 'k'].flatMap((m) => plainStatistics(ia.map((i) => rows[m as 'q'][i]), ib.map((i) => rowsB[m as 'q'][i]), false, L, splits)));
    }
    const deal = mulberry32(seed ^ 0x5bd1e995);
    const order = Array.from({ length: nA + nB }, (_, i) => i);
    const perms: number[][] = [];
    for (let r = 0; r < resamples; r++) {
      for (let i = 0; i < nA; i++) {
        const j = i + Math.floor(deal() * (nA + nB - i));
        [order[i], order[j]] = [order[j], order[i]];
      }
      const toA = new Set(order.slice(0, nA));
      perms.push(
        ['q', 'k'].flatMap((m) => {
          const pool = [...rows[m as 'q'], ...rowsB[m as 'q']];
          return plainStatistics(pool.filter((_, i) => toA.has(i)), pool.filter((_, i) => !toA.has(i)), false, L, splits);
        }),
      );
    }
    const observed = ['q', 'k'].flatMap((m) => plainStatistics(rows[m as 'q'], rowsB[m as 'q'], false, L, splits));
    expectMatchesLoops(result, observed, boot, perms, resamples);
  });

  it('gives the same bits from the WebAssembly kernel and the JavaScript loop, and the same numbers for the same seed', () => {
    const a = makeSide('a', rows);
    const b = makeSide('b', rowsB);
    const kernel = compareResampled(a, b, { resamples: 100, seed: 3 });
    expect(compareResampled(a, b, { resamples: 100, seed: 3, useKernel: false })).toEqual(kernel);
    expect(compareResampled(a, b, { resamples: 100, seed: 3 })).toEqual(kernel);
    expect(compareResampled(a, b, { resamples: 100, seed: 4 }).modules[0].layers[0].lo).not.toBe(kernel.modules[0].layers[0].lo);
  });
});

describe('compareResampled: values', () => {
  it('reports the curves’ own numbers when every sample pairs: diff = curve B − curve A, MAD and relative difference as the tables compute them', () => {
    const random = mulberry32(2);
    const L = 32;
    const rowsA = Array.from({ length: 30 }, () => Array.from({ length: L }, () => 1 + random()));
    const rowsB = rowsA.map((r) => r.map((x) => x * (1 + 0.1 * random())));
    const runA = makeRun({ values: { q: { S_sum: rowsA } } });
    const runB = makeRun({ values: { q: { S_sum: rowsB } } });
    const result = compareResampled(comparisonSide(runA, 'S_sum', ['q']), comparisonSide(runB, 'S_sum', ['q']), { resamples: 20 });
    const ca = computeCurve(runA, 'q', 'S_sum').mean;
    const cb = computeCurve(runB, 'q', 'S_sum').mean;
    const m = result.modules[0];
    expect(m.layers.map((x) => x.diff)).toEqual(Array.from(cb, (x, l) => x - ca[l]));
    const madA = computeMad(ca);
    const madB = computeMad(cb);
    expect(Object.fromEntries(Object.entries(m.mad).map(([k, v]) => [k, v.value]))).toEqual({
      all: madB.all - madA.all,
      early: madB.early - madA.early,
      middle: madB.middle - madA.middle,
      late: madB.late - madA.late,
    });
    expect(m.relativeDifference.value).toBe(relativeDifference(ca, cb).value);
    expect(result.splits).toEqual([10, 20]);
  });

  it('pairs by instruction text, not by position: shuffling B’s samples changes nothing', () => {
    const random = mulberry32(6);
    const A = Array.from({ length: 12 }, () => Array.from({ length: 4 }, () => Math.floor(random() * 40) / 8));
    const B = A.map((r) => r.map((x) => x + Math.floor(random() * 8) / 8));
    const order = [5, 2, 9, 0, 11, 3, 7, 1, 10, 4, 8, 6];
    const inOrder = compareResampled(makeSide('a', { q: A }), makeSide('b', { q: B }), { resamples: 200 });
    const shuffled = compareResampled(
      makeSide('a', { q: A }),
      makeSide('b', { q: order.map((i) => B[i]) }, order.map((i) => i)),
      { resamples: 200 },
    );
    expect(shuffled.paired).toBe(true);
    expect(shuffled.modules[0].layers.map((x) => [x.diff, x.d, x.p])).toEqual(inOrder.modules[0].layers.map((x) => [x.diff, x.d, x.p]));
    expect(shuffled.modules[0].mad.all.p).toBe(inOrder.modules[0].mad.all.p);
  });

  it('computes the paired effect size as mean difference over the SD (n − 1) of the differences', () => {
    // Differences at layer 0: 1, 2, 3, 6 → mean 3, SD √(14/3).
    const A = [[0], [0], [0], [0]];
    const B = [[1], [2], [3], [6]];
    const m = compareResampled(makeSide('a', { q: A }), makeSide('b', { q: B }), { resamples: 10 }).modules[0];
    expectClose(m.layers[0].diff, 3);
    expectClose(m.layers[0].d, 3 / Math.sqrt(14 / 3));
    // 16 sign flips; |T*| ≥ 3 only for all-positive and all-negative.
    expect(m.layers[0].p).toBe(2 / 16);
  });

  it('computes the unpaired effect size over the pooled SD', () => {
    // A: 1, 2, 3 (var 1); B: 5, 7 (var 2): pooled √((2·1 + 1·2) / 3), diff 6 − 2 = 4.
    const m = compareResampled(makeSide('a', { q: [[1], [2], [3]] }), makeSide('b', { q: [[5], [7]] }, [100, 101]), { resamples: 10 }).modules[0];
    expectClose(m.layers[0].diff, 4);
    expectClose(m.layers[0].d, 4 / Math.sqrt(4 / 3));
    // C(5, 3) = 10 deals; |mean B − mean A| ≥ 4 only for the observed one.
    expect(m.layers[0].p).toBe(1 / 10);
  });

  it('drops a pair from a module’s layers when either side drops its row there, and only in that module', () => {
    const A = [[1, 2], [NaN, 4], [5, 6], [7, 8]];
    const B = [[2, 2], [3, 5], [5, NaN], [9, 9]];
    const other = [[1, 1], [1, 1], [1, 1], [1, 1]];
    const result = compareResampled(makeSide('a', { q: A, k: other }), makeSide('b', { q: B, k: other.map((r) => r.map((x) => x + 1)) }), { resamples: 50 });
    const [q, k] = result.modules;
    // Pairs 0 and 3 remain: diffs (1, 0) and (2, 1).
    expect(q.layers.map((x) => x.diff)).toEqual([1.5, 0.5]);
    expect([q.keptA, q.keptB, q.keptPairs]).toEqual([3, 3, 2]);
    // MAD uses each run's own curve: A over samples 0, 2, 3; B over 0, 1, 3.
    const curveA = [13 / 3, 16 / 3];
    const curveB = [14 / 3, 16 / 3];
    expectClose(q.mad.all.value, Math.abs(curveB[1] - curveB[0]) - Math.abs(curveA[1] - curveA[0]));
    expect([k.keptPairs, k.layers[0].diff]).toEqual([4, 1]);
  });
});

describe('compareResampled: coverage', () => {
  // `npm run bench -- paired` runs the full check (2,000 comparisons, 10,000 resamples each,
  // 93–97%); this is the same at a fifth of the repetitions and a tenth of the resamples,
  // with the window widened to ±3 standard errors of 400 repetitions.
  it('covers a known paired mean difference about 95% of the time over 400 simulated comparisons', () => {
    // Paired normal data: A ~ N(10, 1), B = A + 0.3 + N(0, 1): the true mean difference is 0.3.
    const random = mulberry32(99);
    const n = 60;
    const repetitions = 400;
    let covered = 0;
    for (let rep = 0; rep < repetitions; rep++) {
      const A = Array.from({ length: n }, () => [10 + normal(random)]);
      const B = A.map(([x]) => [x + 0.3 + normal(random)]);
      const m = compareResampled(makeSide('a', { q: A }), makeSide('b', { q: B }), { resamples: 1000, seed: rep }).modules[0];
      if (m.layers[0].lo <= 0.3 && 0.3 <= m.layers[0].hi) covered++;
    }
    const coverage = covered / repetitions;
    expect(coverage).toBeGreaterThanOrEqual(0.917);
    expect(coverage).toBeLessThanOrEqual(0.983);
  });
});

describe('compareResampled: edge cases', () => {
  it('gives NaN statistics for empty runs and says they do not pair', () => {
    const empty = { name: 'e', sampleCount: 0, layerCount: 3, values: new Map([['q', new Float64Array(0)]]), keys: [] };
    const result = compareResampled(empty, { ...empty, name: 'f' }, { resamples: 10 });
    expect([result.paired, result.pairs, result.exact]).toEqual([false, 0, true]);
    const m = result.modules[0];
    expect(m.layers.every((x) => [x.diff, x.lo, x.hi, x.d, x.p, x.q].every(Number.isNaN))).toBe(true);
    expect(Object.values(m.mad).every((x) => Number.isNaN(x.value) && Number.isNaN(x.p))).toBe(true);
  });

  it('gives one pair a zero-width interval, NaN effect size and p = 1', () => {
    const m = compareResampled(makeSide('a', { q: [[1, 2, 4]] }), makeSide('b', { q: [[2, 2, 5]] }), { resamples: 10 }).modules[0];
    expect(m.layers.map((x) => [x.diff, x.lo, x.hi, x.p])).toEqual([[1, 1, 1, 1], [0, 0, 0, 1], [1, 1, 1, 1]]);
    expect(m.layers[0].d).toBeNaN();
  });

  it('gives NaN for a module whose every row holds a NaN, and numbers for the others', () => {
    const A = { q: [[NaN, 1], [1, NaN]], k: [[1, 2], [3, 4]] };
    const B = { q: [[1, 1], [2, 2]], k: [[2, 2], [3, 5]] };
    const [q, k] = compareResampled(makeSide('a', A), makeSide('b', B), { resamples: 10 }).modules;
    expect(q.layers.every((x) => Number.isNaN(x.diff) && Number.isNaN(x.p) && Number.isNaN(x.lo))).toBe(true);
    expect(q.relativeDifference.value).toBeNaN();
    expect(k.layers.map((x) => x.diff)).toEqual([0.5, 0.5]);
    // With q's p-values NaN, the q-values count only k's two layers.
    expect(k.layers.every((x) => x.q >= x.p && !Number.isNaN(x.q))).toBe(true);
  });

  it('refuses bad options, different layer counts and no common module with a RangeError', () => {
    const a = makeSide('a', { q: [[1, 2]] });
    expect(() => compareResampled(a, a, { resamples: 0 })).toThrow(RangeError);
    expect(() => compareResampled(a, a, { resamples: 1.5 })).toThrow(RangeError);
    expect(() => compareResampled(a, a, { ci: 1 })).toThrow(RangeError);
    expect(() => compareResampled(a, a, { seed: 0.5 })).toThrow(RangeError);
    expect(() => compareResampled(a, makeSide('b', { q: [[1, 2, 3]] }))).toThrow(/2 layers .* 3/);
    expect(() => compareResampled(a, makeSide('b', { k: [[1, 2]] }))).toThrow(/no module in common/);
  });

  it('can be told not to pair, and then says so', () => {
    const a = makeSide('a', { q: [[1], [2], [3]] });
    const b = makeSide('b', { q: [[2], [3], [5]] });
    const result = compareResampled(a, b, { resamples: 10, pairing: 'unpaired' });
    expect([result.paired, result.pairs, result.test]).toEqual([false, 3, 'label-permutation']);
  });

  it('leaves its inputs unchanged', () => {
    const a = makeSide('a', { q: [[1, NaN], [2, 3]] });
    const b = makeSide('b', { q: [[2, 2], [3, 3]] });
    const before = [Array.from(a.values.get('q') as Float64Array), Array.from(b.values.get('q') as Float64Array)];
    compareResampled(a, b, { resamples: 10 });
    expect([Array.from(a.values.get('q') as Float64Array), Array.from(b.values.get('q') as Float64Array)]).toEqual(before);
  });
});
