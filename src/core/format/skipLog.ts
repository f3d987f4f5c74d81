/**
 * The record of a file's skipped lines: the first MAX_LISTED_SKIPS listed one by one
 * (line and reason), the rest counted into one closing entry, so a file of a million bad
 * lines does not become a million-entry list in the Problems panel.
 */
import type { SkippedLine } from './run.ts';

/** At most this many skipped lines are listed one by one; the rest are counted in one closing entry. */
export const MAX_LISTED_SKIPS = 1000;

const NO_MATRIX = 'no gradient matrix';

/** Whether a skip reason is a record set aside for its layer set (the reasons columns.ts gives: `layers 0–4, not …; set aside`). */
export function isLayerSetAside(reason: string): boolean {
  return reason.startsWith('layers ') && reason.endsWith('; set aside');
}

/** How many lines a run's skipped list stands for (its closing entry counted in full), and how many of them were set aside for their layer set. */
export function countSkipped(skipped: readonly SkippedLine[]): { lines: number; setAside: number } {
  let lines = 0;
  let setAside = 0;
  for (const entry of skipped) {
    lines += entry.more?.lines ?? 1;
    setAside += entry.more?.setAside ?? (isLayerSetAside(entry.reason) ? 1 : 0);
  }
  return { lines, setAside };
}

/** Skipped lines of one file, in file order. */
export class SkipLog {
  /** Lines skipped so far, listed or not. */
  count = 0;
  private readonly listed: SkippedLine[] = [];
  private unlisted: { first: number; count: number; setAside: number; allNoMatrix: boolean } | null = null;

  /** Adds a skipped line; `always` lists it even past MAX_LISTED_SKIPS (a reason about the whole file: damage, a budget that stopped the reading). */
  add(line: number, reason: string, always = false): void {
    this.count++;
    if (always || this.listed.length < MAX_LISTED_SKIPS) {
      this.listed.push({ line, reason });
      return;
    }
    const noMatrix = reason.startsWith(NO_MATRIX);
    const setAside = isLayerSetAside(reason) ? 1 : 0;
    if (this.unlisted === null) this.unlisted = { first: line, count: 1, setAside, allNoMatrix: noMatrix };
    else {
      this.unlisted.count++;
      this.unlisted.setAside += setAside;
      this.unlisted.allNoMatrix &&= noMatrix;
    }
  }

  /** The first skipped line, or null when none was. */
  get first(): SkippedLine | null {
    return this.listed[0] ?? null;
  }

  /** True when every skip said the record had no gradient matrix: the file is likely a dataset, not statistics. */
  get allNoMatrix(): boolean {
    return this.listed.every((s) => s.reason.startsWith(NO_MATRIX)) && (this.unlisted?.allNoMatrix ?? true);
  }

  /** The listed lines and, when more were skipped, one entry counting the rest from the first unlisted line on, in line order. */
  entries(): SkippedLine[] {
    const listed = this.listed.slice().sort((a, b) => a.line - b.line);
    if (this.unlisted === null) return listed;
    const { first, count, setAside } = this.unlisted;
    const of = setAside > 0 ? `, ${setAside} of them set aside for their layer set` : '';
    const closing = { line: first, reason: `${count} more skipped from here on${of}, not listed (only the first ${MAX_LISTED_SKIPS} are)`, more: { lines: count, setAside } };
    // In line order with the entries always listed (damage, a budget that stopped the reading), which come at the end of the file.
    return [...listed, closing].sort((a, b) => a.line - b.line);
  }
}
