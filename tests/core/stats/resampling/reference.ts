/**
 * Test helper: the statistics of a comparison written plainly from their definitions
 * (DESIGN.md §3 and README "How sure is a difference?"), independent of the code under
 * test, plus a ComparisonSide built from nested arrays.
 */
import type { ComparisonSide } from '../../../../src/core/stats/resampling/comparisonSide.ts';

/** A side from `rows[module]` = [samples][layers]; sample i pairs on `keys[i]` (default `i`). */
export function makeSide(name: string, rows: Record<string, number[][]>, keys?: number[]): ComparisonSide {
  const modules = Object.keys(rows);
  const n = rows[modules[0]].length;
  const L = rows[modules[0]][0]?.length ?? 0;
  return {
    name,
    sampleCount: n,
    layerCount: L,
    values: new Map(modules.map((m) => [m, Float64Array.from(rows[m].flat())])),
    keys: keys ?? Array.from({ length: n }, (_, i) => i),
  };
}

/** Whether a row holds no NaN (the curves' rule). */
export const keeps = (row: readonly number[]) => row.every((x) => !Number.isNaN(x));

/** The mean curve of the rows with no NaN: per layer, their sum in order divided by their count (NaN when none). */
export function meanCurve(rows: readonly (readonly number[])[], L: number): number[] {
  const kept = rows.filter(keeps);
  return Array.from({ length: L }, (_, l) => {
    let s = 0;
    for (const r of kept) s += r[l];
    return s / kept.length;
  });
}

/** mean |c[i+1] − c[i]| over c[start, end), summed left to right; NaN below two layers. */
export function plainMad(c: readonly number[], start: number, end: number): number {
  if (end - start < 2) return NaN;
  let s = 0;
  for (let i = start; i < end - 1; i++) s += Math.abs(c[i + 1] - c[i]);
  return s / (end - start - 1);
}

/** MAD of B minus MAD of A for all, early, middle, late. */
export function madDifferences(a: readonly number[], b: readonly number[], splits: readonly [number, number]): number[] {
  const L = a.length;
  const parts: [number, number][] = [[0, L], [0, splits[0]], [splits[0], splits[1]], [splits[1], L]];
  return parts.map(([s, e]) => plainMad(b, s, e) - plainMad(a, s, e));
}

/** mean_i |a − b| / |a| with a = 0 taken as 1e-10, summed left to right. */
export function plainRelativeDifference(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const ai = a[i] === 0 ? 1e-10 : a[i];
    s += Math.abs(ai - b[i]) / Math.abs(ai);
  }
  return s / a.length;
}

/** numpy's linear percentile of unsorted values (NaN dropped): x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]), h = (n − 1)p. */
export function plainQuantile(values: readonly number[], p: number): number {
  const x = values.filter((v) => !Number.isNaN(v)).sort((u, v) => u - v);
  if (x.length === 0) return NaN;
  const h = (x.length - 1) * p;
  const lo = Math.floor(h);
  return lo + 1 < x.length ? x[lo] + (h - lo) * (x[lo + 1] - x[lo]) : x[lo];
}

/** Every statistic of one arrangement, in the library's order per module: L layer differences, 4 MAD differences, relative difference. */
export function plainStatistics(
  A: readonly (readonly number[])[],
  B: readonly (readonly number[])[],
  paired: boolean,
  L: number,
  splits: readonly [number, number],
): number[] {
  const ca = meanCurve(A, L);
  const cb = meanCurve(B, L);
  let layers: number[];
  if (paired) {
    const both = A.map((_, k) => k).filter((k) => keeps(A[k]) && keeps(B[k]));
    layers = Array.from({ length: L }, (_, l) => {
      let s = 0;
      for (const k of both) s += B[k][l] - A[k][l];
      return s / both.length;
    });
  } else {
    layers = cb.map((x, l) => x - ca[l]);
  }
  return [...layers, ...madDifferences(ca, cb, splits), plainRelativeDifference(ca, cb)];
}
