/**
 * Bytes → lines: a JSONL byte stream split at LF without decoding it first (an LF never
 * falls inside a UTF-8 character, so each line decodes on its own). Chunks may end
 * anywhere: mid-line, mid-character, between CR and LF. Each byte is looked at once;
 * a line longer than the budget is dropped as it streams, never held whole.
 */

/**
 * Receives one line without its terminator (a trailing CR removed), or null for a line
 * longer than the budget; its 1-based number; whether an LF ended it. Blank lines
 * (nothing between two LFs) are counted but not passed. The bytes are valid only during
 * the call.
 */
export type LineHandler = (line: Uint8Array | null, lineNumber: number, terminated: boolean) => void;

const LF = 0x0a;
const CR = 0x0d;

function withoutCr(line: Uint8Array): Uint8Array {
  return line.length > 0 && line[line.length - 1] === CR ? line.subarray(0, line.length - 1) : line;
}

/** Streaming LF splitter: `push` chunks (cut anywhere), then `finish`. */
export class LineSplitter {
  /** Lines passed or counted so far. */
  lineNumber = 0;
  /** Bytes of text up to the end of the last line passed (its terminator included). */
  offset = 0;
  /** Bytes pushed before the current chunk. */
  private consumed = 0;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  /** Bytes of the current line are being dropped (it passed the budget). */
  private dropping = false;

  /**
   * `maxLineBytes`: lines longer than this (terminator excluded) are passed as null.
   * `lineEnds`: a faster finder of a chunk's LFs (the accelerator's), or null where
   * there is none; it may also give up on a chunk (null).
   */
  constructor(
    private readonly maxLineBytes: number,
    private readonly lineEnds: ((chunk: Uint8Array) => ArrayLike<number> | null) | null = null,
  ) {}

  /** Feeds a chunk; calls `onLine` for each line it completes. Keeps (a copy of) only the unfinished line, so the caller may reuse the chunk. */
  push(chunk: Uint8Array, onLine: LineHandler): void {
    const ends = this.lineEnds?.(chunk) ?? null;
    const n = chunk.length;
    let start = 0;
    for (let k = 0; ; k++) {
      const end = ends === null ? chunk.indexOf(LF, start) : k < ends.length ? ends[k] : -1;
      if (end === -1) break;
      if (end === start && this.pendingBytes === 0 && !this.dropping) {
        // A blank line: counted, not passed.
        this.lineNumber++;
        start = end + 1;
        continue;
      }
      this.keep(chunk.subarray(start, end));
      this.offset = this.consumed + end + 1;
      this.pass(chunk, start, end, onLine);
      start = end + 1;
    }
    this.offset = Math.max(this.offset, this.consumed + start);
    if (start < n && !this.dropping) this.keep(chunk.slice(start));
    this.consumed += n;
  }

  /** Counts `lines` blank lines and `bytes` bytes of text that came before the first chunk (a reader that skipped them). */
  skip(lines: number, bytes: number): void {
    this.lineNumber += lines;
    this.consumed += bytes;
    this.offset = this.consumed;
  }

  /** Ends the stream: an unterminated last line (if any bytes) is passed with `terminated` false. */
  finish(onLine: LineHandler): void {
    this.offset = this.consumed;
    if (this.dropping) {
      this.dropping = false;
      onLine(null, ++this.lineNumber, false);
    } else if (this.pendingBytes > 0) {
      onLine(withoutCr(this.join()), ++this.lineNumber, false);
    }
  }

  /** Holds bytes of the unfinished line (a view only when pass() takes it before push returns), or starts dropping it. */
  private keep(piece: Uint8Array): void {
    if (this.dropping) return;
    if (this.pendingBytes + piece.length > this.maxLineBytes) {
      this.pending = [];
      this.pendingBytes = 0;
      this.dropping = true;
      return;
    }
    this.pending.push(piece);
    this.pendingBytes += piece.length;
  }

  /** Passes the line ending at chunk[end] (an LF). */
  private pass(chunk: Uint8Array, start: number, end: number, onLine: LineHandler): void {
    const number = ++this.lineNumber;
    if (this.dropping) {
      this.dropping = false;
      onLine(null, number, true);
      return;
    }
    const line = this.pending.length === 1 ? chunk.subarray(start, end) : this.join();
    this.pending = [];
    this.pendingBytes = 0;
    onLine(withoutCr(line), number, true);
  }

  /** The pending pieces as one array (a copy). */
  private join(): Uint8Array {
    const out = new Uint8Array(this.pendingBytes);
    let at = 0;
    for (const piece of this.pending) {
      out.set(piece, at);
      at += piece.length;
    }
    this.pending = [];
    this.pendingBytes = 0;
    return out;
  }
}
