/** Float comparison for stats tests: NaN equals NaN, ±Infinity equals itself, else |a - e| ≤ tol·max(1, |e|). */
import { expect } from 'vitest';

/** Default tolerance: the hand-computed references are exact to well below this. */
export const TOL = 1e-12;

export function expectClose(actual: number, expected: number, tol = TOL, label = ''): void {
  if (Number.isNaN(expected)) {
    expect(actual, `${label} expected NaN`).toBeNaN();
  } else if (!Number.isFinite(expected)) {
    expect(actual, label).toBe(expected);
  } else {
    const ok = Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected));
    expect(ok, `${label} got ${actual}, expected ${expected} ± ${tol}`).toBe(true);
  }
}

export function expectAllClose(actual: ArrayLike<number>, expected: readonly number[], tol = TOL, label = ''): void {
  expect(actual.length, `${label} length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expectClose(actual[i], expected[i], tol, `${label}[${i}]`);
}
