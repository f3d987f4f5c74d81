/**
 * The view as a URL query: every ViewSettings field that differs from the default,
 * the visible runs (by source ref, in order), and the `src` URLs to load. Runs are
 * named by ref (file path, URL, demo path), never by id, so a copied link works on
 * another machine.
 */
import { DEFAULT_ENCODING, type EncodingSource } from './encoding.ts';
import { isFactorKey } from './factors.ts';
import type { FacetHidden } from './facets.ts';
import { DEFAULT_VIEW, type BandKind, type ViewKind, type ViewSettings, type XAxisKind, type YScaleKind } from './types.ts';

/** What a URL says about the view; `reference` and `runs` are source refs. */
export interface UrlState {
  settings: ViewSettings;
  /** Source ref of the overlay's reference run, or null. */
  reference: string | null;
  /** Refs of the visible runs in display order; null when the URL does not say. */
  runs: string[] | null;
  /** URLs to load (`?src=`), in order. */
  src: string[];
}

const VIEWS: readonly ViewKind[] = ['curves', 'overlay', 'heatmap', 'study', 'spectrum', 'cosine'];
const X_AXES: readonly XAxisKind[] = ['layer', 'depth'];
const Y_SCALES: readonly YScaleKind[] = ['linear', 'log', 'symlog'];
const BANDS: readonly BandKind[] = ['none', 'iqr', 'p5-p95'];

function oneOf<T extends string>(value: string | null, allowed: readonly T[], fallback: T): T {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

function parseSplits(value: string | null): [number, number] | null {
  if (!value) return null;
  const parts = value.split(',').map((p) => Number(p));
  if (parts.length !== 2 || !parts.every((n) => Number.isInteger(n) && n > 0) || parts[0] >= parts[1]) return null;
  return [parts[0], parts[1]];
}

function parseRange(value: string | null): [number, number] | null {
  if (!value) return null;
  const parts = value.split(',').map((p) => Number(p));
  return parts.length === 2 && parts.every(Number.isFinite) && parts[0] < parts[1] ? [parts[0], parts[1]] : null;
}

function parseIndex(value: string | null): number | null {
  const n = value === null || value === '' ? NaN : Number(value);
  return Number.isInteger(n) && n >= 0 ? n : null;
}

function parseSource(value: string | null, fallback: EncodingSource): EncodingSource {
  if (value === null) return fallback;
  return value === 'auto' || value === 'none' || value === 'run' || isFactorKey(value) ? value : fallback;
}

/** `hide=setting:none` values → unchecked facet values (unknown factors dropped). */
function parseHidden(values: string[]): FacetHidden {
  const hidden: FacetHidden = {};
  for (const v of values) {
    const at = v.indexOf(':');
    const key = at < 0 ? v : v.slice(0, at);
    if (at < 0 || !isFactorKey(key)) continue;
    (hidden[key] ??= []).push(v.slice(at + 1));
  }
  return hidden;
}

/** `rc=1f77b4:ref` values → picked colours by ref (malformed ones dropped). */
function parseColors(values: string[]): Record<string, string> {
  const colors: Record<string, string> = {};
  for (const v of values) {
    const m = /^([0-9a-f]{6}):(.+)$/i.exec(v);
    if (m) colors[m[2]] = `#${m[1].toLowerCase()}`;
  }
  return colors;
}

/**
 * Reads a URL query (`location.search`, with or without `?`). Unknown or invalid
 * values fall back to the defaults, so a hand-edited link never breaks the page.
 * Example: `readUrlState('?view=overlay&y=log&run=a.jsonl')` → overlay, log y, runs `['a.jsonl']`.
 */
export function readUrlState(search: string): UrlState {
  const q = new URLSearchParams(search);
  const d = DEFAULT_VIEW;
  const settings: ViewSettings = {
    ...d,
    view: oneOf(q.get('view'), VIEWS, d.view),
    stat: q.get('stat') || d.stat,
    yScale: oneOf(q.get('y'), Y_SCALES, d.yScale),
    sharedY: q.has('sharedY') ? q.get('sharedY') !== '0' : d.sharedY,
    bands: oneOf(q.get('bands'), BANDS, d.bands),
    splits: parseSplits(q.get('splits')),
    reference: null,
    strip: oneOf(q.get('strip'), ['difference', 'ratio'] as const, d.strip),
    heatmapRows: oneOf(q.get('rows'), ['modules', 'runs'] as const, d.heatmapRows),
    x: oneOf(q.get('x'), X_AXES, d.x),
    zoom: parseRange(q.get('zoom')),
    modules: q.has('mod') ? q.getAll('mod').filter((m) => m !== '') : null,
    hidden: parseHidden(q.getAll('hide')),
    filter: q.get('q') ?? '',
    encoding: {
      color: parseSource(q.get('color'), DEFAULT_ENCODING.color),
      shade: parseSource(q.get('shade'), DEFAULT_ENCODING.shade),
      dash: parseSource(q.get('dash'), DEFAULT_ENCODING.dash),
    },
    colors: parseColors(q.getAll('rc')),
    layer: parseIndex(q.get('layer')),
    drillModule: q.get('dmod') || null,
    sample: q.get('sref') && parseIndex(q.get('sample')) !== null ? { ref: q.get('sref')!, index: parseIndex(q.get('sample'))! } : null,
    study: {
      model: q.get('smodel') || null,
      dataset: q.get('sdata') || null,
      rows: oneOf(q.get('srows'), ['correctness', 'variant'] as const, d.study.rows),
      fixed: q.get('sfixed') || null,
    },
    shading: q.get('shading') === '1',
    followup: {
      module: q.get('fmod') || null,
      layer: parseIndex(q.get('flayer')),
      scale: oneOf(q.get('fscale'), ['sigma', 'normalised'] as const, d.followup.scale),
      layout: oneOf(q.get('flayout'), ['lines', 'heatmap'] as const, d.followup.layout),
      cosine: oneOf(q.get('fcos'), ['runs', 'difference'] as const, d.followup.cosine),
      range: oneOf(q.get('frange'), ['fit', 'unit'] as const, d.followup.range),
    },
  };
  return {
    settings,
    reference: q.get('ref'),
    runs: q.has('run') ? q.getAll('run').filter((r) => r !== '') : null,
    src: q.getAll('src').filter((s) => s !== ''),
  };
}

/**
 * Writes the query for a view: only non-default settings, then `ref`, `run`s and `src`s.
 * Returns `''` for the default view with nothing to name, else a string starting with `?`.
 * Example: default settings, runs `['a.jsonl']` → `'?run=a.jsonl'`.
 */
export function writeUrlState(state: UrlState): string {
  const s = state.settings;
  const d = DEFAULT_VIEW;
  const q = new URLSearchParams();
  if (s.view !== d.view) q.set('view', s.view);
  if (s.stat !== d.stat) q.set('stat', s.stat);
  if (s.yScale !== d.yScale) q.set('y', s.yScale);
  if (s.sharedY !== d.sharedY) q.set('sharedY', s.sharedY ? '1' : '0');
  if (s.bands !== d.bands) q.set('bands', s.bands);
  if (s.splits) q.set('splits', `${s.splits[0]},${s.splits[1]}`);
  if (s.strip !== d.strip) q.set('strip', s.strip);
  if (s.heatmapRows !== d.heatmapRows) q.set('rows', s.heatmapRows);
  if (s.x !== d.x) q.set('x', s.x);
  if (s.zoom) q.set('zoom', `${s.zoom[0]},${s.zoom[1]}`);
  if (s.modules) {
    if (s.modules.length === 0) q.set('mod', '');
    for (const m of s.modules) q.append('mod', m);
  }
  for (const [key, values] of Object.entries(s.hidden)) for (const v of values ?? []) q.append('hide', `${key}:${v}`);
  if (s.filter.trim()) q.set('q', s.filter.trim());
  for (const channel of ['color', 'shade', 'dash'] as const) {
    if (s.encoding[channel] !== DEFAULT_ENCODING[channel]) q.set(channel, s.encoding[channel]);
  }
  for (const [ref, color] of Object.entries(s.colors)) q.append('rc', `${color.replace('#', '')}:${ref}`);
  if (s.layer !== null) q.set('layer', String(s.layer));
  if (s.layer !== null && s.drillModule) q.set('dmod', s.drillModule);
  if (s.layer !== null && s.sample) {
    q.set('sample', String(s.sample.index));
    q.set('sref', s.sample.ref);
  }
  if (s.view === 'study') {
    if (s.study.model) q.set('smodel', s.study.model);
    if (s.study.dataset) q.set('sdata', s.study.dataset);
    if (s.study.rows !== d.study.rows) q.set('srows', s.study.rows);
    if (s.study.fixed) q.set('sfixed', s.study.fixed);
  }
  if (s.shading) q.set('shading', '1');
  if (s.view === 'spectrum' || s.view === 'cosine') {
    const f = s.followup;
    if (f.module) q.set('fmod', f.module);
    if (f.layer !== null) q.set('flayer', String(f.layer));
    if (f.scale !== d.followup.scale) q.set('fscale', f.scale);
    if (f.layout !== d.followup.layout) q.set('flayout', f.layout);
    if (f.cosine !== d.followup.cosine) q.set('fcos', f.cosine);
    if (f.range !== d.followup.range) q.set('frange', f.range);
  }
  if (state.reference) q.set('ref', state.reference);
  // An empty list is written as `run=` so that "no run shown" survives the round trip.
  if (state.runs?.length === 0) q.set('run', '');
  for (const r of state.runs ?? []) q.append('run', r);
  for (const u of state.src) q.append('src', u);
  // '/' is legal in a query; leaving it unescaped keeps release paths readable in the address bar.
  const text = q.toString().replace(/%2F/gi, '/');
  return text ? `?${text}` : '';
}
