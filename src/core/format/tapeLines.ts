/**
 * Splits a JSONL byte stream into lines inside the WebAssembly kernel's memory and
 * tokenizes each where it lies: chunks are copied in once, and the kernel finds a
 * line's end as it reads it (ByteLineSplitter's `indexOf` plus a copy per line cost
 * about as much as tokenizing). Lines the kernel leaves alone are found by an LF search.
 * Same contract as ByteLineSplitter; the lines it passes are views valid only during
 * the call, and each comes already tokenized (LineTape.claim).
 */
import type { LineHandler, LineSplitter } from './byteLines.ts';
import { INCOMPLETE, type LineTape } from './lineTape.ts';

const CR = 0x0d;
/** Chunks are copied in slices of at most this many bytes (the tape is sized for a slice). */
const SLICE = 1 << 20;

/** A LineSplitter over a LineTape's bytes region. */
export class TapeLineSplitter implements LineSplitter {
  /** Bytes of the unfinished line, kept at the region's start. */
  private pending = 0;
  private lineNumber = 0;

  constructor(
    private readonly tape: LineTape,
    private readonly slice = SLICE,
  ) {}

  push(chunk: Uint8Array, onLine: LineHandler): void {
    for (let at = 0; at < chunk.length; at += this.slice) this.pushSlice(chunk.subarray(at, Math.min(chunk.length, at + this.slice)), onLine, false);
  }

  finish(onLine: LineHandler): void {
    if (this.pending > 0) this.pushSlice(new Uint8Array(0), onLine, true);
  }

  /** Appends a slice to the unfinished line and passes on every line it completes (and, when final, the rest). */
  private pushSlice(slice: Uint8Array, onLine: LineHandler, final: boolean): void {
    const tape = this.tape;
    const base = tape.region(this.pending + slice.length);
    tape.bytes.set(slice, base + this.pending);
    const limit = base + this.pending + slice.length;
    const room = tape.reserve(limit - base);
    let start = base;
    while (start < limit) {
      let count = room ? tape.scanAt(start, limit, final) : -1;
      if (count === INCOMPLETE) break;
      let end: number;
      if (count >= 0) end = tape.lineEnd();
      else {
        end = tape.findLineEnd(start, limit);
        if (end === 0) {
          if (!final) break;
          end = limit;
        }
        count = -1;
      }
      const terminated = end < limit || !final;
      let stop = end;
      if (stop > start && tape.bytes[stop - 1] === CR) stop--;
      const line = tape.bytes.subarray(start, stop);
      tape.claim(line, count);
      onLine(line, ++this.lineNumber, terminated);
      start = end + 1;
    }
    if (final) {
      this.pending = 0;
      return;
    }
    tape.bytes.copyWithin(base, start, limit);
    this.pending = limit - start;
  }
}
