/** What the app shows about files being read and files that went wrong. */
import type { SkippedLine } from '../../core/format/run.ts';

/** A file being read: where it is, and how far the worker got. */
export interface LoadJob {
  id: string;
  file: string;
  bytes: number;
  totalBytes: number | null;
  samples: number;
  skipped: number;
  /** False while the file waits for a free parse worker. */
  started: boolean;
}

/** What went wrong with one file: a fatal read error (no run) and/or skipped lines. */
export interface FileProblem {
  file: string;
  fatal: { message: string; line: number | null } | null;
  skipped: SkippedLine[];
}
