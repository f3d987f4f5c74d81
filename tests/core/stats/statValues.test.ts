import { describe, expect, it } from 'vitest';
import { listStats, statValues, UnknownSelectionError } from '../../../src/core/stats/statValues.ts';
import { expectAllClose } from './close.ts';
import { makeRun, snapshotRun } from './makeRun.ts';

const Q = 'self_attn.q_proj';
const inf = Infinity;

describe('statValues', () => {
  // Two samples × three layers; S_ratio = S_max / S_sum (0 where S_sum is 0),
  // S_sum_regularized = S_sum / loss (0 where loss is 0), as exp_utils.py's ZeroDivisionError rule.
  const cases: {
    name: string;
    sMax: number[][];
    sSum: number[][];
    loss: number[];
    stat: string;
    expected: number[];
  }[] = [
    {
      name: 'S_ratio divides S_max by S_sum',
      sMax: [[1, 2, 3], [1, 1, 1]],
      sSum: [[4, 8, 6], [2, 4, 5]],
      loss: [1, 1],
      stat: 'S_ratio',
      expected: [0.25, 0.25, 0.5, 0.5, 0.25, 0.2],
    },
    {
      name: 'S_ratio is 0 where S_sum is zero, even when S_max is NaN',
      sMax: [[1, NaN, 0], [1, 1, 1]],
      sSum: [[0, 0, 0], [-0, 2, 1]],
      loss: [1, 1],
      stat: 'S_ratio',
      expected: [0, 0, 0, 0, 0.5, 1],
    },
    {
      name: 'S_ratio is NaN where S_sum or S_max is NaN and S_sum is not zero',
      sMax: [[NaN, 1, 1], [1, 1, 1]],
      sSum: [[2, NaN, 1], [1, 1, 1]],
      loss: [1, 1],
      stat: 'S_ratio',
      expected: [NaN, NaN, 1, 1, 1, 1],
    },
    {
      name: 'S_ratio follows IEEE division for infinities',
      sMax: [[inf, 1, inf], [1, 1, 1]],
      sSum: [[inf, inf, 2], [1, 1, 1]],
      loss: [1, 1],
      stat: 'S_ratio',
      expected: [NaN, 0, inf, 1, 1, 1],
    },
    {
      name: 'S_sum_regularized divides each row by its sample loss',
      sMax: [[1, 1, 1], [1, 1, 1]],
      sSum: [[2, 4, 6], [3, 6, 9]],
      loss: [2, 3],
      stat: 'S_sum_regularized',
      expected: [1, 2, 3, 1, 2, 3],
    },
    {
      name: 'S_sum_regularized is 0 for a zero loss and NaN for a missing or infinite one',
      sMax: [[1, 1, 1], [1, 1, 1]],
      sSum: [[2, NaN, 6], [3, 6, 9]],
      loss: [0, NaN],
      stat: 'S_sum_regularized',
      expected: [0, 0, 0, NaN, NaN, NaN],
    },
    {
      name: 'S_sum_regularized with infinite loss is 0 for finite S_sum',
      sMax: [[1, 1, 1], [1, 1, 1]],
      sSum: [[2, inf, 0], [1, 1, 1]],
      loss: [inf, 1],
      stat: 'S_sum_regularized',
      expected: [0, NaN, 0, 1, 1, 1],
    },
    {
      name: 'a stored statistic comes back as stored',
      sMax: [[1, 2, 3], [4, 5, 6]],
      sSum: [[1, 1, 1], [1, 1, 1]],
      loss: [1, 1],
      stat: 'S_max',
      expected: [1, 2, 3, 4, 5, 6],
    },
  ];
  it.each(cases)('$name', ({ sMax, sSum, loss, stat, expected }) => {
    const run = makeRun({ values: { [Q]: { S_max: sMax, S_sum: sSum } }, loss });
    const before = snapshotRun(run);
    expectAllClose(statValues(run, Q, stat), expected);
    expect(snapshotRun(run)).toEqual(before);
  });

  it('gives an empty array for a run with no samples', () => {
    const run = makeRun({ values: { [Q]: { S_sum: [], S_max: [] } }, layerCount: 4 });
    expect(statValues(run, Q, 'S_ratio').length).toBe(0);
    expect(statValues(run, Q, 'S_sum_regularized').length).toBe(0);
  });

  it('gives NaN for a statistic stored for another module only', () => {
    const run = makeRun({ values: { [Q]: { S_sum: [[1, 2]] }, 'self_attn.k_proj': { M_mean: [[3, 4]] } } });
    expectAllClose(statValues(run, Q, 'M_mean'), [NaN, NaN]);
  });

  it('throws an error naming the modules for an unknown module', () => {
    const run = makeRun({ values: { [Q]: { S_sum: [[1]] } } });
    expect(() => statValues(run, 'mlp.up_proj', 'S_sum')).toThrow(UnknownSelectionError);
    expect(() => statValues(run, 'mlp.up_proj', 'S_sum')).toThrow(/self_attn\.q_proj/);
  });

  it('throws an error naming the statistics for an unknown statistic', () => {
    const run = makeRun({ values: { [Q]: { S_sum: [[1]] } } });
    expect(() => statValues(run, Q, 'S_bogus')).toThrow(/unknown statistic "S_bogus".*S_sum/);
    expect(() => statValues(run, Q, 'S_ratio')).toThrow(/S_max|unknown statistic/);
  });
});

describe('listStats', () => {
  const cases: { name: string; stats: string[]; loss?: number; expected: string[] }[] = [
    { name: 'an empty run has no statistics', stats: [], expected: [] },
    {
      name: 'S_sum_regularized needs a loss',
      stats: ['S_sum', 'S_max'],
      loss: NaN,
      expected: ['S_sum', 'S_max', 'S_ratio'],
    },
    {
      name: 'the study fields come back S_sum first with both derived statistics',
      stats: ['M_mean', 'M_max', 'M_min', 'frobenius_norm', 'S_sum', 'S_max', 'S_min'],
      expected: ['S_sum', 'S_max', 'S_min', 'S_ratio', 'S_sum_regularized', 'frobenius_norm', 'M_mean', 'M_max', 'M_min'],
    },
    {
      name: 'S_ratio needs S_max as well as S_sum',
      stats: ['S_sum', 'frobenius_norm'],
      expected: ['S_sum', 'S_sum_regularized', 'frobenius_norm'],
    },
    { name: 'nothing is derived without S_sum', stats: ['S_max', 'M_mean'], expected: ['S_max', 'M_mean'] },
    {
      name: 'unknown fields follow in file order',
      stats: ['zeta', 'S_sum', 'alpha', 'effective_rank'],
      expected: ['S_sum', 'S_sum_regularized', 'effective_rank', 'zeta', 'alpha'],
    },
  ];
  it.each(cases)('$name', ({ stats, loss, expected }) => {
    const run = makeRun({ values: { [Q]: Object.fromEntries(stats.map((s) => [s, [[1]]])) }, loss: [loss ?? 0] });
    expect(listStats(run)).toEqual(expected);
  });
});
