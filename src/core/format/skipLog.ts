/**
 * The record of a file's skipped lines: the first MAX_LISTED_SKIPS listed one by one
 * (line and reason), the rest counted into one closing entry, so a file of a million bad
 * lines does not become a million-entry list in the Problems panel.
 */
import type { SkippedLine } from './run.ts';

/** At most this many skipped lines are listed one by one; the rest are counted in one closing entry. */
export const MAX_LISTED_SKIPS = 1000;

const NO_MATRIX = 'no gradient matrix';

/** Skipped lines of one file, in file order. */
export class SkipLog {
  /** Lines skipped so far, listed or not. */
  count = 0;
  private readonly listed: SkippedLine[] = [];
  private unlisted: { first: number; count: number; allNoMatrix: boolean } | null = null;

  /** Adds a skipped line; `always` lists it even past MAX_LISTED_SKIPS (a reason about the whole file: damage, a budget that stopped the reading). */
  add(line: number, reason: string, always = false): void {
    this.count++;
    if (always || this.listed.length < MAX_LISTED_SKIPS) {
      this.listed.push({ line, reason });
      return;
    }
    const noMatrix = reason.startsWith(NO_MATRIX);
    if (this.unlisted === null) this.unlisted = { first: line, count: 1, allNoMatrix: noMatrix };
    else {
      this.unlisted.count++;
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

  /** The listed lines in line order and, when more were skipped, one entry counting the rest from the first unlisted line on. */
  entries(): SkippedLine[] {
    const listed = this.listed.slice().sort((a, b) => a.line - b.line);
    if (this.unlisted === null) return listed;
    const { first, count } = this.unlisted;
    return [...listed, { line: first, reason: `${count} more skipped from here on, not listed (only the first ${MAX_LISTED_SKIPS} are)` }];
  }
}
