/**
 * Splits a byte stream into lines at LF without decoding it first: a line boundary can
 * never fall inside a UTF-8 character, so each line decodes on its own, and a chunk
 * may end anywhere (mid-line, mid-character, between CR and LF).
 */

/** Receives one line without its terminator (a trailing CR removed), its 1-based number, and whether an LF ended it. */
export type LineHandler = (line: Uint8Array, lineNumber: number, terminated: boolean) => void;

const LF = 0x0a;
const CR = 0x0d;

function withoutCr(line: Uint8Array): Uint8Array {
  return line.length > 0 && line[line.length - 1] === CR ? line.subarray(0, line.length - 1) : line;
}

/** A streaming LF splitter: `push` chunks (cut anywhere), then `finish`. */
export interface LineSplitter {
  /** Feeds a chunk; calls `onLine` for each line it completes. The chunk may be reused by the caller afterwards. */
  push(chunk: Uint8Array, onLine: LineHandler): void;
  /** Ends the stream: an unterminated last line (if any bytes) is passed with `terminated` false. */
  finish(onLine: LineHandler): void;
}

/** Streaming LF splitter; keeps only the unfinished line between pushes (copied, so callers may reuse chunks). */
export class ByteLineSplitter implements LineSplitter {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private lineNumber = 0;

  /** Feeds a chunk; calls `onLine` for each line it completes. Empty chunk → nothing. */
  push(chunk: Uint8Array, onLine: LineHandler): void {
    let start = 0;
    for (;;) {
      const end = chunk.indexOf(LF, start);
      if (end === -1) break;
      let line = chunk.subarray(start, end);
      if (this.pendingBytes > 0) {
        line = this.join(line);
      }
      onLine(withoutCr(line), ++this.lineNumber, true);
      start = end + 1;
    }
    if (start < chunk.length) {
      this.pending.push(chunk.slice(start));
      this.pendingBytes += chunk.length - start;
    }
  }

  /** Ends the stream: an unterminated last line (if any bytes) is passed with `terminated` false. */
  finish(onLine: LineHandler): void {
    if (this.pendingBytes === 0) return;
    onLine(withoutCr(this.join(new Uint8Array(0))), ++this.lineNumber, false);
  }

  private join(tail: Uint8Array): Uint8Array {
    const out = new Uint8Array(this.pendingBytes + tail.length);
    let at = 0;
    for (const piece of this.pending) {
      out.set(piece, at);
      at += piece.length;
    }
    out.set(tail, at);
    this.pending = [];
    this.pendingBytes = 0;
    return out;
  }
}
