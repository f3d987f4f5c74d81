/**
 * How sure is a difference between two runs' curves? Per layer and module the mean
 * difference B − A with a percentile bootstrap interval, an effect size and a
 * permutation p-value (Benjamini–Hochberg q-values across the comparison), and per
 * module the same interval and test for the MAD of each part and for the relative
 * difference, each resample recomputing both runs' curves with the curves' own rules.
 * Samples pair by instruction text; runs that do not pair are resampled independently.
 */
import { mulberry32 } from '../../data/mulberry32.ts';
import type { ModuleKey } from '../../format/run.ts';
import { curveFromValues, type Curve } from '../computeCurve.ts';
import { computeMad, defaultSplits, validateSplits } from '../mad.ts';
import { relativeDifference } from '../relativeDifference.ts';
import { keptRows } from '../rowPasses.ts';
import type { ComparisonSide } from './comparisonSide.ts';
import { CurveStatistics, MAD_PARTS, statisticsWidth, type MadPart, type SumsLayout } from './curveSums.ts';
import { arrangementCount, EXACT_LIMIT } from './draws.ts';
import { pairSamples, usePairs } from './pairSamples.ts';
import { percentileInterval } from './percentileInterval.ts';
import { benjaminiHochberg } from './qValues.ts';
import { pairedDesign, unpairedDesign, type ResamplingDesign, type SideValues } from './resamplingDesign.ts';

/** Options of {@link compareResampled}. */
export interface ResamplingOptions {
  /** Bootstrap resamples, and permutations when the test is not exact (default 10,000). */
  resamples?: number;
  /** Seed of the generators (default 1): the same seed gives the same numbers. */
  seed?: number;
  /** Interval level, 0 < ci < 1 (default 0.95). */
  ci?: number;
  /** MAD split points (default: the study's for its layer counts, see defaultSplits). */
  splits?: readonly number[];
  /** 'auto' (default) resamples pairs when the runs pair; 'unpaired' never does. */
  pairing?: 'auto' | 'unpaired';
  /** Modules to compare (default: every module both sides have, in A's order). */
  modules?: readonly ModuleKey[];
  /** Tests only: take the JavaScript row sums instead of the WebAssembly kernel. */
  useKernel?: boolean;
}

/** A statistic with its interval and p-value. */
export interface IntervalTest {
  value: number;
  lo: number;
  hi: number;
  p: number;
}

/** One layer's difference B − A: mean, interval, effect size, p and q. */
export interface LayerDifference {
  diff: number;
  lo: number;
  hi: number;
  /** Paired: diff / SD of the pair differences (n − 1); unpaired: diff / pooled SD. */
  d: number;
  p: number;
  q: number;
}

/** One module's results. */
export interface ModuleResampling {
  module: ModuleKey;
  /** Samples (unpaired) or pairs (paired) whose row A's curve keeps, and B's. */
  keptA: number;
  keptB: number;
  /** Paired: pairs both runs keep for this module, over which the layer differences are taken; unpaired: 0. */
  keptPairs: number;
  layers: LayerDifference[];
  /** MAD(B) − MAD(A) per part. */
  mad: Record<MadPart, IntervalTest>;
  /** Relative difference of B against the reference A (its value is the tables'). */
  relativeDifference: IntervalTest;
}

/** Everything {@link compareResampled} found. */
export interface ResampledComparison {
  /** True when pairs were resampled (sign-flip test), false for independent resampling (label permutation). */
  paired: boolean;
  /** Samples paired by instruction text (reported even when too few to resample by pairs). */
  pairs: number;
  unpairedA: number;
  unpairedB: number;
  sampleCountA: number;
  sampleCountB: number;
  layerCount: number;
  splits: [number, number];
  resamples: number;
  seed: number;
  ci: number;
  test: 'sign-flip' | 'label-permutation';
  /** True when the p-values enumerate every arrangement (at most 65,536), false for Monte Carlo. */
  exact: boolean;
  /** How many arrangements the p-values are over: all of them when exact, else `resamples`. */
  permutations: number;
  modules: ModuleResampling[];
}

/** Mixed into the seed for the permutation generator, so its draws do not repeat the bootstrap's. */
const PERMUTATION_SEED = 0x5bd1e995;

/** Ties within this share of a module's curve scale count as at least as extreme (rounding of sums taken in another order). */
const TIE_TOLERANCE = 1e-9;

/** Rows of a sample-major matrix, gathered (NaN-free output not implied). */
function gatherRows(values: ArrayLike<number>, rows: ArrayLike<number>, L: number): Float64Array {
  const out = new Float64Array(rows.length * L);
  for (let j = 0; j < rows.length; j++) for (let l = 0; l < L; l++) out[j * L + l] = values[rows[j] * L + l];
  return out;
}

/** 1 where the curve keeps the row (computeCurve's NaN-row rule). */
function keptMask(values: ArrayLike<number>, samples: number, L: number): Uint8Array {
  const mask = new Uint8Array(samples);
  for (const s of keptRows(values, samples, L)) mask[s] = 1;
  return mask;
}

/** Point estimates of one module, with the curves' own code (curveFromValues, computeMad, relativeDifference). */
interface Estimates {
  curveA: Curve;
  curveB: Curve;
  diff: Float64Array;
  d: Float64Array;
  keptPairs: number;
}

function checkOptions(options: ResamplingOptions): { resamples: number; seed: number; ci: number } {
  const resamples = options.resamples ?? 10_000;
  const seed = options.seed ?? 1;
  const ci = options.ci ?? 0.95;
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`resamples must be a positive integer, got ${resamples}`);
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  if (!(ci > 0 && ci < 1)) throw new RangeError(`ci must be between 0 and 1, got ${ci}`);
  return { resamples, seed, ci };
}

/**
 * Compares run B with the reference run A, statistic by statistic (see the file header
 * and README "How sure is a difference?").
 *
 * Pairing: samples pair by instruction text (pairSamples); with at least half of the
 * smaller run paired (usePairs), the pairs are resampled and the unpaired samples left
 * out; otherwise every sample is, each run independently.
 * Layers (paired): a pair enters a module's layer differences only when both runs keep
 * its row (the NaN-row rule), so diff = curve of B − curve of A over those pairs.
 * MAD and relative difference: each side's curve over the resampled samples, each run
 * dropping its own NaN rows as its curve does. Interval: the percentile bootstrap
 * (quantiles (1 ∓ ci)/2 of the resampled statistics, NaN resamples left out).
 * p: two-sided, |T*| ≥ |T|, by sign flips of pairs (paired) or re-dealing the pooled
 * samples (unpaired); exact over all arrangements when they number ≤ 65,536
 * (p = count / arrangements), else p = (1 + count) / (1 + resamples). A NaN T gives a
 * NaN p; a NaN T* counts as extreme. q: Benjamini–Hochberg over every layer × module.
 * Draws: bootstrap from mulberry32(seed), permutations from mulberry32(seed ^ 0x5bd1e995).
 *
 * Throws RangeError for bad options, different layer counts, or no module in common.
 * Empty runs or modules with no kept sample give NaN statistics; a single pair gives a
 * zero-width interval, NaN d and p = 1.
 */
export function compareResampled(a: ComparisonSide, b: ComparisonSide, options: ResamplingOptions = {}): ResampledComparison {
  const { resamples, seed, ci } = checkOptions(options);
  const L = a.layerCount;
  if (b.layerCount !== L) throw new RangeError(`${a.name} has ${L} layers and ${b.name} has ${b.layerCount}: curves cannot be compared`);
  const modules = (options.modules ?? [...a.values.keys()]).filter((m) => a.values.has(m) && b.values.has(m));
  if (modules.length === 0) throw new RangeError(`${a.name} and ${b.name} have no module in common`);
  const splits = options.splits ? validateSplits(options.splits, L) : defaultSplits(L);
  const pairing = pairSamples(a.keys, b.keys);
  const paired = options.pairing !== 'unpaired' && usePairs(pairing, a.sampleCount, b.sampleCount);

  const side = (s: ComparisonSide): SideValues => {
    const values = modules.map((m) => s.values.get(m) as Float64Array);
    return { sampleCount: s.sampleCount, values, kept: values.map((v) => keptMask(v, s.sampleCount, L)) };
  };
  const A = side(a);
  const B = side(b);
  const layout: SumsLayout = { modules: modules.length, layers: L, paired, splits };
  const estimates = modules.map((_, m) => estimate(A, B, m, L, paired ? pairing : null));
  const design = paired ? pairedDesign(layout, A, B, pairing.a, pairing.b, options.useKernel) : unpairedDesign(layout, A, B, options.useKernel);
  let found: Resampled;
  try {
    const arrangements = arrangementCount(paired, paired ? design.units : a.sampleCount, paired ? 0 : b.sampleCount);
    found = resample(design, estimates, resamples, seed, arrangements);
  } finally {
    design.release();
  }
  const { observed, boot, extreme, arrangements } = found;
  const S = statisticsWidth(layout);
  const exact = arrangements <= EXACT_LIMIT;
  const pValue = (s: number) => (Number.isNaN(observed[s]) ? NaN : exact ? extreme[s] / arrangements : (1 + extreme[s]) / (1 + resamples));

  const interval = (s: number): [number, number] => percentileInterval(boot, ci, s * resamples, (s + 1) * resamples);
  const layerP = new Float64Array(modules.length * L);
  for (let m = 0; m < modules.length; m++) for (let l = 0; l < L; l++) layerP[m * L + l] = pValue(m * S + l);
  const q = benjaminiHochberg(layerP);

  const results = modules.map((module, m): ModuleResampling => {
    const e = estimates[m];
    const o = m * S;
    const layers = Array.from({ length: L }, (_, l): LayerDifference => {
      const [lo, hi] = interval(o + l);
      return { diff: e.diff[l], lo, hi, d: e.d[l], p: layerP[m * L + l], q: q[m * L + l] };
    });
    const madA = computeMad(e.curveA.mean, options.splits);
    const madB = computeMad(e.curveB.mean, options.splits);
    const mad = Object.fromEntries(
      MAD_PARTS.map((part, i) => {
        const [lo, hi] = interval(o + L + i);
        return [part, { value: madB[part] - madA[part], lo, hi, p: pValue(o + L + i) }];
      }),
    ) as Record<MadPart, IntervalTest>;
    const [lo, hi] = interval(o + L + 4);
    return {
      module,
      keptA: e.curveA.kept,
      keptB: e.curveB.kept,
      keptPairs: e.keptPairs,
      layers,
      mad,
      relativeDifference: { value: relativeDifference(e.curveA.mean, e.curveB.mean).value, lo, hi, p: pValue(o + L + 4) },
    };
  });

  return {
    paired,
    pairs: pairing.a.length,
    unpairedA: pairing.unpairedA,
    unpairedB: pairing.unpairedB,
    sampleCountA: a.sampleCount,
    sampleCountB: b.sampleCount,
    layerCount: L,
    splits: [splits[0], splits[1]],
    resamples,
    seed,
    ci,
    test: paired ? 'sign-flip' : 'label-permutation',
    exact,
    permutations: exact ? arrangements : resamples,
    modules: results,
  };
}

/** What resampling a design gave: the observed statistics, the bootstrap's (statistic-major) and the permutation counts. */
interface Resampled {
  observed: Float64Array;
  boot: Float64Array;
  /** Per statistic, how many arrangements were at least as extreme as observed. */
  extreme: Float64Array;
  arrangements: number;
}

/** Runs the bootstrap and the permutation test (exact when the arrangements allow) of a design. */
function resample(design: ResamplingDesign, estimates: readonly Estimates[], resamples: number, seed: number, arrangements: number): Resampled {
  const { layout } = design;
  const L = layout.layers;
  const S = statisticsWidth(layout);
  const total = layout.modules * S;
  // Statistics of the data as observed, by the same arithmetic as the resamples.
  const evaluator = new CurveStatistics(layout);
  const observed = new Float64Array(total);
  evaluator.evaluate(design.observed(), observed);

  // Bootstrap: statistic-major, so each statistic's resamples are contiguous for its interval.
  const boot = new Float64Array(total * resamples);
  const stats = new Float64Array(total);
  design.bootstrap(mulberry32(seed), resamples, (sums, r) => {
    evaluator.evaluate(sums, stats);
    for (let s = 0; s < total; s++) boot[s * resamples + r] = stats[s];
  });

  // Permutations: count |T*| ≥ |T| (a NaN T* counts: its comparison is not "less").
  const tolerance = new Float64Array(total);
  for (let m = 0; m < layout.modules; m++) {
    const { curveA, curveB } = estimates[m];
    let scale = 0;
    for (let l = 0; l < L; l++) scale += Math.abs(curveA.mean[l]) + Math.abs(curveB.mean[l]);
    scale = Number.isFinite(scale) && L > 0 ? scale / (2 * L) : 0;
    for (let s = 0; s < S; s++) tolerance[m * S + s] = TIE_TOLERANCE * (s === S - 1 ? 1 : scale);
  }
  const extreme = new Float64Array(total);
  const count = (sums: Float64Array) => {
    evaluator.evaluate(sums, stats);
    for (let s = 0; s < total; s++) if (!(Math.abs(stats[s]) < Math.abs(observed[s]) - tolerance[s])) extreme[s]++;
  };
  if (arrangements <= EXACT_LIMIT) design.enumerate(count);
  else design.permute(mulberry32(seed ^ PERMUTATION_SEED), resamples, count);
  return { observed, boot, extreme, arrangements };
}

/**
 * One module's point estimates with the curves' own code. Paired: each run's curve over
 * the paired samples (its own NaN rows dropped) for MAD and relative difference; the
 * layer differences over the pairs both keep, d = diff / SD of the pair differences
 * (n − 1; NaN below two pairs). Unpaired: each run's curve over all its samples, d =
 * diff / pooled SD ((nA − 1)sA² + (nB − 1)sB²) / (nA + nB − 2).
 */
function estimate(A: SideValues, B: SideValues, m: number, L: number, pairing: { a: Int32Array; b: Int32Array } | null): Estimates {
  const xa = A.values[m];
  const xb = B.values[m];
  if (pairing === null) {
    const curveA = curveFromValues(xa, A.sampleCount, L);
    const curveB = curveFromValues(xb, B.sampleCount, L);
    const diff = new Float64Array(L);
    const d = new Float64Array(L);
    const dof = curveA.kept + curveB.kept - 2;
    for (let l = 0; l < L; l++) {
      diff[l] = curveB.mean[l] - curveA.mean[l];
      const pooled = Math.sqrt((curveA.kept * curveA.std[l] ** 2 + curveB.kept * curveB.std[l] ** 2) / dof);
      d[l] = dof > 0 ? diff[l] / pooled : NaN;
    }
    return { curveA, curveB, diff, d, keptPairs: 0 };
  }
  const P = pairing.a.length;
  const curveA = curveFromValues(gatherRows(xa, pairing.a, L), P, L);
  const curveB = curveFromValues(gatherRows(xb, pairing.b, L), P, L);
  const both: number[] = [];
  for (let k = 0; k < P; k++) if (A.kept[m][pairing.a[k]] && B.kept[m][pairing.b[k]]) both.push(k);
  const rowsA = gatherRows(xa, both.map((k) => pairing.a[k]), L);
  const rowsB = gatherRows(xb, both.map((k) => pairing.b[k]), L);
  const differences = rowsB.map((x, i) => x - rowsA[i]);
  const n = both.length;
  const meanA = curveFromValues(rowsA, n, L).mean;
  const meanB = curveFromValues(rowsB, n, L).mean;
  const spread = curveFromValues(differences, n, L).std;
  const diff = new Float64Array(L);
  const d = new Float64Array(L);
  for (let l = 0; l < L; l++) {
    diff[l] = meanB[l] - meanA[l];
    d[l] = n > 1 ? diff[l] / (spread[l] * Math.sqrt(n / (n - 1))) : NaN;
  }
  return { curveA, curveB, diff, d, keptPairs: n };
}
