/**
 * The statistics-file reader: bytes in (any chunking), a `Run` out. One reading order:
 *
 *   bytes → text      gzip (by its magic bytes) inflated in bounded steps (gzipStream.ts)
 *   text → records    JSONL split into lines (lineSplitter.ts), or a JSON array split
 *                     into elements (arraySplitter.ts), each parsed as Python writes
 *                     JSON (jsonl.ts: bare NaN / Infinity)
 *   records → rows    records.ts: matrices, statistics, loss, texts; the budgets
 *   rows → columns    columns.ts: samples grouped by layer set; the largest group is the run
 *
 * A JSONL line goes first to the accelerator (accelerator/, WebAssembly) when there is
 * one; it stores what the plain path would or leaves the line to it. Bad lines are
 * skipped and reported in `run.skipped`; the same code runs in workers, Node and tests.
 */
import { ArraySplitter } from './arraySplitter.ts';
import { withSameLayer } from './followup.ts';
import { TapeAccelerator } from './accelerator/tapeAccelerator.ts';
import { GzipStream } from './gzipStream.ts';
import { locateJsonError } from './jsonScanner.ts';
import { parsePythonJson } from './jsonl.ts';
import { beyondLimit, readLimits, type ReadLimits } from './limits.ts';
import { LineSplitter } from './lineSplitter.ts';
import { type Accelerator, RecordStore } from './records.ts';
import type { ParsedRun, Run } from './run.ts';
import { parseRunPath } from './runPath.ts';
import { SkipLog } from './skipLog.ts';

/** How far a parse has come: input bytes pushed (compressed, for gzip), samples kept, lines skipped. */
export interface ParseProgress {
  bytes: number;
  samples: number;
  skipped: number;
}

/** A file that yields no run: it cannot be decoded or holds no usable record. The message is one line naming the file. */
export class RunReadError extends Error {
  override name = 'RunReadError';
  /** The line the failure concerns, when there is one (the first skipped line). */
  readonly line: number | null;
  constructor(message: string, line: number | null = null) {
    super(message);
    this.line = line;
  }
}

/** Options of a parse. */
export interface RunParserOptions {
  /** The run's id (default: a stable hash of file name and size). */
  id?: string;
  /** Display name (default: the file's base name). */
  name?: string;
  /** Read JSONL lines with the WebAssembly accelerator where it is available (default true); false reads every line by the plain path. */
  accelerate?: boolean;
  /** The file's size in bytes when known: the columns are sized for it after the first line (not for gzip, whose ratio is unknown). */
  expectedBytes?: number;
  /** Budgets other than the defaults (limits.ts). */
  limits?: Partial<ReadLimits>;
}

const enum Kind {
  Unknown,
  Lines,
  Array,
}

/** Text bytes read per step of an uncompressed file. */
const TEXT_STEP = 1 << 20;
const BOM = [0xef, 0xbb, 0xbf];

/** FNV-1a 32-bit, hex: a stable id from file name and size. */
function hashId(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return 'run-' + (h >>> 0).toString(16).padStart(8, '0');
}

function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/** Streaming reader of one statistics file: `push` chunks (or drive `steps`), then `finish()`. */
export class RunParser {
  private readonly limits: ReadLimits;
  private readonly store: RecordStore;
  private accelerator: Accelerator | null = null;
  private readonly skips = new SkipLog();
  private readonly decoder = new TextDecoder('utf-8');
  /** The first byte, held until the second tells gzip from text; null once told. */
  private head: Uint8Array | null = new Uint8Array(0);
  private gzip: GzipStream | null = null;
  private kind = Kind.Unknown;
  /** Before the first record: BOM bytes matched, blank lines, and whitespace bytes since the last of them. */
  private bom = 0;
  private leadingLines = 0;
  private leadingSpaces = 0;
  private lines: LineSplitter | null = null;
  private array: ArraySplitter | null = null;
  private streamDecoder: TextDecoder | null = null;
  private rawBytes = 0;
  private textBytes = 0;
  /** Why reading stopped before the end of the file (a budget), or null. */
  private stopped: string | null = null;
  private run: ParsedRun | null = null;
  /** Whether the columns were sized for expectedBytes yet. */
  private sized = false;

  constructor(
    readonly file: string,
    private readonly options: RunParserOptions = {},
  ) {
    this.limits = readLimits(options.limits);
    this.store = new RecordStore(this.limits, (line, reason) => this.skips.add(line, reason));
  }

  /** Samples read (the run's, once finished), lines skipped and bytes pushed so far. */
  get progress(): ParseProgress {
    return { bytes: this.rawBytes, samples: this.run?.sampleCount ?? this.store.samples, skipped: this.skips.count };
  }

  /** True once a budget stopped the reading (what follows is ignored; finish() says why). */
  get done(): boolean {
    return this.stopped !== null;
  }

  /** Feeds the next chunk of the file; chunk boundaries may fall anywhere, and the caller may reuse the chunk's memory afterwards. Throws only when called after finish(). */
  push(chunk: Uint8Array): void {
    for (const _ of this.steps(chunk));
  }

  /**
   * Feeds the next chunk in bounded steps (at most ~4 MB of text each, however densely
   * a gzip inflates), pausing after each: a caller that must stay responsive (a worker
   * that may be cancelled) yields between steps; stopping early drops the rest of the
   * chunk. Same rules as push().
   */
  *steps(chunk: Uint8Array): Generator<void, void, undefined> {
    if (this.run !== null) throw new Error(`${this.file}: push() after finish()`);
    if (chunk.length === 0 || this.stopped !== null) return;
    // Node's Buffer is a Uint8Array subclass with its own hidden class: byte loops compiled
    // for one deoptimize on the other, so every chunk is viewed as a plain Uint8Array.
    if (Object.getPrototypeOf(chunk) !== Uint8Array.prototype) chunk = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.rawBytes += chunk.length;
    const held = this.head;
    if (held !== null) {
      if (held.length + chunk.length < 2) {
        this.head = chunk.slice();
        return;
      }
      const [first, second] = held.length === 1 ? [held[0], chunk[0]] : [chunk[0], chunk[1]];
      if (first === 0x1f && second === 0x8b) this.gzip = new GzipStream((text) => this.pushText(text));
      this.head = null;
      if (held.length > 0) yield* this.stepsOf(held);
    }
    yield* this.stepsOf(chunk);
  }

  private *stepsOf(chunk: Uint8Array): Generator<void, void, undefined> {
    if (this.gzip !== null) {
      for (const _ of this.gzip.steps(chunk)) {
        yield;
        if (this.stopped !== null) return;
      }
      return;
    }
    for (let at = 0; at < chunk.length && this.stopped === null; at += TEXT_STEP) {
      this.pushText(chunk.subarray(at, at + TEXT_STEP));
      yield;
    }
  }

  /** Decompressed bytes: within the file's budget, decides JSONL vs array on the first non-space byte, then splits. */
  private pushText(chunk: Uint8Array): void {
    if (chunk.length === 0 || this.stopped !== null) return;
    const room = this.limits.fileBytes - this.textBytes;
    if (chunk.length > room) {
      chunk = chunk.subarray(0, Math.max(0, room));
      this.stopped = `reading stopped at ${beyondLimit('fileBytes', this.limits.fileBytes)}; the rest of the file was not read`;
    }
    this.textBytes += chunk.length;
    if (this.kind === Kind.Unknown) {
      const first = this.skipLeading(chunk);
      if (first < 0) return;
      this.startKind(chunk[first] === 0x5b ? Kind.Array : Kind.Lines, this.textBytes - chunk.length + first);
      chunk = chunk.subarray(first);
    }
    if (this.lines !== null) this.lines.push(chunk, this.onLine);
    else this.array?.push((this.streamDecoder as TextDecoder).decode(chunk, { stream: true }));
  }

  /** Counts a BOM and whitespace before the first record; returns where the record starts in `chunk`, or −1 when it holds none. */
  private skipLeading(chunk: Uint8Array): number {
    let i = 0;
    while (i < chunk.length && this.bom < 3 && this.leadingLines === 0 && this.leadingSpaces === 0 && chunk[i] === BOM[this.bom]) {
      this.bom++;
      i++;
    }
    if (i < chunk.length && this.bom > 0 && this.bom < 3) return i; // a broken BOM: its bytes start the first line (startKind replays them)
    for (; i < chunk.length; i++) {
      const c = chunk[i];
      if (c === 0x0a) {
        this.leadingLines++;
        this.leadingSpaces = 0;
      } else if (isSpace(c)) this.leadingSpaces++;
      else return i;
    }
    return -1;
  }

  /** Starts reading records of `kind`, `before` bytes into the text, with what came before them: blank lines, spaces, a broken BOM's bytes. */
  private startKind(kind: Kind, before: number): void {
    this.kind = kind;
    if (this.gzip === null && this.options.expectedBytes !== undefined) {
      this.store.columns.expectedBytes = this.options.expectedBytes;
      if (kind === Kind.Lines) this.store.columns.initialRows = 1; // sizeColumns gives the rest after the first record
    }
    if (kind === Kind.Lines) {
      const accelerator = (this.accelerator = this.options.accelerate === false ? null : TapeAccelerator.create(this.store));
      const lines = (this.lines = new LineSplitter(this.limits.lineBytes, accelerator === null ? null : (chunk) => accelerator.lineEnds(chunk)));
      // The first line's leading spaces (and a broken BOM's bytes) are given back; at most what makes it too long.
      const broken = this.bom > 0 && this.bom < 3 ? BOM.slice(0, this.bom) : [];
      const replay = new Uint8Array(broken.length + Math.min(this.leadingSpaces, this.limits.lineBytes + 1)).fill(0x20);
      replay.set(broken);
      lines.skip(this.leadingLines, before - replay.length);
      lines.push(replay, this.onLine);
    } else {
      this.streamDecoder = new TextDecoder('utf-8');
      this.array = new ArraySplitter(this.onElement, (index, _line, reason) => this.skips.add(index, reason), {
        firstLine: 1 + this.leadingLines,
        maxElementLength: this.limits.lineBytes,
      });
    }
  }

  private readonly onLine = (bytes: Uint8Array | null, line: number, terminated: boolean): void => {
    const store = this.store;
    store.columns.textOffset = (this.lines as LineSplitter).offset;
    if (bytes === null) {
      this.skips.add(line, `longer than ${beyondLimit('lineBytes', this.limits.lineBytes)}; not read`);
      return;
    }
    if (bytes.length === 0) return;
    const read = this.accelerator?.tryStore(bytes, line) ?? false;
    if (typeof read === 'string') this.skips.add(line, read);
    else if (!read) {
      this.accelerator?.flush();
      const reason = this.readRecord(this.decoder.decode(bytes), terminated, line);
      if (reason !== null) this.skips.add(line, reason);
    }
    if (!this.sized && store.samples === 1) this.sizeColumns(bytes.length + 1);
  };

  /** After the first record: rows for a file of `expectedBytes` whose lines are about `lineBytes` long (plain files only). */
  private sizeColumns(lineBytes: number): void {
    this.sized = true;
    const total = this.options.expectedBytes;
    if (this.gzip !== null || total === undefined) return;
    this.store.columns.reserveRows((total / lineBytes) * 1.05 + 1);
  }

  private readonly onElement = (text: string | null, index: number, line: number, complete: boolean): void => {
    this.store.columns.textOffset = (this.array as ArraySplitter).position;
    const reason = text === null ? `longer than ${beyondLimit('lineBytes', this.limits.lineBytes)}; not read` : this.readRecord(text, complete, index);
    if (reason !== null) this.skips.add(index, `${reason} (record starts on line ${line})`);
  };

  /** Parses and stores one record's text; returns why it was skipped, or null (blank text is silently ignored). */
  private readRecord(text: string, complete: boolean, line: number): string | null {
    let record: unknown;
    try {
      record = parsePythonJson(text);
    } catch (error) {
      const where = locateJsonError(text);
      if (where === null) return `invalid JSON: ${error instanceof Error ? error.message : String(error)}`;
      if (where.atEnd && text.trim() === '') return null;
      if (where.atEnd && !complete) return `truncated: the file ends inside this record (column ${where.column})`;
      return `invalid JSON at column ${where.column}: ${where.message}`;
    }
    return this.store.addRecord(record, text, line);
  }

  /**
   * Ends the file and returns the Run. Throws RunReadError when the file cannot be
   * decoded (bad gzip with nothing readable before the damage) or holds no usable
   * record (empty, or every line skipped). Calling it again returns the same Run.
   */
  finish(): ParsedRun {
    if (this.run !== null) return this.run;
    if (this.head !== null && this.head.length > 0) {
      const head = this.head;
      this.head = null;
      for (const _ of this.stepsOf(head));
    }
    if (this.stopped === null) this.gzip?.finish();
    const failure = this.gzip?.failure ?? null;
    if (this.lines !== null) {
      // A line cut by a budget or by damaged gzip data is not reported as truncated: the reason below says it.
      if (this.stopped === null && failure === null) this.lines.finish(this.onLine);
      this.accelerator?.release();
      this.accelerator = null;
    }
    if (this.array !== null) {
      this.array.push((this.streamDecoder as TextDecoder).decode());
      if (this.stopped === null && failure === null) this.array.finish();
    }
    const next = (this.lines?.lineNumber ?? this.array?.count ?? 0) + 1;
    if (this.stopped !== null) this.skips.add(next, this.stopped, true);
    if (failure !== null) {
      if (this.store.samples === 0) throw new RunReadError(`${this.file}: cannot be decoded as gzip (${failure})`);
      this.skips.add(next, `gzip data is damaged or cut short after byte ${this.gzip?.consumed ?? 0} of the file (${failure}); the rest of the file was not read`, true);
    } else if (this.gzip?.intact === false) {
      this.skips.add(next, 'gzip data is damaged: its checksum does not match the text read, so records read from it may hold wrong values', true);
    }
    const columns = this.store.columns.finish();
    if (columns.sampleCount === 0) throw this.noRecordError();
    for (const entry of this.store.followup.problems) this.skips.add(entry.line, entry.reason);
    const followup = columns.followup?.finish(columns.sampleCount) ?? null;
    const { modules, stats, values } = followup === null ? columns : withSameLayer(columns.modules, columns.stats, columns.values, followup.sameLayer);
    this.run = {
      id: this.options.id ?? hashId(`${this.file}\u0000${this.rawBytes}`),
      name: this.options.name ?? baseName(this.file),
      file: this.file,
      meta: parseRunPath(this.file),
      sampleCount: columns.sampleCount,
      layerCount: columns.layerCount,
      modules,
      stats,
      values,
      loss: columns.loss,
      texts: columns.texts,
      skipped: this.skips.entries(),
      bytes: this.textBytes,
      ...(followup !== null && followup.spectra.size > 0 ? { spectra: followup.spectra } : {}),
      ...(followup !== null && followup.cosineSim.size > 0 ? { cosineSim: followup.cosineSim } : {}),
    };
    return this.run;
  }

  private noRecordError(): RunReadError {
    const first = this.skips.first;
    if (this.textBytes === 0 || first === null) {
      return new RunReadError(`${this.file}: holds no usable record (the file is empty)`);
    }
    const unit = this.kind === Kind.Array ? 'record' : 'line';
    const count = this.skips.count;
    const hint = this.skips.allNoMatrix ? ' — no record has a per-layer gradient matrix; is this a dataset rather than a statistics file?' : '';
    return new RunReadError(
      `${this.file}: holds no usable record (${count} ${unit}${count === 1 ? '' : 's'} skipped; ${unit} ${first.line}: ${first.reason})${hint}`,
      first.line,
    );
  }
}

/** Reads a whole file held in memory; same rules and errors as RunParser. */
export function parseRun(file: string, bytes: Uint8Array, options?: RunParserOptions): ParsedRun {
  const parser = new RunParser(file, options);
  parser.push(bytes);
  return parser.finish();
}
