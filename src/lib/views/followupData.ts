/**
 * What the spectrum and cosine-map views draw, from the visible runs and the settings:
 * which runs and modules have follow-up data, the chosen module and layer, the lines
 * and heatmap matrices, and the CSV of the numbers shown. Plain TypeScript, so the views
 * stay thin and the numbers are tested without a DOM.
 */
import type { ModuleKey } from '../../core/format/run.ts';
import { cosineMapDifference, cosineModules, meanCosineMap, offDiagonalExtent, type CosineMap } from '../../core/stats/cosineMap.ts';
import { toCsv, type Cell, type TableColumn } from '../../core/stats/table.ts';
import { binMeans, logBins, spectrumModules, spectrumOf, type SpectrumScale } from '../../core/stats/spectrum.ts';
import type { LineSeries } from '../charts/types.ts';
import type { BandKind, FollowupSettings, RunEntry } from '../state/types.ts';
import type { RunLooks } from './series.ts';

/** Percentile fractions of a band setting. */
export function bandFractions(band: BandKind): [number, number] | undefined {
  return band === 'iqr' ? [0.25, 0.75] : band === 'p5-p95' ? [0.05, 0.95] : undefined;
}

/** The modules among `entries` that `has` says have data, in first-seen order. */
function unionOf(entries: readonly RunEntry[], has: (e: RunEntry) => ModuleKey[]): ModuleKey[] {
  const out: ModuleKey[] = [];
  for (const e of entries) for (const m of has(e)) if (!out.includes(m)) out.push(m);
  return out;
}

/** The chosen module if offered, else the first offered (null when none is). */
export function chosenModule(offered: readonly ModuleKey[], chosen: string | null): ModuleKey | null {
  return chosen !== null && offered.includes(chosen) ? chosen : (offered[0] ?? null);
}

function look(e: RunEntry, looks: RunLooks | undefined): { color: string; dash: string; label: string } {
  const style = looks?.styles.get(e.run.id);
  return { color: style?.color ?? e.color, dash: style?.dash ?? '', label: looks?.labels.get(e.run.id) || e.label };
}

/** Spectra already computed, per run object (runs are replaced, never mutated). */
const spectrumCache = new WeakMap<object, Map<string, ReturnType<typeof spectrumOf>>>();

/** spectrumOf, computed once per (run, module, layer, scale, band). */
function cachedSpectrum(run: RunEntry['run'], module: ModuleKey, layer: number, scale: SpectrumScale, band?: [number, number]): ReturnType<typeof spectrumOf> {
  let byKey = spectrumCache.get(run);
  if (!byKey) spectrumCache.set(run, (byKey = new Map()));
  const key = `${module}\u0000${layer}\u0000${scale}\u0000${band?.join(',') ?? ''}`;
  let s = byKey.get(key);
  if (s === undefined) byKey.set(key, (s = spectrumOf(run, module, layer, scale, band)));
  return s;
}

/** Runs with singular-value lists, and the modules that have them. */
export function spectrumChoices(entries: readonly RunEntry[]): { runs: RunEntry[]; modules: ModuleKey[]; layerCount: number } {
  const runs = entries.filter((e) => spectrumModules(e.run).length > 0);
  return { runs, modules: unionOf(runs, (e) => spectrumModules(e.run)), layerCount: runs.reduce((m, e) => Math.max(m, e.run.layerCount), 0) };
}

/** One layer's spectrum, runs overlaid: a line per run that has the module, and each run's kept / dropped count. */
export function spectrumLines(
  runs: readonly RunEntry[],
  module: ModuleKey,
  layer: number,
  f: FollowupSettings,
  band: BandKind,
  looks?: RunLooks,
): { series: LineSeries[]; ranks: number; counts: { run: string; label: string; kept: number; dropped: number }[] } {
  const series: LineSeries[] = [];
  const counts: { run: string; label: string; kept: number; dropped: number }[] = [];
  for (const e of runs) {
    if (!spectrumModules(e.run).includes(module) || layer >= e.run.layerCount) continue;
    const s = cachedSpectrum(e.run, module, layer, f.scale, bandFractions(band));
    const { color, dash, label } = look(e, looks);
    series.push({ key: e.run.id, run: e.run.id, module, label, color, dash, values: s.mean, lo: s.lo, hi: s.hi });
    counts.push({ run: e.run.id, label, kept: s.kept, dropped: s.dropped });
  }
  return { series, ranks: series.reduce((m, s) => Math.max(m, s.values.length), 0), counts };
}

/** A layers × rank-bin matrix of one run: `values` row-major, rank bins log-spaced (at most `most`). */
export interface SpectrumHeat {
  entry: RunEntry;
  label: string;
  values: Float64Array;
  rows: number;
  bins: [number, number][];
}

/** Each run's layers × rank-index grid of mean spectra for `module`, rank indices pooled in log bins. */
export function spectrumHeats(runs: readonly RunEntry[], module: ModuleKey, scale: SpectrumScale, most = 64, looks?: RunLooks): SpectrumHeat[] {
  const out: SpectrumHeat[] = [];
  for (const e of runs) {
    if (!spectrumModules(e.run).includes(module)) continue;
    const rows = Array.from({ length: e.run.layerCount }, (_, l) => cachedSpectrum(e.run, module, l, scale).mean);
    const bins = logBins(rows.reduce((m, r) => Math.max(m, r.length), 0), most);
    const values = new Float64Array(rows.length * bins.length);
    rows.forEach((row, l) => values.set(binMeans(row, bins), l * bins.length));
    out.push({ entry: e, label: look(e, looks).label, values, rows: rows.length, bins });
  }
  return out;
}

/** Label of a rank bin: "i" for one rank, "i–j" (1-based ranks) for several. */
export function binLabel([a, b]: readonly [number, number]): string {
  return b - a <= 1 ? String(a + 1) : `${a + 1}–${b}`;
}

/** CSV of a spectrum figure: run, module, layer, scale, rank (1-based), mean, band edges. */
export function spectrumCsv(series: readonly LineSeries[], layer: number, scale: SpectrumScale): string {
  const rows: Record<string, Cell>[] = [];
  for (const s of series) {
    for (let i = 0; i < s.values.length; i++) rows.push({ run: s.label, module: s.module, layer, scale, rank: i + 1, mean: s.values[i], band_lo: s.lo?.[i] ?? null, band_hi: s.hi?.[i] ?? null });
  }
  return toCsv({ columns: columns(['run:text', 'module:text', 'layer:integer', 'scale:text', 'rank:integer', 'mean:number', 'band_lo:number', 'band_hi:number']), rows });
}

/** Table columns from `key:kind` strings (the key is the label too). */
function columns(specs: readonly string[]): TableColumn[] {
  return specs.map((spec) => {
    const [key, kind] = spec.split(':');
    return { key, label: key, kind: kind as TableColumn['kind'] };
  });
}

/** Runs with cosine_sim, and the projections that have it. */
export function cosineChoices(entries: readonly RunEntry[]): { runs: RunEntry[]; modules: ModuleKey[] } {
  const runs = entries.filter((e) => cosineModules(e.run).length > 0);
  return { runs, modules: unionOf(runs, (e) => cosineModules(e.run)) };
}

/** One cosine heatmap: a run's mean map, or a run's minus the reference's. */
export interface CosinePanel {
  key: string;
  title: string;
  map: CosineMap;
}

/**
 * The cosine panels for `module`: each run's mean map ('runs'), or each other run's map
 * minus the reference's ('difference'; runs of another layer count are left out and
 * named in `skipped`), and the colour extent: ±1, or ± the largest off-diagonal |value|.
 */
export function cosinePanels(
  runs: readonly RunEntry[],
  module: ModuleKey,
  f: FollowupSettings,
  referenceId: string | null,
  looks?: RunLooks,
): { panels: CosinePanel[]; extent: number; reference: RunEntry | null; skipped: string[] } {
  const withModule = runs.filter((e) => cosineModules(e.run).includes(module));
  const panels: CosinePanel[] = [];
  const skipped: string[] = [];
  let reference: RunEntry | null = null;
  if (f.cosine === 'difference') {
    reference = withModule.find((e) => e.run.id === referenceId) ?? withModule[0] ?? null;
    const refMap = reference ? meanCosineMap(reference.run, module) : null;
    for (const e of withModule) {
      if (e === reference || refMap === null) continue;
      const map = meanCosineMap(e.run, module);
      if (map === null) continue;
      if (map.layerCount !== refMap.layerCount) {
        skipped.push(look(e, looks).label);
        continue;
      }
      panels.push({ key: e.run.id, title: `${look(e, looks).label} − ${look(reference!, looks).label}`, map: cosineMapDifference(refMap, map) });
    }
  } else {
    for (const e of withModule) {
      const map = meanCosineMap(e.run, module);
      if (map !== null) panels.push({ key: e.run.id, title: look(e, looks).label, map });
    }
  }
  const extent = f.range === 'unit' ? 1 : panels.reduce((m, p) => Math.max(m, offDiagonalExtent(p.map)), 0);
  return { panels, extent: niceExtent(extent), reference, skipped };
}

/** A colour extent rounded up to two significant digits (0.515926 → 0.52); 1 when there is none. */
export function niceExtent(extent: number): number {
  if (!(extent > 0) || !Number.isFinite(extent)) return 1;
  const unit = 10 ** (Math.floor(Math.log10(extent)) - 1);
  return Math.min(1, Math.ceil(extent / unit - 1e-9) * unit);
}

/** CSV of cosine panels: panel, module, layer i, layer j, mean cosine (or difference), samples averaged. */
export function cosineCsv(panels: readonly CosinePanel[], module: ModuleKey): string {
  const rows: Record<string, Cell>[] = [];
  for (const p of panels) {
    const L = p.map.layerCount;
    for (let i = 0; i < L; i++) for (let j = 0; j < L; j++) rows.push({ panel: p.title, module, layer_i: i, layer_j: j, value: p.map.mean[i * L + j], samples: p.map.count[i * L + j] });
  }
  return toCsv({ columns: columns(['panel:text', 'module:text', 'layer_i:integer', 'layer_j:integer', 'value:number', 'samples:integer']), rows });
}

/** CSV of spectrum heatmaps: run, module, layer, rank bin (1-based, "a–b"), mean. */
export function spectrumHeatCsv(heats: readonly SpectrumHeat[], module: ModuleKey): string {
  const rows: Record<string, Cell>[] = [];
  for (const h of heats) {
    for (let l = 0; l < h.rows; l++) h.bins.forEach((b, c) => rows.push({ run: h.label, module, layer: l, ranks: binLabel(b), mean: h.values[l * h.bins.length + c] }));
  }
  return toCsv({ columns: columns(['run:text', 'module:text', 'layer:integer', 'ranks:text', 'mean:number']), rows });
}
