/**
 * Y scales for the charts: the domain a set of plotted arrays needs under a given
 * scale kind (log keeps positive values only and counts what it hides), a symlog
 * constant taken from the data, and the scale and ticks d3 builds from them.
 */
import { scaleLinear, scaleLog, scaleSymlog } from 'd3-scale';
import type { ScaleLinear, ScaleLogarithmic, ScaleSymLog } from 'd3-scale';
import { quantileSorted } from 'd3-array';
import type { YScaleKind } from '../state/types.ts';

export type YScale = ScaleLinear<number, number> | ScaleLogarithmic<number, number> | ScaleSymLog<number, number>;

/** A y domain and how many finite values it leaves out (non-positive ones on a log scale). */
export interface YExtent {
  domain: [number, number];
  hidden: number;
}

/** Whether a value can be drawn on a scale of this kind (finite, and positive on log). */
export function isPlottable(v: number, kind: YScaleKind): boolean {
  return Number.isFinite(v) && (kind !== 'log' || v > 0);
}

/**
 * The [min, max] of every plottable value in `arrays`; NaN/±Infinity are skipped, and on
 * a log scale non-positive values too (counted in `hidden`). Empty input → [0, 1]
 * (log: [1, 10]); a single value v → [v - 1, v + 1] (log: [v / 10, v * 10]).
 * Example: `yExtent([[0, 2, 5]], 'log')` → `{ domain: [2, 5], hidden: 1 }`.
 */
export function yExtent(arrays: Iterable<ArrayLike<number>>, kind: YScaleKind): YExtent {
  let lo = Infinity;
  let hi = -Infinity;
  let hidden = 0;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (!Number.isFinite(v)) continue;
      if (kind === 'log' && v <= 0) {
        hidden++;
        continue;
      }
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (lo > hi) return { domain: kind === 'log' ? [1, 10] : [0, 1], hidden };
  if (lo === hi) return { domain: kind === 'log' ? [lo / 10, hi * 10] : [lo - (Math.abs(lo) || 1), hi + (Math.abs(hi) || 1)], hidden };
  return { domain: [lo, hi], hidden };
}

/** The union of several domains. Example: `[[0, 1], [2, 3]]` → `[0, 3]`. */
export function unionDomain(domains: readonly (readonly [number, number])[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const [a, b] of domains) {
    lo = Math.min(lo, a);
    hi = Math.max(hi, b);
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

/**
 * A symlog constant from the data: the 10th percentile of the non-zero magnitudes, so
 * the linear region around zero spans the smallest values that matter. No non-zero
 * value → 1. Example: magnitudes 1e-3 … 1e2 → about 1e-3.
 */
export function symlogConstant(arrays: Iterable<ArrayLike<number>>): number {
  const mags: number[] = [];
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) {
      const m = Math.abs(a[i]);
      if (Number.isFinite(m) && m > 0) mags.push(m);
    }
  }
  if (mags.length === 0) return 1;
  mags.sort((x, y) => x - y);
  return quantileSorted(mags, 0.1) ?? 1;
}

/** A d3 y scale of the given kind over `domain` onto `range` (pixels, bottom first); linear domains are niced unless `nice` is false. */
export function makeYScale(
  kind: YScaleKind,
  domain: [number, number],
  range: [number, number],
  constant = 1,
  nice = true,
): YScale {
  if (kind === 'log') return scaleLog().domain(domain).range(range);
  if (kind === 'symlog') return scaleSymlog().constant(constant).domain(domain).range(range);
  const s = scaleLinear().domain(domain).range(range);
  return nice ? s.nice() : s;
}

/**
 * Tick values for a y scale: d3's own ticks on linear; on log, powers of ten when the
 * domain spans two decades or more, else the log ticks d3 would label; on
 * symlog, zero and the powers of ten inside the domain (d3's linear ticks when fewer than 3).
 * Examples: log [0.001, 10] → [0.001, 0.01, 0.1, 1, 10]; log [2, 50], count 4 → [2, 3, 10, 20, 30].
 */
export function yTicks(scale: YScale, kind: YScaleKind, count = 5): number[] {
  const [a, b] = scale.domain() as [number, number];
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  if (kind === 'log') {
    const powers = decadesIn(lo, hi);
    if (powers.length >= 2) return thin(powers, count);
    // d3's log tickFormat blanks the ticks it would not label; keep the labelled ones.
    const log = scale as ScaleLogarithmic<number, number>;
    const labelled = log.tickFormat(count);
    return thin(
      log.ticks(count).filter((t) => labelled(t) !== ''),
      count + 1,
    );
  }
  if (kind === 'symlog') {
    const ticks: number[] = [];
    // Near zero symlog is linear: show at most four decades below the extreme on each side.
    if (hi > 0) for (const p of decadesIn(lo > 0 ? lo : hi * 1e-4, hi)) ticks.push(p);
    if (hi >= 0 && lo <= 0) ticks.push(0);
    if (lo < 0) for (const p of decadesIn(hi < 0 ? -hi : -lo * 1e-4, -lo)) ticks.push(-p);
    ticks.sort((x, y) => x - y);
    if (ticks.length >= 3) return spaced(ticks, scale, 14);
    return scaleLinear().domain([lo, hi]).ticks(count);
  }
  return (scale as ScaleLinear<number, number>).ticks(count);
}

/**
 * Ticks at least `minPx` apart on `scale`: zero first, then by decreasing magnitude, so
 * the decades crowded into symlog's linear region near zero give way to the larger ones.
 */
function spaced(ticks: number[], scale: YScale, minPx: number): number[] {
  const order = ticks.slice().sort((a, b) => (a === 0 ? -1 : b === 0 ? 1 : Math.abs(b) - Math.abs(a)));
  const kept: number[] = [];
  for (const t of order) if (kept.every((k) => Math.abs(scale(k) - scale(t)) >= minPx)) kept.push(t);
  return kept.sort((a, b) => a - b);
}

/** Powers of ten in [lo, hi] (lo > 0). */
function decadesIn(lo: number, hi: number): number[] {
  if (!(lo > 0) || !(hi >= lo)) return [];
  const out: number[] = [];
  for (let e = Math.ceil(Math.log10(lo) - 1e-9); e <= Math.floor(Math.log10(hi) + 1e-9); e++) out.push(Number(`1e${e}`));
  return out;
}

/** Every k-th value so that at most about `count` remain. */
function thin(values: number[], count: number): number[] {
  if (values.length <= count) return values;
  const step = Math.ceil(values.length / count);
  return values.filter((_, i) => i % step === 0);
}
