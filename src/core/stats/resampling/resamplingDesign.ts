/**
 * How a comparison resamples: the samples (or pairs) as rows of one matrix, and how the
 * weighted row sums of a bootstrap resample or a permutation become curve sums
 * (curveSums.ts). Rows a curve drops (a NaN anywhere in that module's row) hold zeros
 * and a kept flag of 0, so every resample applies the curves' NaN-row rule by itself.
 *
 * Paired (a pair = sample a[k] of A and b[k] of B): each row is a pair; per module the
 * columns are A's row and kept flag, the difference B − A and a both-kept flag (zeros
 * unless both rows are kept), and — only for a module where some pair keeps one side and
 * drops the other ("mixed") — B's row and kept flag; otherwise B's sums are A's plus the
 * differences. A permutation swaps A and B within the pairs it flips; its rows are
 * B − A (values and kept flags) and, for mixed modules, the both-kept difference.
 *
 * Unpaired: the rows are A's samples then B's, per module the row and its kept flag. A
 * bootstrap resample draws A's and B's samples separately; a permutation deals the pooled
 * samples out again, as many to A as A has.
 */
import type { Random } from '../../data/mulberry32.ts';
import { BLOCK, createRowSums, type RowSums } from './rowSums.ts';
import { sumsWidth, type SumsLayout } from './curveSums.ts';
import { arrangementCount, drawCounts, drawFlips, drawSubset, maskFlips, nextSubset, subsetWeights } from './draws.ts';

/** One run's values of the compared statistic: per module a sample-major [samples × layers] matrix, and which rows its curve keeps. */
export interface SideValues {
  sampleCount: number;
  /** Per module (in the comparison's order). */
  values: readonly ArrayLike<number>[];
  /** Per module, 1 where the sample's row holds no NaN (computeCurve's rule). */
  kept: readonly Uint8Array[];
}

/** Called once per resample or permutation with its curve sums (valid until the next call) and its index. */
export type VisitSums = (sums: Float64Array, index: number) => void;

/** A comparison ready to resample. */
export interface ResamplingDesign {
  readonly layout: SumsLayout;
  /** Pairs (paired) or samples of A then of B (unpaired): what the draws are over. */
  readonly units: number;
  /** Curve sums of the data as observed (every unit once, unpermuted). */
  observed(): Float64Array;
  /** `count` bootstrap resamples: paired, `units` draws of pair indices each; unpaired, nA draws from A then nB from B. */
  bootstrap(random: Random, count: number, visit: VisitSums): void;
  /** `count` random permutations (sign flips of pairs, or a new dealing of the pooled samples). */
  permute(random: Random, count: number, visit: VisitSums): void;
  /** Every arrangement once, the unpermuted one first (2^pairs, or C(nA + nB, nA)). */
  enumerate(visit: VisitSums): void;
  /** Done: hands its kernel memory back (the design must not be used after). */
  release(): void;
}

/** Runs `total` weighted sums four at a time: `fill(q, i)` writes weight vector q for arrangement i, `emit(q, i)` reads its sums. */
function inBlocks(rows: RowSums, total: number, fill: (q: number, i: number) => void, sum: () => void, emit: (q: number, i: number) => void): void {
  for (let start = 0; start < total; start += BLOCK) {
    const n = Math.min(BLOCK, total - start);
    for (let q = 0; q < BLOCK; q++) {
      if (q < n) fill(q, start + q);
      else rows.weights.fill(0, q * rows.rows, (q + 1) * rows.rows);
    }
    sum();
    for (let q = 0; q < n; q++) emit(q, start + q);
  }
}

/**
 * The paired design of `pairs` (A's sample a[k] with B's b[k]) over the layout's modules.
 * `useKernel: false` takes the JavaScript row sums (tests).
 */
export function pairedDesign(layout: SumsLayout, A: SideValues, B: SideValues, pairA: Int32Array, pairB: Int32Array, useKernel = true): ResamplingDesign {
  const { modules: M, layers: L } = layout;
  const P = pairA.length;
  const mixed = Array.from({ length: M }, (_, m) => pairA.some((ia, k) => A.kept[m][ia] !== B.kept[m][pairB[k]]));
  // Bootstrap columns: per module [A0, okA][D0, okAB] then, if mixed, [B0, okB].
  const bootAt: number[] = [];
  let bootWidth = 0;
  for (let m = 0; m < M; m++) {
    bootAt.push(bootWidth);
    bootWidth += (mixed[m] ? 3 : 2) * (L + 1);
  }
  // Permutation columns: per module [B0 − A0, okB − okA] then, if mixed, [D0].
  const flipAt: number[] = [];
  let flipWidth = 0;
  for (let m = 0; m < M; m++) {
    flipAt.push(flipWidth);
    flipWidth += (L + 1) + (mixed[m] ? L : 0);
  }
  const boot = new Float64Array(P * bootWidth);
  const flip = new Float64Array(P * flipWidth);
  for (let k = 0; k < P; k++) {
    const ia = pairA[k];
    const ib = pairB[k];
    for (let m = 0; m < M; m++) {
      const okA = A.kept[m][ia];
      const okB = B.kept[m][ib];
      const both = okA & okB;
      const xa = A.values[m];
      const xb = B.values[m];
      const r = k * bootWidth + bootAt[m];
      const f = k * flipWidth + flipAt[m];
      for (let l = 0; l < L; l++) {
        const va = okA ? xa[ia * L + l] : 0;
        const vb = okB ? xb[ib * L + l] : 0;
        const d = both ? xb[ib * L + l] - xa[ia * L + l] : 0;
        boot[r + l] = va;
        boot[r + L + 1 + l] = d;
        flip[f + l] = vb - va;
        if (mixed[m]) {
          boot[r + 2 * (L + 1) + l] = vb;
          flip[f + L + 1 + l] = d;
        }
      }
      boot[r + L] = okA;
      boot[r + 2 * L + 1] = both;
      if (mixed[m]) boot[r + 3 * L + 2] = okB;
      flip[f + L] = okB - okA;
    }
  }
  const bootRows = createRowSums(boot, P, bootWidth, useKernel);
  const flipRows = createRowSums(flip, P, flipWidth, useKernel);
  const width = sumsWidth(layout);
  const sums = new Float64Array(M * width);

  /** Curve sums from bootstrap row sums at `o`: SB = SA + SD where no pair is mixed. */
  function fromBoot(out: Float64Array, o: number, into: Float64Array): void {
    for (let m = 0; m < M; m++) {
      const c = o + bootAt[m];
      const s = m * width;
      for (let l = 0; l <= L; l++) {
        const sa = out[c + l];
        const sd = out[c + L + 1 + l];
        into[s + l] = sa;
        into[s + 2 * L + 2 + l] = sd;
        into[s + L + 1 + l] = mixed[m] ? out[c + 2 * (L + 1) + l] : l < L ? sa + sd : sa;
      }
    }
  }

  const base = new Float64Array(M * width);
  bootRows.weights.fill(0);
  bootRows.weights.fill(1, 0, P);
  bootRows.sum(0, P);
  fromBoot(bootRows.out, 0, base);

  /** Curve sums after swapping the flipped pairs, from their summed flip rows at `o`. */
  function fromFlips(out: Float64Array, o: number): void {
    for (let m = 0; m < M; m++) {
      const c = o + flipAt[m];
      const s = m * width;
      for (let l = 0; l <= L; l++) {
        const f = out[c + l];
        sums[s + l] = base[s + l] + f;
        sums[s + L + 1 + l] = base[s + L + 1 + l] - f;
      }
      for (let l = 0; l < L; l++) sums[s + 2 * L + 2 + l] = base[s + 2 * L + 2 + l] - 2 * (mixed[m] ? out[c + L + 1 + l] : out[c + l]);
      sums[s + 3 * L + 2] = base[s + 3 * L + 2];
    }
  }

  const emitFlips = (visit: VisitSums) => (q: number, i: number) => {
    fromFlips(flipRows.out, q * flipRows.width);
    visit(sums, i);
  };

  return {
    layout,
    units: P,
    observed: () => base.slice(),
    bootstrap(random, count, visit) {
      inBlocks(
        bootRows,
        count,
        (q) => drawCounts(random, P, bootRows.weights, q * P),
        () => bootRows.sum(0, P),
        (q, i) => {
          fromBoot(bootRows.out, q * bootRows.width, sums);
          visit(sums, i);
        },
      );
    },
    permute(random, count, visit) {
      inBlocks(flipRows, count, (q) => drawFlips(random, P, flipRows.weights, q * P), () => flipRows.sum(0, P), emitFlips(visit));
    },
    enumerate(visit) {
      inBlocks(flipRows, 2 ** P, (q, i) => maskFlips(i, P, flipRows.weights, q * P), () => flipRows.sum(0, P), emitFlips(visit));
    },
    release() {
      bootRows.release();
      flipRows.release();
    },
  };
}

/** The unpaired design: A's samples and B's resampled independently, or dealt out again from the pool. */
export function unpairedDesign(layout: SumsLayout, A: SideValues, B: SideValues, useKernel = true): ResamplingDesign {
  const { modules: M, layers: L } = layout;
  const nA = A.sampleCount;
  const nB = B.sampleCount;
  const N = nA + nB;
  const columns = M * (L + 1);
  const pooled = new Float64Array(N * columns);
  for (const [side, first] of [[A, 0], [B, nA]] as const) {
    for (let i = 0; i < side.sampleCount; i++) {
      for (let m = 0; m < M; m++) {
        const ok = side.kept[m][i];
        const x = side.values[m];
        const r = (first + i) * columns + m * (L + 1);
        for (let l = 0; l < L; l++) pooled[r + l] = ok ? x[i * L + l] : 0;
        pooled[r + L] = ok;
      }
    }
  }
  const rows = createRowSums(pooled, N, columns, useKernel);
  const width = sumsWidth(layout);
  const perResample = Array.from({ length: BLOCK }, () => new Float64Array(M * width));

  /** Writes row sums at `o` as A's (into SA, nA) or B's (SB, nB) part of `into`. */
  function place(out: Float64Array, o: number, into: Float64Array, part: 0 | 1): void {
    for (let m = 0; m < M; m++) {
      for (let l = 0; l <= L; l++) into[m * width + part * (L + 1) + l] = out[o + m * (L + 1) + l];
    }
  }

  const base = new Float64Array(M * width);
  rows.weights.fill(0);
  rows.weights.fill(1, 0, N);
  rows.sum(0, nA);
  place(rows.out, 0, base, 0);
  rows.sum(nA, nB);
  place(rows.out, 0, base, 1);
  const total = new Float64Array(columns);
  for (let m = 0; m < M; m++) {
    for (let l = 0; l <= L; l++) total[m * (L + 1) + l] = base[m * width + l] + base[m * width + L + 1 + l];
  }

  const sums = new Float64Array(M * width);
  /** Curve sums when the weighted rows of `o` go to A and the rest of the pool to B. */
  const emitDealt = (visit: VisitSums) => (q: number, i: number) => {
    const o = q * rows.width;
    for (let m = 0; m < M; m++) {
      for (let l = 0; l <= L; l++) {
        const a = rows.out[o + m * (L + 1) + l];
        sums[m * width + l] = a;
        sums[m * width + L + 1 + l] = total[m * (L + 1) + l] - a;
      }
    }
    visit(sums, i);
  };
  const order = Int32Array.from({ length: N }, (_, i) => i);

  return {
    layout,
    units: N,
    observed: () => base.slice(),
    bootstrap(random, count, visit) {
      inBlocks(
        rows,
        count,
        (q) => {
          drawCounts(random, nA, rows.weights, q * N);
          drawCounts(random, nB, rows.weights, q * N + nA);
        },
        () => {
          rows.sum(0, nA);
          for (let q = 0; q < BLOCK; q++) place(rows.out, q * rows.width, perResample[q], 0);
          rows.sum(nA, nB);
          for (let q = 0; q < BLOCK; q++) place(rows.out, q * rows.width, perResample[q], 1);
        },
        (q, i) => visit(perResample[q], i),
      );
    },
    permute(random, count, visit) {
      inBlocks(rows, count, (q) => drawSubset(random, order, nA, rows.weights, q * N), () => rows.sum(0, N), emitDealt(visit));
    },
    enumerate(visit) {
      // Lexicographic k-subsets from [0, …, nA − 1] (A as observed) on; fill is called in order.
      const chosen = Int32Array.from({ length: nA }, (_, i) => i);
      const fill = (q: number, i: number) => {
        if (i > 0) nextSubset(chosen, N);
        subsetWeights(chosen, N, rows.weights, q * N);
      };
      inBlocks(rows, arrangementCount(false, nA, nB), fill, () => rows.sum(0, N), emitDealt(visit));
    },
    release() {
      rows.release();
    },
  };
}
