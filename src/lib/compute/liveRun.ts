/**
 * A run growing line by line as the compute worker streams records: re-read in full
 * through the run reader when the view needs it (cheap at these sizes, and the reader's
 * RunParser cannot be finished twice).
 */
import type { Run } from '../../core/format/run';
import { parseRun } from '../../core/format/runParser';

/** Lines received so far for one compute run, with a stable id and release-layout path. */
export class LiveRun {
  private readonly lines: string[] = [];

  /** `file`: a release-layout path so the reader labels the run; `id`: kept across updates. */
  constructor(
    readonly file: string,
    readonly id: string,
    readonly name?: string,
  ) {}

  /** Number of records received. */
  get count(): number {
    return this.lines.length;
  }

  /** Add one JSONL line (no trailing newline). */
  push(line: string): void {
    this.lines.push(line);
  }

  /** The JSONL text so far (one record per line, trailing newline). */
  text(): string {
    return this.lines.length ? `${this.lines.join('\n')}\n` : '';
  }

  /** The run so far, or null before the first record. */
  toRun(): Run | null {
    if (this.lines.length === 0) return null;
    return parseRun(this.file, new TextEncoder().encode(this.text()), { id: this.id, name: this.name });
  }
}

/**
 * Whether to push an update now that `count` records are in and the last update showed
 * `last`: every record at first (the chart appears at once), then every `every`
 * records, spacing out to every last/8 records as the run grows (each update re-reads
 * the whole run on the page's thread: ~40 updates for 1000 records), always at the end.
 * Example (every 4): 1, 2, 6, 10, …, 38, 42, 47, 52, …
 */
export function shouldUpdate(count: number, last: number, every: number, final: boolean): boolean {
  if (final || count <= 2) return count > last || final;
  return count - last >= Math.max(1, every, Math.floor(last / 8));
}
