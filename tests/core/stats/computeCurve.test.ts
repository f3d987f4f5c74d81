import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeCurve,
  curveFromValues,
  extremeSamples,
  layerSamples,
} from '../../../src/core/stats/computeCurve.ts';
import { meanOf, stdOf } from '../../../src/core/stats/quantile.ts';
import { keptRows, keptRowSums } from '../../../src/core/stats/rowPasses.ts';
import { expectAllClose, expectClose } from './close.ts';
import { makeRun, snapshotRun } from './makeRun.ts';

const Q = 'self_attn.q_proj';
const K = 'self_attn.k_proj';
const inf = Infinity;

// Rows 0, 1, 3 are kept (row 2 has a NaN). Layer 0 over kept rows is 1, 3, 5: mean 3,
// population std √(8/3), percentiles at h = 2p: p5 1.2, p25 2, p50 3, p75 4, p95 4.8.
// Layers 1 and 2 are layer 0 times 10 and 100.
const rowsQ = [
  [1, 10, 100],
  [3, 30, 300],
  [NaN, 20, 200],
  [5, 50, 500],
];
const rowsK = [
  [1, 1, 1],
  [2, 2, 2],
  [3, 3, 3],
  [4, 4, 4],
];

describe('computeCurve', () => {
  it('averages over the samples whose row has no NaN, and counts the dropped one', () => {
    const run = makeRun({ values: { [Q]: { S_sum: rowsQ }, [K]: { S_sum: rowsK } } });
    const before = snapshotRun(run);
    const c = computeCurve(run, Q, 'S_sum');
    expect(c.layerCount).toBe(3);
    expect([c.kept, c.dropped]).toEqual([3, 1]);
    const scale = [1, 10, 100];
    expectAllClose(c.mean, scale.map((s) => 3 * s));
    expectAllClose(c.std, scale.map((s) => Math.sqrt(8 / 3) * s));
    expectAllClose(c.p5, scale.map((s) => 1.2 * s));
    expectAllClose(c.p25, scale.map((s) => 2 * s));
    expectAllClose(c.median, scale.map((s) => 3 * s));
    expectAllClose(c.p75, scale.map((s) => 4 * s));
    expectAllClose(c.p95, scale.map((s) => 4.8 * s));
    expect(snapshotRun(run)).toEqual(before);
  });

  it('computes each (run, module, statistic) once: the same run gives the same curve object, another run its own', () => {
    const run = makeRun({ values: { [Q]: { S_sum: rowsQ }, [K]: { S_sum: rowsK } } });
    const first = computeCurve(run, Q, 'S_sum');
    expect(computeCurve(run, Q, 'S_sum')).toBe(first);
    expect(computeCurve(run, K, 'S_sum')).not.toBe(first);
    expectAllClose(computeCurve(run, K, 'S_sum').mean, [2.5, 2.5, 2.5]);
    const other = makeRun({ values: { [Q]: { S_sum: rowsK }, [K]: { S_sum: rowsK } } });
    expectAllClose(computeCurve(other, Q, 'S_sum').mean, [2.5, 2.5, 2.5]);
    expectAllClose(computeCurve(run, Q, 'S_sum').mean, [3, 30, 300]);
  });

  it('drops per module: the NaN in q does not drop that sample from k', () => {
    const run = makeRun({ values: { [Q]: { S_sum: rowsQ }, [K]: { S_sum: rowsK } } });
    const c = computeCurve(run, K, 'S_sum');
    expect([c.kept, c.dropped]).toEqual([4, 0]);
    expectAllClose(c.mean, [2.5, 2.5, 2.5]);
  });

  it('drops per statistic: a derived statistic drops the rows whose inputs give NaN', () => {
    const run = makeRun({
      values: { [Q]: { S_sum: [[2, 4], [1, NaN]], S_max: [[1, 1], [1, 1]] } },
      loss: [2, 1],
    });
    const c = computeCurve(run, Q, 'S_sum_regularized');
    expect([c.kept, c.dropped]).toEqual([1, 1]);
    expectAllClose(c.mean, [1, 2]);
  });
});

describe('curveFromValues', () => {
  const cases: {
    name: string;
    rows: number[][];
    layers: number;
    kept: number;
    mean: number[];
    std: number[];
    median: number[];
  }[] = [
    { name: 'no samples give NaN everywhere and nothing kept', rows: [], layers: 2, kept: 0, mean: [NaN, NaN], std: [NaN, NaN], median: [NaN, NaN] },
    {
      name: 'all-NaN rows are all dropped and give NaN everywhere',
      rows: [[NaN, NaN], [NaN, 1]],
      layers: 2,
      kept: 0,
      mean: [NaN, NaN],
      std: [NaN, NaN],
      median: [NaN, NaN],
    },
    { name: 'zeros give a zero curve', rows: [[0, 0], [0, 0]], layers: 2, kept: 2, mean: [0, 0], std: [0, 0], median: [0, 0] },
    {
      name: 'Infinity is kept (it is not NaN) and makes that layer Infinity',
      rows: [[1, inf], [3, 1]],
      layers: 2,
      kept: 2,
      mean: [2, inf],
      std: [1, NaN],
      median: [2, inf],
    },
    {
      name: '-Infinity and Infinity in one layer make its mean NaN',
      rows: [[-inf, 0], [inf, 2], [0, 4]],
      layers: 2,
      kept: 3,
      mean: [NaN, 2],
      std: [NaN, Math.sqrt(8 / 3)],
      median: [0, 2],
    },
    { name: 'a single kept sample is its own curve with zero spread', rows: [[4, 5]], layers: 2, kept: 1, mean: [4, 5], std: [0, 0], median: [4, 5] },
  ];
  it.each(cases)('$name', ({ rows, layers, kept, mean, std, median }) => {
    const values = Float64Array.from(rows.flat());
    const copy = Array.from(values);
    const c = curveFromValues(values, rows.length, layers);
    expect([c.kept, c.dropped]).toEqual([kept, rows.length - kept]);
    expectAllClose(c.mean, mean, 1e-12, 'mean');
    expectAllClose(c.std, std, 1e-12, 'std');
    expectAllClose(c.median, median, 1e-12, 'median');
    expect(Array.from(values)).toEqual(copy);
  });

  it('keeps rows by the study rule: no NaN anywhere in the row', () => {
    const values = [1, 2, NaN, 3, inf, 0];
    expect(Array.from(keptRows(values, 3, 2))).toEqual([0, 2]);
    expect(Array.from(keptRows([], 0, 2))).toEqual([]);
  });
});

describe('layerSamples and extremeSamples', () => {
  const run = makeRun({ values: { [Q]: { S_sum: rowsQ } } });

  it('gives one layer of the kept samples with their indices', () => {
    const before = snapshotRun(run);
    const ls = layerSamples(run, Q, 'S_sum', 1);
    expect(Array.from(ls.samples)).toEqual([0, 1, 3]);
    expect(Array.from(ls.values)).toEqual([10, 30, 50]);
    expect(snapshotRun(run)).toEqual(before);
  });

  it.each([-1, 3, 1.5, NaN])('rejects layer %s outside the run', (layer) => {
    expect(() => layerSamples(run, Q, 'S_sum', layer)).toThrow(RangeError);
  });

  const cases: { name: string; samples: number[]; values: number[]; count: number; highest: number[]; lowest: number[] }[] = [
    { name: 'empty input gives nothing', samples: [], values: [], count: 3, highest: [], lowest: [] },
    { name: 'the two highest and two lowest by value', samples: [0, 2, 5], values: [10, 30, 20], count: 2, highest: [2, 5], lowest: [0, 5] },
    { name: 'ties go to the lower sample index', samples: [1, 4, 7], values: [0, 0, 0], count: 2, highest: [1, 4], lowest: [1, 4] },
    { name: 'infinities sort at the ends', samples: [0, 1, 2], values: [-inf, 5, inf], count: 1, highest: [2], lowest: [0] },
    { name: 'a count beyond the samples gives them all', samples: [3, 9], values: [2, 1], count: 5, highest: [3, 9], lowest: [9, 3] },
  ];
  it.each(cases)('$name', ({ samples, values, count, highest, lowest }) => {
    const ls = { layer: 0, samples: Int32Array.from(samples), values: Float64Array.from(values) };
    expect(extremeSamples(ls, count)).toEqual({ highest, lowest });
    expect(Array.from(ls.values)).toEqual(values);
  });
});

it('curve percentiles stay within tolerance of the hand-computed 1..4 case', () => {
  const c = curveFromValues([1, 2, 3, 4], 4, 1);
  expectClose(c.p5[0], 1.15);
  expectClose(c.p95[0], 3.85);
});

describe('curve properties on random finite data', () => {
  const matrix = fc
    .record({ samples: fc.integer({ min: 1, max: 12 }), layers: fc.integer({ min: 1, max: 6 }) })
    .chain(({ samples, layers }) =>
      fc.record({
        samples: fc.constant(samples),
        layers: fc.constant(layers),
        values: fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: samples * layers, maxLength: samples * layers }),
      }),
    );

  it('orders the bands p5 ≤ p25 ≤ median ≤ p75 ≤ p95 within the column range, and keeps the mean in range', () => {
    fc.assert(
      fc.property(matrix, ({ samples, layers, values }) => {
        const c = curveFromValues(values, samples, layers);
        for (let l = 0; l < layers; l++) {
          const column = Array.from({ length: samples }, (_, s) => values[s * layers + l]);
          const lo = Math.min(...column);
          const hi = Math.max(...column);
          const slack = 1e-9 * Math.max(1, Math.abs(lo), Math.abs(hi));
          const chain = [lo, c.p5[l], c.p25[l], c.median[l], c.p75[l], c.p95[l], hi];
          for (let i = 1; i < chain.length; i++) if (!(chain[i - 1] <= chain[i] + slack)) return false;
          if (!(lo - slack <= c.mean[l] && c.mean[l] <= hi + slack)) return false;
          if (!(c.std[l] >= 0 && c.std[l] <= hi - lo + slack)) return false;
        }
        return c.kept === samples && c.dropped === 0;
      }),
    );
  });
});

describe('curveFromValues against meanOf / stdOf per layer', () => {
  it('keeps the NaN-free rows and sums them per layer, for typed and plain arrays alike', () => {
    for (const values of [Float64Array.from([1, 2, NaN, 4, 5, 6]), [1, 2, NaN, 4, 5, 6]]) {
      const { rows, sums } = keptRowSums(values, 3, 2);
      expect(Array.from(rows)).toEqual([0, 2]);
      expect(Array.from(sums)).toEqual([6, 8]);
    }
  });

  it('gives the same bits as the per-layer functions over the kept rows', () => {
    const value = fc.oneof({ weight: 20, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }) }, { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, 1e300) });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 6 }), fc.array(value, { minLength: 72, maxLength: 72 }), (samples, layers, pool) => {
        const values = Float64Array.from({ length: samples * layers }, (_, i) => pool[i % pool.length]);
        for (const input of [values, Array.from(values)]) {
          const curve = curveFromValues(input, samples, layers);
          const rows = keptRows(input, samples, layers);
          expect(curve.kept).toBe(rows.length);
          for (let l = 0; l < layers; l++) {
            const column = Array.from(rows, (r) => values[r * layers + l]);
            expect(Object.is(curve.mean[l], meanOf(column))).toBe(true);
            expect(Object.is(curve.std[l], stdOf(column))).toBe(true);
          }
        }
        expect(Array.from(keptRows(values, samples, layers))).toEqual(Array.from(keptRows(Array.from(values), samples, layers)));
      }),
      { numRuns: 2000 },
    );
  });
});
