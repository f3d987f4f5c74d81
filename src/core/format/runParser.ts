/**
 * The statistics-file reader: bytes in (any chunking), a `Run` out. Handles Layer_Gradient
 * JSONL with Python's bare NaN / Infinity tokens, CRLF, a BOM, blank lines, a truncated
 * last line, gzip (by magic bytes) and a JSON array of records (by its leading `[`).
 * Bad lines are skipped and reported in `run.skipped`; the same code runs in workers,
 * Node and tests.
 */
import { Gunzip } from 'fflate';
import type { Run } from './run.ts';
import { ByteLineSplitter, type LineSplitter } from './byteLines.ts';
import { JsonArraySplitter } from './jsonArraySplitter.ts';
import { locateJsonError } from './jsonError.ts';
import { parsePythonJson } from './jsonl.ts';
import { RecordScanner } from './recordScanner.ts';
import { RecordSink } from './recordSink.ts';
import { SkipLog } from './skipLog.ts';
import { parseRunPath } from './runPath.ts';

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

/** Options of a parse: the run's id (default: a stable hash of file name and size) and display name (default: the file's base name). */
export interface RunParserOptions {
  id?: string;
  name?: string;
  /** Read JSONL lines with the byte scanner first (default true); false sends every line through JSON.parse, for comparisons. */
  scanner?: boolean;
  /** The file's size in bytes when known: the columns are sized for it after the first line (not for gzip, whose ratio is unknown). */
  expectedBytes?: number;
  /** With the scanner on, try the WebAssembly tokenizer first (default true); false reads with the JavaScript scanner alone, for comparisons. */
  wasm?: boolean;
}

const enum Kind {
  Unknown,
  Lines,
  Array,
}

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

/** Streaming reader of one statistics file. Push chunks, then `finish()`. */
export class RunParser {
  private readonly sink = new RecordSink();
  private readonly scanner: RecordScanner | null;
  private readonly skips = new SkipLog();
  private readonly decoder = new TextDecoder('utf-8');
  private head: Uint8Array | null = new Uint8Array(0);
  private gunzip: Gunzip | null = null;
  private gzipFailure: string | null = null;
  private kind = Kind.Unknown;
  private sniffed: Uint8Array[] = [];
  private sniffedBytes = 0;
  private lines: LineSplitter | null = null;
  private array: JsonArraySplitter | null = null;
  private streamDecoder: TextDecoder | null = null;
  private rawBytes = 0;
  private textBytes = 0;
  private lastLine = 0;
  private run: Run | null = null;
  /** Whether the columns were sized for expectedBytes yet. */
  private sized = false;

  constructor(
    readonly file: string,
    private readonly options: RunParserOptions = {},
  ) {
    this.scanner = options.scanner === false ? null : new RecordScanner(this.sink, { wasm: options.wasm });
  }

  /** Samples kept, lines skipped and bytes pushed so far. */
  get progress(): ParseProgress {
    return { bytes: this.rawBytes, samples: this.sink.samples, skipped: this.skips.count };
  }

  /** Feeds the next chunk of the file; chunk boundaries may fall anywhere, and the caller may reuse the chunk's memory afterwards. Throws only when called after finish(). */
  push(chunk: Uint8Array): void {
    if (this.run !== null) throw new Error(`${this.file}: push() after finish()`);
    if (chunk.length === 0) return;
    // Node's Buffer is a Uint8Array subclass with its own hidden class: byte loops compiled
    // for one deoptimize on the other (lines are views of chunks, or fresh Uint8Arrays when
    // they straddle two), so every chunk is viewed as a plain Uint8Array.
    if (Object.getPrototypeOf(chunk) !== Uint8Array.prototype) chunk = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.rawBytes += chunk.length;
    if (this.head !== null) {
      let joined = chunk;
      if (this.head.length > 0) {
        joined = new Uint8Array(this.head.length + chunk.length);
        joined.set(this.head);
        joined.set(chunk, this.head.length);
      }
      if (joined.length < 2) {
        this.head = joined.slice();
        return;
      }
      this.head = null;
      if (joined[0] === 0x1f && joined[1] === 0x8b) {
        this.gunzip = new Gunzip((data) => this.pushText(data));
      }
      chunk = joined;
    }
    this.pushDecoded(chunk, false);
  }

  private pushDecoded(chunk: Uint8Array, final: boolean): void {
    if (this.gunzip === null) {
      this.pushText(chunk);
      return;
    }
    if (this.gzipFailure !== null) return;
    try {
      // fflate keeps a view of the input it has not inflated yet; the caller may reuse its chunk.
      this.gunzip.push(chunk.slice(), final);
    } catch (error) {
      this.gzipFailure = error instanceof Error ? error.message : String(error);
    }
  }

  /** Decompressed bytes: decides JSONL vs array on the first non-space byte, then splits. */
  private pushText(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.textBytes += chunk.length;
    if (this.kind === Kind.Unknown) {
      this.sniffed.push(chunk);
      this.sniffedBytes += chunk.length;
      const all = this.sniffedBytes === chunk.length ? chunk : this.joinSniffed();
      const bom = all[0] === 0xef && (all.length < 2 || all[1] === 0xbb) && (all.length < 3 || all[2] === 0xbf);
      let i = bom ? 3 : 0;
      while (i < all.length && isSpace(all[i])) i++;
      if (i >= all.length) {
        if (all === chunk) this.sniffed = [chunk.slice()]; // the caller may reuse its chunk
        return;
      }
      this.sniffed = [];
      this.sniffedBytes = 0;
      this.startKind(all[i] === 0x5b ? Kind.Array : Kind.Lines);
      chunk = all;
    }
    if (this.lines !== null) this.lines.push(chunk, this.onLine);
    else this.array?.push((this.streamDecoder as TextDecoder).decode(chunk, { stream: true }));
  }

  private joinSniffed(): Uint8Array {
    const out = new Uint8Array(this.sniffedBytes);
    let at = 0;
    for (const piece of this.sniffed) {
      out.set(piece, at);
      at += piece.length;
    }
    this.sniffed = [out];
    return out;
  }

  private startKind(kind: Kind): void {
    this.kind = kind;
    if (kind === Kind.Lines) {
      this.lines = this.scanner?.lineSplitter() ?? new ByteLineSplitter();
    } else {
      this.streamDecoder = new TextDecoder('utf-8');
      this.array = new JsonArraySplitter(this.onElement, (index, reason) => this.skips.add(index, reason));
    }
  }

  private readonly onLine = (bytes: Uint8Array, line: number, terminated: boolean): void => {
    this.lastLine = line;
    if (bytes.length === 0) return;
    if (!this.scanner?.scan(bytes)) {
      const reason = this.readRecord(this.decoder.decode(bytes), terminated);
      if (reason !== null) this.skips.add(line, reason);
    }
    if (this.sink.samples === 1 && this.options.expectedBytes !== undefined && !this.sized) this.sizeColumns(bytes.length + 1, this.options.expectedBytes);
  };

  /** After the first record: rows for a file of `total` bytes whose lines are about `lineBytes` long (plain files only). */
  private sizeColumns(lineBytes: number, total: number): void {
    this.sized = true;
    if (this.gunzip !== null) return;
    this.sink.columns.reserveRows((total / lineBytes) * 1.05 + 1, total);
  }

  private readonly onElement = (text: string, index: number, line: number, complete: boolean): void => {
    this.lastLine = index;
    const reason = this.readRecord(text, complete);
    if (reason !== null) this.skips.add(index, `${reason} (record starts on line ${line})`);
  };

  /** Parses and stores one record's text; returns why it was skipped, or null (blank text is silently ignored). */
  private readRecord(text: string, complete: boolean): string | null {
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
    return this.sink.add(record);
  }

  /**
   * Ends the file and returns the Run. Throws RunReadError when the file cannot be
   * decoded (bad gzip with nothing readable before the damage) or holds no usable
   * record (empty, or every line skipped). Calling it again returns the same Run.
   */
  finish(): Run {
    if (this.run !== null) return this.run;
    if (this.head !== null && this.head.length > 0) {
      const head = this.head;
      this.head = null;
      this.pushDecoded(head, false);
    }
    if (this.gunzip !== null) this.pushDecoded(new Uint8Array(0), true);
    if (this.kind === Kind.Unknown && this.sniffedBytes > 0) {
      // Only spaces (and maybe a BOM) came: treat as lines so blank input reads as empty.
      const all = this.joinSniffed();
      this.sniffed = [];
      this.startKind(Kind.Lines);
      this.lines?.push(all, this.onLine);
    }
    if (this.lines !== null) this.lines.finish(this.onLine);
    this.scanner?.release();
    if (this.array !== null) {
      this.array.push((this.streamDecoder as TextDecoder).decode());
      this.array.finish();
    }
    const samples = this.sink.samples;
    if (this.gzipFailure !== null) {
      if (samples === 0) throw new RunReadError(`${this.file}: cannot be decoded as gzip (${this.gzipFailure})`);
      this.skips.add(this.lastLine + 1, `gzip data is damaged or cut short here (${this.gzipFailure}); the rest of the file was not read`);
    }
    if (samples === 0) throw this.noRecordError();
    const columns = this.sink.columns.finish();
    this.run = {
      id: this.options.id ?? hashId(`${this.file}\u0000${this.rawBytes}`),
      name: this.options.name ?? baseName(this.file),
      file: this.file,
      meta: parseRunPath(this.file),
      sampleCount: columns.sampleCount,
      layerCount: columns.layerCount,
      modules: columns.modules,
      stats: columns.stats,
      values: columns.values,
      loss: columns.loss,
      texts: this.sink.texts.finish(),
      skipped: this.skips.entries(),
      bytes: this.textBytes,
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
export function parseRun(file: string, bytes: Uint8Array, options?: RunParserOptions): Run {
  const parser = new RunParser(file, options);
  parser.push(bytes);
  return parser.finish();
}
