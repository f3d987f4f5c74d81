/**
 * Types the app's pieces share: how a loaded run is shown (RunEntry) and what the
 * current view is (ViewSettings, mirrored in the URL).
 */
import type { Run, StatName } from '../../core/format/run.ts';

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

export type ViewKind = 'curves' | 'overlay' | 'heatmap';
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
};
