/** Ready-to-draw data the chart components receive: columnar arrays indexed by layer. */
import type { YScaleKind } from '../state/types.ts';
import type { XAxisSpec } from './xAxis.ts';

/** One line of a panel, with an optional band (e.g. p25–p75) drawn as an area beneath it. */
export interface LineSeries {
  /** Unique within the panel; keys the keyed each block. */
  key: string;
  /** Run id, written to the path's `data-run`. */
  run: string;
  /** Module key, written to the path's `data-module`. */
  module: string;
  /** Name in the tooltip, e.g. "None CoT · Q". */
  label: string;
  color: string;
  /** Value per layer; NaN = no value (gap in the line). */
  values: ArrayLike<number>;
  /** Lower and upper band edges per layer, when a band is shown. */
  lo?: ArrayLike<number>;
  hi?: ArrayLike<number>;
  /** SVG stroke-dasharray ('' or absent: solid). */
  dash?: string;
  /** Layers marked on the line (e.g. where a difference has q < 0.05). */
  marks?: readonly number[];
}

/** A legend entry; `key` ties it to the lines it names (for hover highlighting). */
export interface LegendItem {
  label: string;
  color: string;
  dash?: string;
  key?: string;
}

/** Inner margins of a panel, in pixels. */
export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export const PANEL_MARGIN: Margin = { top: 8, right: 10, bottom: 30, left: 56 };

/** A heatmap row: label and one value per layer. */
export interface HeatmapRow {
  key: string;
  label: string;
  run: string;
  module: string;
  values: ArrayLike<number>;
}

/**
 * What places a panel's lines: the lines, the x axis, the y scale kind, domain and symlog
 * constant, size and note. LinePanel draws them; PanelPointer and Crosshair, layered over
 * it, take the same so their positions fall on its lines.
 */
export interface PanelScaleProps {
  /** Lines to draw (ready arrays indexed by layer). */
  series: LineSeries[];
  /** The x axis (layer or depth, zoom). */
  axis: XAxisSpec;
  /** Y scale kind. */
  kind: YScaleKind;
  /** Y domain, shared across panels or this panel's own. */
  domain: [number, number];
  /** Symlog constant. */
  constant?: number;
  /** Panel size in its SVG. */
  width: number;
  height: number;
  /** A short note above the plot (e.g. values hidden by the log scale); it moves the plot down. */
  note?: string;
}
