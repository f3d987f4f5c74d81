/**
 * The heatmap's color scale: a d3 sequential scale (viridis) of the same kind as the y
 * scale setting, so log and symlog views color the way they plot.
 */
import { scaleSequential, scaleSequentialLog, scaleSequentialSymlog } from 'd3-scale';
import { interpolateViridis } from 'd3-scale-chromatic';
import type { YScaleKind } from '../state/types.ts';
import { isPlottable } from './scales.ts';

/** Color of a cell with no value the scale can show. */
export const MISSING_COLOR = '#e6e6e6';

/**
 * A value → CSS color function over `domain`; values the scale cannot show (NaN, ±∞,
 * non-positive on log) get {@link MISSING_COLOR}; values outside the domain are clamped.
 * Example: linear over [0, 1]: 0 → viridis start "#440154", 1 → end "#fde725".
 */
export function makeColorScale(kind: YScaleKind, domain: [number, number], constant = 1): (v: number) => string {
  const scale =
    kind === 'log'
      ? scaleSequentialLog(interpolateViridis).domain(domain)
      : kind === 'symlog'
        ? // @types/d3-scale types ScaleSequential without `constant`, which d3's sequential symlog has.
          (scaleSequentialSymlog(interpolateViridis) as unknown as { constant(c: number): ReturnType<typeof scaleSequential<string>> })
            .constant(constant)
            .domain(domain)
        : scaleSequential(interpolateViridis).domain(domain);
  scale.clamp(true);
  return (v) => (isPlottable(v, kind) ? scale(v) : MISSING_COLOR);
}

/** The interpolator at t ∈ [0, 1], for legend gradients. */
export function colorAt(t: number): string {
  return interpolateViridis(Math.min(1, Math.max(0, t)));
}
