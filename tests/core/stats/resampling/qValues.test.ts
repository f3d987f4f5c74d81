import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../../src/core/data/mulberry32.ts';
import { benjaminiHochberg } from '../../../../src/core/stats/resampling/qValues.ts';
import { expectAllClose } from '../close.ts';

describe('benjaminiHochberg', () => {
  it('matches a hand computation', () => {
    // Sorted: 0.01 (rank 1), 0.03 (2), 0.04 (3), 0.2 (4); p·4/rank = 0.04, 0.06, 0.0533…, 0.2;
    // the minimum over larger ranks lowers rank 2 to 0.0533….
    expectAllClose(benjaminiHochberg([0.01, 0.04, 0.03, 0.2]), [0.04, 0.16 / 3, 0.16 / 3, 0.2]);
  });

  it('caps q at 1, keeps ties together, and leaves NaN out of the count', () => {
    expectAllClose(benjaminiHochberg([0.9, 0.9, 1]), [1, 1, 1]);
    expectAllClose(benjaminiHochberg([0.02, 0.02]), [0.02, 0.02]);
    // m = 2, not 3: the NaN is not a test.
    expectAllClose(benjaminiHochberg([0.01, NaN, 0.04]), [0.02, NaN, 0.04]);
    expect(benjaminiHochberg([]).length).toBe(0);
    expect(Array.from(benjaminiHochberg([NaN]))).toEqual([NaN]);
  });

  it('equals the definition min over j ≥ rank of p(j)·m/j on random p-values', () => {
    const random = mulberry32(5);
    for (let trial = 0; trial < 50; trial++) {
      const m = 1 + Math.floor(random() * 30);
      const p = Array.from({ length: m }, () => (random() < 0.2 ? 0.05 : random() ** 3));
      const sorted = p.map((v, i) => [v, i]).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
      const expected = new Array<number>(m);
      sorted.forEach(([, i], r) => {
        let q = 1;
        for (let j = r; j < m; j++) q = Math.min(q, (sorted[j][0] * m) / (j + 1));
        expected[i] = q;
      });
      expectAllClose(benjaminiHochberg(p), expected, 1e-15);
      for (let i = 0; i < m; i++) expect(benjaminiHochberg(p)[i]).toBeGreaterThanOrEqual(p[i]);
    }
  });
});
