/**
 * Benjamini–Hochberg q-values: for many layer × module tests at once, the smallest
 * false-discovery rate at which each test would be called a discovery.
 */

/**
 * q-values of the p-values `p` (Benjamini & Hochberg 1995, step-up): with the m non-NaN
 * p-values sorted ascending as p(1) ≤ … ≤ p(m), q(i) = min over j ≥ i of min(1, p(j)·m/j),
 * returned in input order. NaN p-values are left out of m and get a NaN q. Empty → empty.
 * Example: [0.01, 0.04, 0.03, 0.2] → p·m/rank = 0.04, 0.0533, 0.06, 0.2 (ranks 1, 3, 2, 4),
 * each lowered to the minimum over larger ranks → [0.04, 0.0533, 0.0533, 0.2].
 */
export function benjaminiHochberg(p: ArrayLike<number>): Float64Array {
  const q = new Float64Array(p.length).fill(NaN);
  const order: number[] = [];
  for (let i = 0; i < p.length; i++) if (!Number.isNaN(p[i])) order.push(i);
  order.sort((i, j) => p[i] - p[j] || i - j);
  const m = order.length;
  let running = 1;
  for (let r = m - 1; r >= 0; r--) {
    // p / (rank / m): the largest rank keeps its p exactly, so q ≥ p holds in floating point too.
    running = Math.min(running, p[order[r]] / ((r + 1) / m));
    q[order[r]] = running;
  }
  return q;
}
