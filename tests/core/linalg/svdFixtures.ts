/** Typed access to tests/fixtures/linalg/svd_cases.json (made by scripts/fixtures/make_svd_fixtures.py). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MatrixStats } from '../../../src/core/linalg/matrixStats';

/** One golden case: numpy's singular values and statistics of `g` (and its factors, when gradient-shaped). */
export interface SvdCase {
  name: string;
  kind: 'dense' | 'lowrank' | 'illcond' | 'zero' | 'tiny' | 'repeated';
  rows: number;
  cols: number;
  g: number[];
  sigma: number[];
  rank: number;
  cond: number | null;
  stats: MatrixStats;
  tokens?: number;
  delta?: number[];
  x?: number[];
}

/** All golden cases. */
export function loadSvdCases(): SvdCase[] {
  const path = fileURLToPath(new URL('../../fixtures/linalg/svd_cases.json', import.meta.url));
  return (JSON.parse(readFileSync(path, 'utf8')) as { cases: SvdCase[] }).cases;
}

/** Largest |a[i] − b[i]|. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

/** |a − b| / |b|, or |a| when b is 0. */
export function relErr(a: number, b: number): number {
  return b === 0 ? Math.abs(a) : Math.abs(a - b) / Math.abs(b);
}
