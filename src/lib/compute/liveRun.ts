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
 * Whether to push an update after `count` records: every record at first (the chart
 * appears at once), then every `every` records, and always at the end.
 */
export function shouldUpdate(count: number, every: number, final: boolean): boolean {
  return final || count <= 2 || count % Math.max(1, every) === 0;
}
