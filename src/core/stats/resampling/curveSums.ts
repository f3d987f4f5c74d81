/**
 * What one resample (or permutation) of a comparison boils down to: per module, the
 * per-layer sums and counts of the samples each run's curve keeps, and the statistics
 * computed from them with the curves' own definitions (mean = sum / kept, MAD by
 * meanAbsoluteDifference, relative difference by relativeDifferenceValue).
 *
 * Layout of the sums, per module m at offset m·3(L+1):
 *   [SA (L), nA, SB (L), nB, SD (L), nD]
 * SA / nA: sum and count of the rows run A's curve keeps (NaN-row rule per module);
 * SB / nB: the same for run B; SD / nD (paired only): sum of B − A over the pairs both
 * runs keep, and their count.
 *
 * Layout of the statistics, per module m at offset m·(L+5):
 *   [layer differences (L), MAD all, early, middle, late (B − A), relative difference]
 */
import { meanAbsoluteDifference } from '../mad.ts';
import { relativeDifferenceValue } from '../relativeDifference.ts';

/** The shape of a comparison's sums and statistics. */
export interface SumsLayout {
  modules: number;
  layers: number;
  /** Paired: a layer's difference is the mean over kept pairs (SD / nD); unpaired: mean B − mean A. */
  paired: boolean;
  /** MAD split points [a, b]: parts [0, a), [a, b), [b, L). */
  splits: readonly [number, number];
}

/** Sums per module: 3(L + 1). */
export function sumsWidth(layout: SumsLayout): number {
  return 3 * (layout.layers + 1);
}

/** Statistics per module: L layer differences, four MAD differences, one relative difference. */
export function statisticsWidth(layout: SumsLayout): number {
  return layout.layers + 5;
}

/** Offset of each MAD part's difference and of the relative difference within a module's statistics (after the L layers). */
export const MAD_PARTS = ['all', 'early', 'middle', 'late'] as const;
export type MadPart = (typeof MAD_PARTS)[number];

/**
 * Turns curve sums into statistics, with scratch curves of its own (no allocation per
 * call, for resampling loops). Curves follow computeCurve: mean = sum / kept, NaN for a
 * module with no kept row. MAD differences are MAD(B's curve) − MAD(A's curve) per part;
 * the relative difference is of B against the reference A.
 */
export class CurveStatistics {
  readonly #layout: SumsLayout;
  readonly #meanA: Float64Array;
  readonly #meanB: Float64Array;
  readonly #ratios: Float64Array;

  constructor(layout: SumsLayout) {
    this.#layout = layout;
    this.#meanA = new Float64Array(layout.layers);
    this.#meanB = new Float64Array(layout.layers);
    this.#ratios = new Float64Array(layout.layers);
  }

  /** Writes every module's statistics (layout above) from `sums` into `out`. */
  evaluate(sums: Float64Array, out: Float64Array): void {
    const { modules, layers: L, paired, splits } = this.#layout;
    const [a, b] = splits;
    const meanA = this.#meanA;
    const meanB = this.#meanB;
    const sw = 3 * (L + 1);
    const ow = L + 5;
    for (let m = 0; m < modules; m++) {
      const s = m * sw;
      const o = m * ow;
      const nA = sums[s + L];
      const nB = sums[s + 2 * L + 1];
      const nD = sums[s + 3 * L + 2];
      for (let l = 0; l < L; l++) {
        meanA[l] = sums[s + l] / nA;
        meanB[l] = sums[s + L + 1 + l] / nB;
        out[o + l] = paired ? sums[s + 2 * L + 2 + l] / nD : meanB[l] - meanA[l];
      }
      out[o + L] = meanAbsoluteDifference(meanB, 0, L) - meanAbsoluteDifference(meanA, 0, L);
      out[o + L + 1] = meanAbsoluteDifference(meanB, 0, a) - meanAbsoluteDifference(meanA, 0, a);
      out[o + L + 2] = meanAbsoluteDifference(meanB, a, b) - meanAbsoluteDifference(meanA, a, b);
      out[o + L + 3] = meanAbsoluteDifference(meanB, b, L) - meanAbsoluteDifference(meanA, b, L);
      out[o + L + 4] = relativeDifferenceValue(meanA, meanB, this.#ratios);
    }
  }
}
