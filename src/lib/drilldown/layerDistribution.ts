/**
 * What the drill-down shows for one layer: per visible run, the kept per-sample values
 * at that layer (core layerSamples), the highest and lowest samples (core
 * extremeSamples), and the curve's mean there.
 */
import type { ModuleKey, StatName } from '../../core/format/run.ts';
import { extremeSamples, layerSamples, type LayerSamples } from '../../core/stats/computeCurve.ts';
import { meanOf } from '../../core/stats/quantile.ts';
import { UnknownSelectionError } from '../../core/stats/statValues.ts';
import type { RunEntry } from '../state/types.ts';
import { yExtent } from '../charts/scales.ts';
import type { YScaleKind } from '../state/types.ts';
import { moduleColor, moduleLabel, moduleLeaf } from '../moduleColors.ts';
import type { RunCurves } from '../views/curveData.ts';

/** One sample in a highest/lowest list. */
export interface SamplePick {
  sample: number;
  value: number;
}

/** One run's distribution at the layer. */
export interface RunLayerDistribution {
  entry: RunEntry;
  layer: LayerSamples;
  mean: number;
  highest: SamplePick[];
  lowest: SamplePick[];
}

/** How many samples each extreme list holds. */
export const EXTREME_COUNT = 5;

/**
 * Distributions of `stat` for `module` at `layer` for every entry that has the module
 * and that many layers (others are skipped).
 */
export function layerDistributions(
  entries: readonly RunEntry[],
  module: ModuleKey,
  stat: StatName,
  layer: number,
): RunLayerDistribution[] {
  const out: RunLayerDistribution[] = [];
  for (const entry of entries) {
    if (layer >= entry.run.layerCount || !entry.run.modules.includes(module)) continue;
    let ls: LayerSamples;
    try {
      ls = layerSamples(entry.run, module, stat, layer);
    } catch (e) {
      if (e instanceof UnknownSelectionError) continue;
      throw e;
    }
    const valueOf = new Map<number, number>();
    ls.samples.forEach((s, j) => valueOf.set(s, ls.values[j]));
    const { highest, lowest } = extremeSamples(ls, EXTREME_COUNT);
    const pick = (s: number): SamplePick => ({ sample: s, value: valueOf.get(s) ?? NaN });
    out.push({ entry, layer: ls, mean: meanOf(ls.values), highest: highest.map(pick), lowest: lowest.map(pick) });
  }
  return out;
}

/** One x domain for every run's histogram. */
export function distributionDomain(list: readonly RunLayerDistribution[], kind: YScaleKind): [number, number] {
  return yExtent(
    list.map((d) => d.layer.values),
    kind === 'log' ? 'log' : 'linear',
  ).domain;
}

/** One module's spread at a layer, from the core's curve bands. */
export interface ModuleSpread {
  key: string;
  label: string;
  color: string;
  p5: number;
  p25: number;
  median: number;
  p75: number;
  p95: number;
  mean: number;
}

/** Every module's percentiles and mean at `layer` from a run's curves (no recomputation). */
export function moduleSpreads(rc: RunCurves, layer: number): ModuleSpread[] {
  return rc.modules
    .filter((m) => layer < m.curve.layerCount)
    .map(({ module, curve }) => ({
      key: module,
      label: moduleLabel(module) === module ? moduleLeaf(module) : moduleLabel(module),
      color: moduleColor(module),
      p5: curve.p5[layer],
      p25: curve.p25[layer],
      median: curve.median[layer],
      p75: curve.p75[layer],
      p95: curve.p95[layer],
      mean: curve.mean[layer],
    }));
}

/** One x domain for the spreads of every run: p5 to p95 over all modules. */
export function spreadDomain(spreads: readonly ModuleSpread[][], kind: YScaleKind): [number, number] {
  return yExtent(
    spreads.map((list) => list.flatMap((s) => [s.p5, s.p95])),
    kind === 'log' ? 'log' : 'linear',
  ).domain;
}
