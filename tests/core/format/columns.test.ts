import { describe, expect, it } from 'vitest';
import { describeLayers, RunColumns } from '../../../src/core/format/columns.ts';
import { readLimits } from '../../../src/core/format/limits.ts';

/** `rows` rows over layers 0–2 of one module and two statistics: S_sum = row × 10 + layer at layers 0 and 2, S_max = row × 10 + 1.5 at layer 1. */
function filled(rows: number, reserve?: number): RunColumns {
  const columns = new RunColumns(readLimits());
  expect(columns.admit(['q', 'q'], ['S_sum', 'S_max'])).toBeNull();
  const m = columns.moduleId('q');
  const [s, t] = [columns.statId('S_sum'), columns.statId('S_max')];
  const group = columns.group([0, 1, 2]);
  if (typeof group === 'string') throw new Error(group);
  for (let r = 0; r < rows; r++) {
    expect(columns.reserve(group, [m, m], [s, t])).toBeNull();
    const row = columns.beginRow(group, r + 1, r);
    (group.column(m, s) as Float64Array)[row * 3] = r * 10;
    (group.column(m, s) as Float64Array)[row * 3 + 2] = r * 10 + 2;
    (group.column(m, t) as Float64Array)[row * 3 + 1] = r * 10 + 1.5;
    if (r === 0 && reserve !== undefined) columns.reserveRows(reserve);
  }
  return columns;
}

describe('RunColumns', () => {
  it('keeps every value through growth and reservations, unwritten ones NaN', () => {
    for (const reserve of [undefined, 1000, 150, 3]) {
      const { values, sampleCount, layerCount } = filled(300, reserve).finish();
      expect([sampleCount, layerCount]).toEqual([300, 3]);
      const sum = values.get('q')?.get('S_sum') as Float64Array;
      const max = values.get('q')?.get('S_max') as Float64Array;
      expect(sum).toHaveLength(900);
      expect([sum[299 * 3], sum[299 * 3 + 1], sum[299 * 3 + 2], max[299 * 3 + 1]]).toEqual([2990, NaN, 2992, 2991.5]);
      expect(max[0]).toBeNaN();
    }
  });

  it('refuses a record that would pass the module or statistic budget, registering nothing', () => {
    const columns = new RunColumns(readLimits({ modules: 2, stats: 2 }));
    expect(columns.admit(['a', 'b'], ['x', 'y'])).toBeNull();
    expect(columns.admit(['c'], ['x'])).toBe('module c is beyond the limit of 2 modules per file (raise it with --budget modules=N)');
    expect(columns.admit(['a', 'a'], ['y', 'z'])).toBe('statistic z of a is beyond the limit of 2 statistics per module (raise it with --budget stats=N)');
    expect([columns.moduleId('c'), columns.statId('z')]).toEqual([-1, -1]);
    expect(columns.admit(['a', 'b'], ['y', 'x'])).toBeNull();
  });

  it('keeps records of each layer set apart and makes the largest set the run, setting the others aside by line', () => {
    const setAside: { line: number; reason: string }[] = [];
    const columns = new RunColumns(readLimits(), (line, reason) => setAside.push({ line, reason }));
    columns.admit(['q'], ['S_sum']);
    const [m, s] = [columns.moduleId('q'), columns.statId('S_sum')];
    const sets = [[0, 1], [0, 1, 2], [0, 1], [1000], [0, 1]];
    sets.forEach((layers, i) => {
      const group = columns.group(layers);
      if (typeof group === 'string') throw new Error(group);
      expect(columns.reserve(group, [m], [s])).toBeNull();
      const row = columns.beginRow(group, i + 1, NaN);
      (group.column(m, s) as Float64Array)[row * group.width + layers[0]] = i;
    });
    const run = columns.finish();
    expect([run.sampleCount, run.layerCount]).toEqual([3, 2]);
    expect(Array.from(run.values.get('q')?.get('S_sum') ?? [])).toEqual([0, NaN, 2, NaN, 4, NaN]);
    expect(setAside).toEqual([
      { line: 2, reason: 'layers 0–2, not the layers 0–1 of 3 of the file\'s records; set aside' },
      { line: 4, reason: 'layers 1000, not the layers 0–1 of 3 of the file\'s records; set aside' },
    ]);
  });

  it('gives a 17th layer set the place of the smallest group once it has come more often than that group holds', () => {
    const setAside: number[] = [];
    const columns = new RunColumns(readLimits(), (line) => setAside.push(line));
    const add = (layers: number[], line: number) => {
      const group = columns.group(layers);
      if (typeof group === 'string') return group;
      expect(columns.reserve(group, [], [])).toBeNull();
      columns.beginRow(group, line, NaN);
      return 'stored';
    };
    for (let i = 0; i < 16; i++) for (let k = 0; k < (i === 15 ? 2 : 3); k++) expect(add([i], 100 * i + k)).toBe('stored');
    // Layer set 15 holds 2 records: a 17th set is set aside twice, and takes its place the third time.
    expect(add([99], 9001)).toMatch(/^layers 99: one more layer set than the 16 this file already holds; set aside$/);
    expect(add([99], 9002)).toMatch(/set aside$/);
    expect(setAside).toEqual([]);
    expect(add([99], 9003)).toBe('stored');
    expect(setAside).toEqual([1500, 1501]);
    expect(columns.groups.map((g) => g.layers[0])).toEqual([...Array.from({ length: 15 }, (_, i) => i), 99]);
    expect(add([15], 1502)).toMatch(/set aside$/);
  });

  it('stops taking rows where the columns would pass their budget, with a reason', () => {
    const columns = new RunColumns(readLimits());
    columns.admit(['q'], ['S_sum']);
    const group = columns.group([1023]);
    if (typeof group === 'string') throw new Error(group);
    let stored = 0;
    let reason: string | null = null;
    while (reason === null && stored < 100_000) {
      reason = columns.reserve(group, [0], [0]);
      if (reason === null) columns.beginRow(group, ++stored, NaN);
    }
    // 1024 values of 8 bytes a row within 64 MB: about 8000 rows.
    expect(stored).toBeGreaterThan(7000);
    expect(stored).toBeLessThan(8200);
    expect(reason).toMatch(/^storing it would take the columns to .*, past their budget of 64 MB/);
  });

  it('describes layer sets as ranges', () => {
    expect([describeLayers([0, 1, 2, 3]), describeLayers([0, 1, 2, 5, 7, 8]), describeLayers([4])]).toEqual(['0–3', '0–2, 5, 7–8', '4']);
  });
});
