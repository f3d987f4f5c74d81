/**
 * Which comparisons the views need: the overlay's strip and the drill-down compare every
 * visible run with the strip's reference run; the MAD and relative-difference tables
 * compare the pairs the core's pairRuns finds (correct vs irrelevant, CoT settings,
 * base vs instruct). Only runs of one depth compare layer by layer, and only runs that
 * both have the statistic.
 */
import type { Run, StatName } from '../../core/format/run.ts';
import { validateSplits } from '../../core/stats/mad.ts';
import { pairRuns } from '../../core/stats/pairRuns.ts';
import { pairingKeys } from '../../core/stats/resampling/comparisonSide.ts';
import { pairSamples, usePairs } from '../../core/stats/resampling/pairSamples.ts';
import { listStats } from '../../core/stats/statValues.ts';
import type { RunEntry } from '../state/types.ts';
import type { ComparisonRequest } from './comparisons.svelte.ts';

/** The custom split points when they fit `layerCount`, else null (the default rule), as the MAD table applies them. */
export function fittingSplits(splits: readonly [number, number] | null, layerCount: number): [number, number] | null {
  if (!splits) return null;
  try {
    validateSplits(splits, layerCount);
    return [splits[0], splits[1]];
  } catch {
    return null;
  }
}

function comparable(a: Run, b: Run, stat: StatName): boolean {
  return a.layerCount === b.layerCount && listStats(a).includes(stat) && listStats(b).includes(stat) && a.modules.some((m) => b.modules.includes(m));
}

/** The strip's reference: the run `refId`, else the first visible run. */
export function stripReference(entries: readonly RunEntry[], refId: string | null): RunEntry | undefined {
  return entries.find((e) => e.run.id === refId) ?? entries[0];
}

/** Every visible run against the strip's reference (runs of another depth or without the statistic left out). */
export function stripRequests(
  entries: readonly RunEntry[],
  refId: string | null,
  stat: StatName,
  splits: readonly [number, number] | null,
): ComparisonRequest[] {
  const ref = stripReference(entries, refId);
  if (!ref) return [];
  return entries
    .filter((e) => e !== ref && comparable(ref.run, e.run, stat))
    .map((e) => ({ a: ref.run, b: e.run, stat, splits: fittingSplits(splits, ref.run.layerCount) }));
}

/** The tables' pairs: each run against its reference (pairRuns), A = the reference. */
export function pairRequests(entries: readonly RunEntry[], stat: StatName, splits: readonly [number, number] | null): ComparisonRequest[] {
  return pairRuns(entries.map((e) => e.run))
    .filter((p) => comparable(p.reference, p.other, stat))
    .map((p) => ({ a: p.reference, b: p.other, stat, splits: fittingSplits(splits, p.reference.layerCount) }));
}

/** How two runs' samples pair by instruction, and whether a comparison resamples pairs (as compareResampled decides). */
export interface PairingSummary {
  pairs: number;
  unpairedA: number;
  unpairedB: number;
  paired: boolean;
}

/** The pairing of B's samples with the reference A's, without resampling anything. */
export function pairingOf(a: Run, b: Run): PairingSummary {
  const p = pairSamples(pairingKeys(a), pairingKeys(b));
  return { pairs: p.a.length, unpairedA: p.unpairedA, unpairedB: p.unpairedB, paired: usePairs(p, a.sampleCount, b.sampleCount) };
}
