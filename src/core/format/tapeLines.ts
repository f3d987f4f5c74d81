/**
 * Splits a JSONL byte stream into lines inside the WebAssembly kernel's memory, so the
 * tokenizer reads each line where it lies: chunks are copied in once, line ends are
 * found eight bytes at a time, and no line is copied again (ByteLineSplitter's
 * `indexOf` and the per-line copy cost about as much as tokenizing). Same contract as
 * ByteLineSplitter; the lines it passes are views valid only during the call.
 */
import type { LineHandler, LineSplitter } from './byteLines.ts';
import type { LineTape } from './lineTape.ts';

const CR = 0x0d;
/** Chunks are copied in slices of at most this many bytes, so the region stays small whatever the caller pushes. */
const SLICE = 1 << 22;

/** A LineSplitter over a LineTape's bytes region. */
export class TapeLineSplitter implements LineSplitter {
  /** Bytes of the unfinished line, kept at the region's start. */
  private pending = 0;
  private lineNumber = 0;

  constructor(private readonly tape: LineTape) {}

  push(chunk: Uint8Array, onLine: LineHandler): void {
    for (let at = 0; at < chunk.length; at += SLICE) this.pushSlice(chunk.subarray(at, Math.min(chunk.length, at + SLICE)), onLine);
  }

  finish(onLine: LineHandler): void {
    if (this.pending === 0) return;
    const start = this.tape.region(this.pending);
    const length = this.pending;
    this.pending = 0;
    this.deliver(start, start + length, false, onLine);
  }

  private pushSlice(slice: Uint8Array, onLine: LineHandler): void {
    const tape = this.tape;
    const base = tape.region(this.pending + slice.length);
    tape.bytes.set(slice, base + this.pending);
    const limit = base + this.pending + slice.length;
    let start = base;
    for (;;) {
      const end = tape.findLineEnd(start, limit);
      if (end === 0) break;
      this.deliver(start, end, true, onLine);
      start = end + 1;
    }
    tape.bytes.copyWithin(base, start, limit);
    this.pending = limit - start;
  }

  private deliver(start: number, end: number, terminated: boolean, onLine: LineHandler): void {
    if (end > start && this.tape.bytes[end - 1] === CR) end--;
    onLine(this.tape.line(start, end - start), ++this.lineNumber, terminated);
  }
}
