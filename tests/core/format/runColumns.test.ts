import { describe, expect, it } from 'vitest';
import { RunColumns } from '../../../src/core/format/runColumns.ts';

/** A store with `rows` rows of one module and two statistics over three layers: value = row × 10 + layer (+ 0.5 for the second). */
function filled(rows: number, reserve?: [number, number]): RunColumns {
  const columns = new RunColumns();
  const m = columns.moduleId('self_attn.q_proj');
  const s = columns.statId('S_sum');
  const t = columns.statId('S_max');
  for (let r = 0; r < rows; r++) {
    columns.beginSample(2);
    columns.set(m, s, 0, r * 10);
    columns.set(m, s, 2, r * 10 + 2);
    columns.set(m, t, 1, r * 10 + 1.5);
    if (r === 0 && reserve) columns.reserveRows(...reserve);
  }
  return columns;
}

describe('RunColumns', () => {
  it('keeps every value through growth and reservations, unwritten ones NaN', () => {
    for (const reserve of [undefined, [1000, 1e9], [150, 1e9], [3, 1e9]] as const) {
      const { values, sampleCount, layerCount } = filled(300, reserve ? [...reserve] : undefined).finish();
      expect([sampleCount, layerCount]).toEqual([300, 3]);
      const sum = values.get('self_attn.q_proj')?.get('S_sum') as Float64Array;
      const max = values.get('self_attn.q_proj')?.get('S_max') as Float64Array;
      expect(sum).toHaveLength(900);
      expect([sum[299 * 3], sum[299 * 3 + 1], sum[299 * 3 + 2], max[299 * 3 + 1]]).toEqual([2990, NaN, 2992, 2991.5]);
      expect(max[0]).toBeNaN();
    }
  });

  it('reserves rows in one step, but never more bytes than allowed', () => {
    const columns = new RunColumns();
    const m = columns.moduleId('mlp');
    const s = columns.statId('S_sum');
    columns.beginSample(3); // 4 layers
    columns.set(m, s, 0, 1);
    const before = columns.column(m, s);
    columns.reserveRows(10_000, 1e9);
    const reserved = columns.column(m, s);
    expect(reserved).not.toBe(before);
    expect(reserved).toHaveLength(10_000 * 4);
    expect(reserved[0]).toBe(1);
    // 2 columns × 4 layers × 8 bytes = 64 bytes a row: 64 000 bytes allow 1000 rows, fewer than held already.
    columns.statId('S_max');
    columns.column(m, 1);
    columns.reserveRows(1e9, 64_000);
    expect(columns.column(m, s)).toBe(reserved);
  });
});
