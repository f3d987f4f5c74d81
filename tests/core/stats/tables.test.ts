import { describe, expect, it } from 'vitest';
import { pairRuns } from '../../../src/core/stats/pairRuns.ts';
import { toCsv } from '../../../src/core/stats/table.ts';
import { madTable, relativeDifferenceTable } from '../../../src/core/stats/tables.ts';
import { expectClose } from './close.ts';
import { makeRun, snapshotRun } from './makeRun.ts';

const Q = 'self_attn.q_proj';
const K = 'self_attn.k_proj';
const sq = (scale: number) => Array.from({ length: 12 }, (_, i) => scale * i * i);

// Curve i² over 12 layers: MAD of slice [s, e) is s + e - 1; default splits [3, 9]
// give all 11, early 2, middle 11, late 20. Module k's curve is 2i² (one sample kept).
const twelve = makeRun({
  name: 'twelve',
  values: {
    [Q]: { S_sum: [sq(1), sq(1)] },
    [K]: { S_sum: [sq(2), sq(NaN)] },
  },
});

describe('madTable', () => {
  it('gives one row per run and module with the MAD of each part', () => {
    const before = snapshotRun(twelve);
    const t = madTable([twelve], 'S_sum');
    expect(t.rows.map((r) => [r.module, r.layers, r.splits, r.kept, r.dropped])).toEqual([
      [Q, 12, '3,9', 2, 0],
      [K, 12, '3,9', 1, 1],
    ]);
    const expected = [
      [11, 2, 11, 20],
      [22, 4, 22, 40],
    ];
    t.rows.forEach((r, i) => {
      [r.all, r.early, r.middle, r.late].forEach((x, j) => expectClose(x, expected[i][j], 1e-12, `${r.module}[${j}]`));
    });
    expect(snapshotRun(twelve)).toEqual(before);
  });

  it('uses custom splits and reports them', () => {
    const [row] = madTable([twelve], 'S_sum', [5, 10]).rows;
    expect(row.splits).toBe('5,10');
    expect([row.all, row.early, row.middle, row.late]).toEqual([11, 4, 14, 21]);
  });

  it('rejects custom splits that do not fit a run', () => {
    expect(() => madTable([twelve], 'S_sum', [5, 12])).toThrow(RangeError);
  });

  it('gives no rows for no runs and a header-only CSV', () => {
    const t = madTable([], 'S_sum');
    expect(t.rows).toEqual([]);
    expect(toCsv(t)).toBe('run,file,module,layers,splits,kept,dropped,all,early,middle,late\r\n');
  });

  it('gives NaN MADs for an all-NaN module', () => {
    const run = makeRun({ values: { [Q]: { S_sum: [sq(NaN)] } } });
    const [row] = madTable([run], 'S_sum').rows;
    expect(row.kept).toBe(0);
    expect([row.all, row.early, row.middle, row.late].every(Number.isNaN)).toBe(true);
  });
});

describe('relativeDifferenceTable', () => {
  const meta = { task: 't', model: 'm', variant: 'base', dataset: 'd', setting: 'none' } as const;
  // Reference curve [1, 2, 4], other [2, 2, 2]: ratios [1, 0, 0.5], value 0.5, top [0, 2, 1].
  const correct = makeRun({
    name: 'correct',
    meta: { ...meta, correctness: 'correct' },
    values: { [Q]: { S_sum: [[1, 2, 4], [1, 2, 4]] }, [K]: { S_sum: [[0, 0, 0], [0, 0, 0]] } },
    samples: [{ output: '42' }, { output: '7' }],
  });
  const irrelevant = makeRun({
    name: 'irrelevant',
    meta: { ...meta, correctness: 'irrelevant' },
    values: { [Q]: { S_sum: [[3, 1, 2], [1, 3, 2]] }, [K]: { S_sum: [[0, 0, 0], [0, 0, 0]] } },
    samples: [{ output: '42' }, { output: '8' }],
  });

  it('compares the other run against the reference per module, with the identical-response count', () => {
    const t = relativeDifferenceTable(pairRuns([irrelevant, correct]), 'S_sum');
    expect(t.rows.map((r) => [r.reference, r.other, r.differsIn, r.module, r.layers, r.topLayers, r.identical])).toEqual([
      ['correct', 'irrelevant', 'correctness', Q, 3, [0, 2, 1], 1],
      ['correct', 'irrelevant', 'correctness', K, 3, [0, 1, 2], 1],
    ]);
    expectClose(t.rows[0].value, 0.5);
    // Zero against zero: the 1e-10 stand-in makes every ratio 1.
    expectClose(t.rows[1].value, 1);
  });

  it('leaves the identical count empty for pairs other than correctness', () => {
    const detailed = makeRun({ name: 'detailed', meta: { ...meta, setting: 'detailed', correctness: 'correct' }, values: { [Q]: { S_sum: [[1, 1, 1]] } } });
    const rows = relativeDifferenceTable(pairRuns([correct, detailed]), 'S_sum').rows;
    expect(rows.map((r) => [r.differsIn, r.module, r.identical])).toEqual([['setting', Q, null]]);
  });

  it('refuses runs with different layer counts', () => {
    const short = makeRun({ name: 'short', values: { [Q]: { S_sum: [[1, 2]] } } });
    expect(() => relativeDifferenceTable([{ reference: correct, other: short, differsIn: 'setting' }], 'S_sum')).toThrow(/3 layers.*2/);
  });

  it('gives no rows for no pairs', () => {
    expect(relativeDifferenceTable([], 'S_sum').rows).toEqual([]);
  });
});
