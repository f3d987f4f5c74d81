/**
 * How runs look in overlays and lists: colour, shade and line style follow the runs'
 * factors (by default hue per setting, dashed for irrelevant, lighter for instruct), and
 * no two runs shown together share both colour and dash. Factors the channels leave
 * unmapped but that still vary (two models, say) become further shades of the hue.
 */
import {
  interpolateBlues,
  interpolateGreens,
  interpolateGreys,
  interpolateOranges,
  interpolatePurples,
  interpolateReds,
  interpolateBuGn,
  interpolatePuRd,
  interpolateYlOrBr,
} from 'd3-scale-chromatic';
import { factorValue, isFactorKey, sortValues, valueLabel, varyingFactors, type FactorKey } from './factors.ts';
import type { RunEntry } from './types.ts';

/** What drives a channel: a factor, `auto` (chosen from what varies), `none`, or (colour only) `run`: each run's own colour. */
export type EncodingSource = 'auto' | 'none' | 'run' | FactorKey;

/** The user's channel mapping. */
export interface Encoding {
  color: EncodingSource;
  shade: EncodingSource;
  dash: EncodingSource;
}

export const DEFAULT_ENCODING: Encoding = { color: 'auto', shade: 'auto', dash: 'auto' };

/** The mapping in force for a set of runs: `auto` resolved, factors that do not vary dropped. */
export interface ResolvedEncoding {
  color: FactorKey | 'run' | null;
  shade: FactorKey | null;
  dash: FactorKey | null;
}

/** How one run is drawn. */
export interface RunStyle {
  color: string;
  /** SVG stroke-dasharray; '' for a solid line. */
  dash: string;
}

/** Line patterns in order of use: solid first. */
export const DASHES = ['', '6 3', '2 2', '8 3 2 3', '1 2', '12 4', '5 2 1 2 1 2'] as const;

/** Hue families, each a light-to-dark ramp; a factor value takes one, its shades come from the ramp. */
const FAMILIES = [
  interpolateOranges,
  interpolateBlues,
  interpolateGreens,
  interpolatePurples,
  interpolateReds,
  interpolateGreys,
  interpolateYlOrBr,
  interpolatePuRd,
  interpolateBuGn,
] as const;

/** Darkest and lightest ramp positions used: dark enough to read on white at the light end. */
const DARK = 0.92;
const LIGHT = 0.5;

const COLOR_PRIORITY: readonly FactorKey[] = ['setting', 'model', 'dataset', 'level', 'popularity', 'metric', 'task', 'quality', 'correctness', 'variant', 'source'];
const DASH_AUTO: readonly FactorKey[] = ['correctness', 'quality'];
const SHADE_AUTO: readonly FactorKey[] = ['variant'];

/**
 * The channel mapping for `entries`: a factor chosen by the user is kept when it varies;
 * `auto` picks dash ← correctness, shade ← base / instruct, colour ← the first other
 * factor that varies (setting, model, dataset, …), else each run's own colour.
 * Example: the 12 demo runs → colour setting, shade variant, dash correctness.
 */
export function resolveEncoding(entries: readonly RunEntry[], enc: Encoding): ResolvedEncoding {
  const varying = varyingFactors(entries, true);
  const pick = (source: EncodingSource, auto: readonly FactorKey[], taken: (FactorKey | null)[]): FactorKey | null => {
    if (source === 'auto') return auto.find((f) => varying.includes(f) && !taken.includes(f)) ?? null;
    return isFactorKey(source) && varying.includes(source) ? source : null;
  };
  const dash = pick(enc.dash, DASH_AUTO, []);
  const shade = pick(enc.shade, SHADE_AUTO, [dash]);
  if (enc.color === 'run') return { color: 'run', shade, dash };
  const color = pick(enc.color, COLOR_PRIORITY, [dash, shade]);
  return { color: color ?? (enc.color === 'auto' && varying.length > 0 ? 'run' : null), shade, dash };
}

/** Sorted values of a factor among the entries (`''` for runs without it, last). */
function valuesOf(entries: readonly RunEntry[], key: FactorKey): string[] {
  const all = new Set(entries.map((e) => factorValue(e, key) ?? ''));
  const given = sortValues(key, [...all].filter((v) => v !== ''));
  return all.has('') ? [...given, ''] : given;
}

/** Ramp position of shade `j` of `n` (darkest first), spread over at most the usable range. */
function shadeAt(j: number, n: number): number {
  if (n <= 1) return DARK;
  const step = Math.min(0.3, (DARK - LIGHT) / (n - 1));
  return DARK - j * step;
}

/**
 * A style for every entry (keyed by run id) under the resolved mapping, distinct in
 * (colour, dash) across the entries: runs the mapped factors do not tell apart get
 * further shades (or, with per-run colours, further dash patterns). `picked` colours
 * (by source ref, from the user) replace the encoded colour of their runs, and the other
 * runs keep clear of them.
 * Example: setting × correctness × variant of one model → 12 distinct styles.
 */
export function runStyles(entries: readonly RunEntry[], resolved: ResolvedEncoding, picked: Readonly<Record<string, string>> = {}): Map<string, RunStyle> {
  const mapped = [resolved.color, resolved.shade, resolved.dash].filter((f): f is FactorKey => f !== null && f !== 'run');
  const leftovers = varyingFactors(entries, true).filter((f) => !mapped.includes(f));
  // Runs alike in every factor (the same file loaded twice, say) still need their own style.
  const leftoverKeys: string[] = [];
  const seen = new Map<string, number>();
  for (const e of entries) {
    const base = JSON.stringify(leftovers.map((f) => factorValue(e, f) ?? ''));
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    leftoverKeys.push(`${base}#${n}`);
  }
  const leftoverIndex = new Map([...new Set(leftoverKeys)].map((k, i) => [k, i]));
  const colorValues = resolved.color && resolved.color !== 'run' ? valuesOf(entries, resolved.color) : [];
  const shadeValues = resolved.shade ? valuesOf(entries, resolved.shade) : [''];
  const dashValues = resolved.dash ? valuesOf(entries, resolved.dash) : [];
  const shades = shadeValues.length * leftoverIndex.size;

  const encoded = entries.map((e, i): RunStyle => {
    const d = resolved.dash ? dashValues.indexOf(factorValue(e, resolved.dash) ?? '') : 0;
    const dash = DASHES[d % DASHES.length];
    if (picked[e.source.ref]) return { color: picked[e.source.ref], dash };
    if (resolved.color === 'run') return { color: e.color, dash };
    const family = resolved.color ? colorValues.indexOf(factorValue(e, resolved.color) ?? '') : 0;
    const s = resolved.shade ? shadeValues.indexOf(factorValue(e, resolved.shade) ?? '') : 0;
    const j = s * leftoverIndex.size + (leftoverIndex.get(leftoverKeys[i]) ?? 0);
    return { color: FAMILIES[family % FAMILIES.length](shadeAt(j, shades)), dash };
  });
  const out = new Map<string, RunStyle>();
  const used = new Set<string>();
  // Picked colours first: they are what the user asked for, the others make way.
  const order = entries.map((_, i) => i).sort((a, b) => Number(!picked[entries[a].source.ref]) - Number(!picked[entries[b].source.ref]));
  for (const i of order) out.set(entries[i].run.id, distinct(encoded[i], used, i));
  return new Map(entries.map((e) => [e.run.id, out.get(e.run.id)!]));
}

/** `style`, or the first variant of it (other dash, then a colour of its own) no earlier run uses. */
function distinct(style: RunStyle, used: Set<string>, index: number): RunStyle {
  const key = (s: RunStyle) => `${s.color}|${s.dash}`;
  const tries = [style, ...DASHES.map((dash) => ({ color: style.color, dash }))];
  let pick = tries.find((s) => !used.has(key(s)));
  // Golden-angle hues never repeat; with the index in the lightness they are unique per run.
  for (let k = 0; !pick; k++) {
    const candidate = { color: `hsl(${((index + k) * 137.508) % 360} 65% ${30 + ((index + k) % 4) * 5}%)`, dash: style.dash };
    if (!used.has(key(candidate))) pick = candidate;
  }
  used.add(key(pick));
  return pick;
}

/** One entry of the encoding's key: which channel shows which factor, and how each value looks (with the runs that have it). */
export interface EncodingKeyItem {
  channel: 'color' | 'shade' | 'dash';
  factor: FactorKey;
  values: { value: string; label: string; color: string; dash: string; runs: string[] }[];
}

/**
 * What the channels mean for these runs, for the key above a figure: one item per
 * mapped channel, each value with its look and the ids of the runs that have it.
 * Example: colour setting → None CoT (orange), Simplified CoT (blue), Detailed CoT (green).
 */
export function encodingKey(entries: readonly RunEntry[], resolved: ResolvedEncoding): EncodingKeyItem[] {
  const item = (channel: EncodingKeyItem['channel'], key: FactorKey, look: (i: number, n: number) => { color: string; dash: string }): EncodingKeyItem => {
    const values = valuesOf(entries, key);
    return {
      channel,
      factor: key,
      values: values.map((v, i) => ({
        value: v,
        label: v === '' ? 'not in path' : valueLabel(key, v),
        ...look(i, values.length),
        runs: entries.filter((e) => (factorValue(e, key) ?? '') === v).map((e) => e.run.id),
      })),
    };
  };
  const items: EncodingKeyItem[] = [];
  if (resolved.color && resolved.color !== 'run') items.push(item('color', resolved.color, (i) => ({ color: FAMILIES[i % FAMILIES.length](DARK - 0.1), dash: '' })));
  if (resolved.shade) items.push(item('shade', resolved.shade, (i, n) => ({ color: interpolateGreys(shadeAt(i, n)), dash: '' })));
  if (resolved.dash) items.push(item('dash', resolved.dash, (i) => ({ color: '#333', dash: DASHES[i % DASHES.length] })));
  return items;
}

/** Factors that vary among the runs but drive no channel (they get further shades of each hue). */
export function unmappedFactors(entries: readonly RunEntry[], resolved: ResolvedEncoding): FactorKey[] {
  const mapped = [resolved.color, resolved.shade, resolved.dash];
  return varyingFactors(entries).filter((f) => !mapped.includes(f));
}
