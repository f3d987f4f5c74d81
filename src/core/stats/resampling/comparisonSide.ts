/**
 * One run as a resampling comparison needs it: the compared statistic's values per
 * module and each sample's pairing key. Plain data (typed arrays, strings), so it
 * crosses to a worker by structured clone with its buffers transferred.
 */
import type { ModuleKey, Run, StatName } from '../../format/run.ts';
import { sampleKeys } from '../../format/sampleKeys.ts';
import { statLayerSpan, statValues } from '../statValues.ts';

/** A run's side of a comparison. */
export interface ComparisonSide {
  /** For messages. */
  name: string;
  sampleCount: number;
  layerCount: number;
  /** Per module, the statistic's sample-major [sampleCount × layerCount] values. */
  values: Map<ModuleKey, Float64Array>;
  /** Per sample, its pairing key (a hash of its instruction and input, sampleKeys.ts). */
  keys: ArrayLike<number>;
}

/**
 * The side of `run` for `stat` over `modules` (those the run lacks are left out). The
 * values are copies (`copy`, default true) so their buffers can be transferred to a
 * worker without detaching the run's own; pass false where nothing is transferred.
 * A statistic defined on fewer layers than the run has (statLayerSpan: the adjacent-layer
 * cosine) is compared on those layers: `layerCount` is its span.
 * Throws UnknownSelectionError for a statistic the run does not have (statValues).
 */
export function comparisonSide(run: Run, stat: StatName, modules: readonly ModuleKey[], copy = true): ComparisonSide {
  const values = new Map<ModuleKey, Float64Array>();
  const L = run.layerCount;
  const span = statLayerSpan(run, stat);
  for (const module of modules) {
    if (!run.modules.includes(module)) continue;
    const v = statValues(run, module, stat);
    if (span < L) {
      const kept = new Float64Array(run.sampleCount * span);
      for (let s = 0; s < run.sampleCount; s++) kept.set(v.subarray(s * L, s * L + span), s * span);
      values.set(module, kept);
    } else values.set(module, copy ? v.slice() : v);
  }
  return { name: run.name, sampleCount: run.sampleCount, layerCount: span, values, keys: pairingKeys(run) };
}

/** Each sample's pairing key (sampleKeys.ts: carried by the run, or hashed from its texts once). */
export function pairingKeys(run: Run): Float64Array {
  return sampleKeys(run).prompt;
}

/** The buffers of a side's values, for a worker message's transfer list. */
export function sideBuffers(side: ComparisonSide): ArrayBuffer[] {
  return [...side.values.values()].map((v) => v.buffer as ArrayBuffer);
}
