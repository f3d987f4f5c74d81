import { describe, expect, it } from 'vitest';
import { cholesky } from '../../../src/core/linalg/cholesky';

describe('cholesky', () => {
  it('factors a positive definite matrix exactly when the numbers allow (absolute 1e-15)', () => {
    const k = Float64Array.of(4, 2, 2, 5);
    const l = cholesky(k, 2);
    expect(l).not.toBeNull();
    Array.from(l!).forEach((v, i) => expect(Math.abs(v - [2, 0, 1, 2][i])).toBeLessThan(1e-15));
    expect(Array.from(k), 'input unchanged').toEqual([4, 2, 2, 5]);
  });

  it('reads only the lower triangle', () => {
    expect(cholesky(Float64Array.of(4, 999, 2, 5), 2)).toEqual(cholesky(Float64Array.of(4, 2, 2, 5), 2));
  });

  it.each([
    ['a singular matrix (repeated token)', [1, 1, 1, 1]],
    ['an indefinite matrix', [1, 2, 2, 1]],
    ['a zero matrix', [0, 0, 0, 0]],
    ['a matrix holding NaN', [1, 0, NaN, 1]],
    ['a matrix holding Infinity', [Infinity, 0, 0, 1]],
    ['a matrix holding -Infinity', [1, 0, -Infinity, 1]],
    ['a matrix singular after rounding (1 + 1e-17 = 1)', [1, 1, 1, 1 + 1e-17]],
  ])('refuses %s', (_name, k) => {
    expect(cholesky(Float64Array.from(k), 2)).toBeNull();
  });

  it('accepts a nearly singular matrix with a tiny positive pivot (absolute 1e-15)', () => {
    const l = cholesky(Float64Array.of(1, 0, 1, 1 + 2 ** -40), 2);
    expect(l).not.toBeNull();
    expect(Math.abs(l![3] - 2 ** -20)).toBeLessThan(1e-15);
  });

  it('refuses an empty matrix (nothing to factor)', () => {
    expect(cholesky(new Float64Array(0), 0)).toBeNull();
  });
});
