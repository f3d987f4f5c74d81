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
  /** Make two tokens identical so X Xᵀ is singular and the QR fallback runs. */
  repeatedToken?: boolean;
}

const SHAPES: Shape[] = [
  { d: 128, tokens: 64 },
  { d: 256, tokens: 128 },
  { d: 512, tokens: 128 },
  { d: 256, tokens: 128, repeatedToken: true },
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
function makeCase({ d, tokens, repeatedToken }: Shape) {
  const x = normals(tokens * d, 1 + d + tokens); // [T, d]
  for (let t = 0; t < tokens; t++) {
    let ms = 0;
    for (let i = 0; i < d; i++) ms += x[t * d + i] ** 2;
    const scale = 1 / Math.sqrt(ms / d);
    for (let i = 0; i < d; i++) x[t * d + i] *= scale;
  }
  if (repeatedToken) x.copyWithin(3 * d, 0, d);
  const delta = normals(tokens * d, 7 + d + tokens).map((v) => v * 1e-3); // [T, d]
  const g = new Float64Array(d * d); // [d, d] = Δᵀ X
  for (let t = 0; t < tokens; t++) {
    for (let o = 0; o < d; o++) {
      const dv = delta[t * d + o];
      for (let i = 0; i < d; i++) g[o * d + i] += dv * x[t * d + i];
    }
  }
  return { g, delta, x };
}

/** Median wall time in ms of `fn` over `runs` runs after one warm-up. */
function time<T>(fn: () => T, runs: number): { ms: number; result: T } {
  let result = fn();
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    result = fn();
    times.push(performance.now() - t0);
  }
  times.sort((p, q) => p - q);
  return { ms: times[Math.floor(times.length / 2)], result };
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
    const withFactors = time(() => matrixStats(g, d, d, { delta, x, tokens }), runs);
    const dense = time(() => matrixStats(g, d, d), runs);
    const reference = time(() => {
      const svd = new SingularValueDecomposition([...Array(d).keys()].map((r) => Array.from(g.subarray(r * d, (r + 1) * d))), {
        computeLeftSingularVectors: false,
        computeRightSingularVectors: false,
      });
      return svd.diagonal;
    }, Math.min(runs, 3));
    const sigma = reference.result;
    const sSum = sigma.reduce((p, q) => p + q, 0);
    const sMax = Math.max(...sigma);
    const label = `d=${d}, T=${tokens}${shape.repeatedToken ? ' (rep.)' : ''}`.padEnd(21);
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
