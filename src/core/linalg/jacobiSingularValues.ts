/**
 * One-sided (Hestenes) Jacobi singular values: slow for large matrices but accurate
 * to a few ulps relative to each singular value, used on the small T×T core of the
 * low-rank route when Cholesky cannot be trusted.
 */

/** Sweeps after which Jacobi stops even if some pair is not yet orthogonal. */
const MAX_SWEEPS = 60;

/**
 * Singular values, descending, of the rows×cols row-major matrix `a`, by rotating
 * pairs of rows until all are mutually orthogonal; the row norms are then the
 * singular values. Returns min(rows, cols) values (rows beyond cols are
 * numerically 0 and dropped after sorting). `a` is not modified.
 * Example: [[3, 0], [4, 5]] → [√45, √5].
 */
export function jacobiSingularValues(a: Float64Array, rows: number, cols: number): Float64Array {
  const w = Float64Array.from(a.subarray(0, rows * cols));
  const norms = new Float64Array(rows);
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    // Exact norms once per sweep; within it the rotation formulas update them.
    for (let i = 0; i < rows; i++) norms[i] = sumSquares(w, i * cols, cols);
    let rotated = false;
    for (let p = 0; p < rows - 1; p++) {
      const rp = p * cols;
      for (let q = p + 1; q < rows; q++) {
        const rq = q * cols;
        const alpha = norms[p];
        const beta = norms[q];
        if (alpha === 0 || beta === 0) continue;
        let gamma = 0;
        for (let c = 0; c < cols; c++) gamma += w[rp + c] * w[rq + c];
        if (Math.abs(gamma) <= Number.EPSILON * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const cs = 1 / Math.sqrt(1 + t * t);
        const sn = cs * t;
        for (let c = 0; c < cols; c++) {
          const x = w[rp + c];
          const y = w[rq + c];
          w[rp + c] = cs * x - sn * y;
          w[rq + c] = sn * x + cs * y;
        }
        norms[p] = alpha - t * gamma;
        norms[q] = beta + t * gamma;
      }
    }
    if (!rotated) break;
  }
  const sigma = new Float64Array(rows);
  for (let i = 0; i < rows; i++) sigma[i] = Math.sqrt(sumSquares(w, i * cols, cols));
  sigma.sort().reverse();
  return sigma.slice(0, Math.min(rows, cols));
}

function sumSquares(w: Float64Array, start: number, len: number): number {
  let s = 0;
  for (let c = 0; c < len; c++) s += w[start + c] * w[start + c];
  return s;
}
