/**
 * Types the app's pieces share: how a loaded run is shown (RunEntry) and what the
 * current view is (ViewSettings, mirrored in the URL).
 */
import type { Run, StatName } from '../../core/format/run.ts';
import { DEFAULT_ENCODING, type Encoding } from './encoding.ts';
import type { FacetHidden } from './facets.ts';

/** A loaded run as the app shows it: the core's Run plus the user's display choices. */
export interface RunEntry {
  run: Run;
  /** User-facing label (renamable; defaults to a label built from the run's metadata). */
  label: string;
  /** CSS color of the run in overlays and tables. */
  color: string;
  hidden: boolean;
  /** Where it came from, so a shared link can reload it. */
  source: { kind: 'file' | 'url' | 'demo' | 'compute'; ref: string };
}

export type ViewKind = 'curves' | 'overlay' | 'heatmap' | 'study' | 'spectrum' | 'cosine';
/** X axis: layer index, or relative depth layer / (L − 1) so models of different depth overlay. */
export type XAxisKind = 'layer' | 'depth';
export type YScaleKind = 'linear' | 'log' | 'symlog';
export type BandKind = 'none' | 'iqr' | 'p5-p95';

/** Everything that defines what is on screen; serialised into the URL. */
export interface ViewSettings {
  view: ViewKind;
  stat: StatName;
  yScale: YScaleKind;
  /** Same y domain across panels (true) or one per panel (false). */
  sharedY: boolean;
  bands: BandKind;
  /** MAD split points [early end, middle end]; null = the reference/default rule for the layer count. */
  splits: [number, number] | null;
  /** Run id the overlay's difference/ratio strip compares against; null = the first visible run. */
  reference: string | null;
  /** Overlay strip: difference (b - ref) or ratio (b / ref). */
  strip: 'difference' | 'ratio';
  /** Heatmap axes. */
  heatmapRows: 'modules' | 'runs';
  /** X axis of line figures. */
  x: XAxisKind;
  /** Zoomed x range [from, to] in the axis's units (layers, or relative depth); null = everything. */
  zoom: [number, number] | null;
  /** Modules shown (keys); null = the default: Q, K, V, O when a run has more modules, else all. */
  modules: string[] | null;
  /** Facet values unchecked; runs with them are in no plot or table. */
  hidden: FacetHidden;
  /** Text filter: runs shown must match every term. */
  filter: string;
  /** Which factors drive colour, shade and dash. */
  encoding: Encoding;
  /** Colours the user picked for single runs (#rrggbb by source ref), over what the encoding gives. */
  colors: Record<string, string>;
  /** Layer open in the drill-down, or null. */
  layer: number | null;
  /** Module the drill-down shows, or null for the first. */
  drillModule: string | null;
  /** Sample open in the drill-down: its run's source ref and index. */
  sample: { ref: string; index: number } | null;
  /** The study figure's choices. */
  study: StudySettings;
  /** Tables: shade cells by value within each column. */
  shading: boolean;
  /** The follow-up views' choices (spectrum, cosine map). */
  followup: FollowupSettings;
}

/** What the spectrum and cosine-map views show (follow-up files: S_list, cosine_sim). */
export interface FollowupSettings {
  /** Module shown; null = the first the visible runs have. */
  module: string | null;
  /** Layer of the spectrum lines; null = the first. */
  layer: number | null;
  /** σ as written, or σ / Σσ. */
  scale: 'sigma' | 'normalised';
  /** Spectrum of one layer as lines (runs overlaid), or layers × rank index as heatmaps. */
  layout: 'lines' | 'heatmap';
  /** Cosine maps: each run's mean map, or each run minus the reference run (settings.reference). */
  cosine: 'runs' | 'difference';
  /** Colour range of the cosine maps: ± the largest off-diagonal value, or ±1. */
  range: 'fit' | 'unit';
}

/** What the study figure shows: one model and dataset, rows by correctness or base / instruct. */
export interface StudySettings {
  /** Model, dataset shown; null = the first the visible runs have. */
  model: string | null;
  dataset: string | null;
  /** Rows: correct / irrelevant, or base / instruct. */
  rows: 'correctness' | 'variant';
  /** The other of the two, held fixed (e.g. 'base' when rows are correctness); null = the first present. */
  fixed: string | null;
}

export const DEFAULT_VIEW: ViewSettings = {
  view: 'curves',
  stat: 'S_sum',
  yScale: 'linear',
  sharedY: true,
  bands: 'none',
  splits: null,
  reference: null,
  strip: 'ratio',
  heatmapRows: 'modules',
  x: 'layer',
  zoom: null,
  modules: null,
  hidden: {},
  filter: '',
  encoding: DEFAULT_ENCODING,
  colors: {},
  layer: null,
  drillModule: null,
  sample: null,
  study: { model: null, dataset: null, rows: 'correctness', fixed: null },
  shading: false,
  followup: { module: null, layer: null, scale: 'sigma', layout: 'lines', cosine: 'runs', range: 'fit' },
};
