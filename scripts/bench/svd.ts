/**
 * Benchmark: exact singular values of per-sample gradients (src/core/linalg) against
 * ml-matrix's full SVD, on the same synthetic gradient matrices G = Δᵀ X.
 * Called by the `npm run bench` orchestrator; also runs alone:
 *   npx tsx scripts/bench/svd.ts
 */
import { SingularValueDecomposition } from 'ml-matrix';
import { pathToFileURL } from 'node:url';
import { matrixStats } from '../../src/core/linalg/matrixStats';

interface Shape {
  d: number;
  tokens: number;
  /**
   * Make one input and one upstream row linear combinations of others, so both X Xᵀ
   * and Δ Δᵀ are singular and the QR + Jacobi fallback runs (identical rows would just
   * be merged).
   */
  dependent?: boolean;
}

const SHAPES: Shape[] = [
  { d: 128, tokens: 64 },
  { d: 256, tokens: 128 },
  { d: 512, tokens: 128 },
  { d: 256, tokens: 128, dependent: true },
];

/** Seeded standard normals (mulberry32 + Box–Muller), so every run times the same matrices. */
function normals(count: number, seed: number): Float32Array {
  let a = seed >>> 0;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 1) / 4294967297;
  };
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  return out;
}

/** Gradient-like factors: X rows RMS-normalised (as after RMSNorm), Δ small. */
function makeCase({ d, tokens, dependent }: Shape) {
  const x = normals(tokens * d, 1 + d + tokens); // [T, d]
  for (let t = 0; t < tokens; t++) {
    let ms = 0;
    for (let i = 0; i < d; i++) ms += x[t * d + i] ** 2;
    const scale = 1 / Math.sqrt(ms / d);
    for (let i = 0; i < d; i++) x[t * d + i] *= scale;
  }
  const delta = normals(tokens * d, 7 + d + tokens).map((v) => v * 1e-3); // [T, d]
  if (dependent) {
    for (let i = 0; i < d; i++) {
      x[3 * d + i] = x[i] + 0.5 * x[d + i];
      delta[5 * d + i] = delta[2 * d + i] - delta[4 * d + i];
    }
  }
  const g = new Float64Array(d * d); // [d, d] = Δᵀ X
  for (let t = 0; t < tokens; t++) {
    for (let o = 0; o < d; o++) {
      const dv = delta[t * d + o];
      for (let i = 0; i < d; i++) g[o * d + i] += dv * x[t * d + i];
    }
  }
  return { g, delta, x };
}

const median = (xs: number[]): number => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)];

/**
 * Median wall time in ms of each function, timed round-robin after one warm-up each,
 * so a machine shared with other jobs slows all of them alike.
 */
function timeInterleaved<T>(fns: (() => T)[], runs: number): { ms: number[]; results: T[] } {
  const results = fns.map((f) => f());
  const times = fns.map((): number[] => []);
  for (let r = 0; r < runs; r++) {
    fns.forEach((f, k) => {
      const t0 = performance.now();
      results[k] = f();
      times[k].push(performance.now() - t0);
    });
  }
  return { ms: times.map(median), results };
}

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

/** Times matrixStats (with and without factors) against ml-matrix's SVD and prints ms, speed-up and errors. */
export async function benchSvd(): Promise<void> {
  console.log('\n## singular values of per-sample gradients (median ms; goal ≥10× at d=256, T=128)');
  console.log('shape                 | factors ms | dense ms | ml-matrix ms | speed-up f / d | rel.err S_sum f / d | rel.err S_max f / d');
  for (const shape of SHAPES) {
    const { g, delta, x } = makeCase(shape);
    const { d, tokens } = shape;
    const runs = d >= 512 ? 3 : 7;
    const rows = [...Array(d).keys()].map((r) => Array.from(g.subarray(r * d, (r + 1) * d)));
    const svdOptions = { computeLeftSingularVectors: false, computeRightSingularVectors: false };
    const { ms, results } = timeInterleaved<{ S_sum: number; S_max: number }>(
      [
        () => matrixStats(g, d, d, { delta, x, tokens }),
        () => matrixStats(g, d, d),
        () => {
          const sigma = new SingularValueDecomposition(rows, svdOptions).diagonal;
          return { S_sum: sigma.reduce((p, q) => p + q, 0), S_max: Math.max(...sigma) };
        },
      ],
      runs,
    );
    const [withFactors, dense, reference] = results.map((result, k) => ({ ms: ms[k], result }));
    const sSum = reference.result.S_sum;
    const sMax = reference.result.S_max;
    const label = `d=${d}, T=${tokens}${shape.dependent ? ' (QR)' : ''}`.padEnd(21);
    console.log(
      `${label} | ${withFactors.ms.toFixed(1).padStart(10)} | ${dense.ms.toFixed(1).padStart(8)} | ${reference.ms.toFixed(1).padStart(12)} | ` +
        `${(reference.ms / withFactors.ms).toFixed(1).padStart(6)}× / ${(reference.ms / dense.ms).toFixed(1)}× | ` +
        `${rel(withFactors.result.S_sum, sSum).toExponential(1)} / ${rel(dense.result.S_sum, sSum).toExponential(1)} | ` +
        `${rel(withFactors.result.S_max, sMax).toExponential(1)} / ${rel(dense.result.S_max, sMax).toExponential(1)}`,
    );
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchSvd();
}
