/**
 * Gzip in bounded steps: fflate inflates whatever it is given in one call, and a few KB
 * of a gzip bomb inflate to megabytes, so input is handed to it in slices sized from
 * the last slice's ratio (each step gives at most ~4 MB of text). A reader drives the
 * steps and may stop between any two. fflate checks no checksum: the text's CRC-32 and
 * size are checked here against the gzip's trailer, so damage that still inflates is
 * not taken for data.
 */
import { Gunzip } from 'fflate';

/** Text a step aims at; a step gives at most ~max(STEP_TEXT_BYTES, 1032 × MIN_SLICE) (deflate's densest ratio). */
const STEP_TEXT_BYTES = 4 << 20;
const MIN_SLICE = 4096;
const MAX_SLICE = 1 << 20;

/** CRC-32 (gzip's polynomial) by slicing four bytes at a time: four 256-entry tables. */
const CRC_TABLES = (() => {
  const t = new Int32Array(4 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  for (let n = 0; n < 256; n++) for (let k = 1; k < 4; k++) t[k * 256 + n] = t[(k - 1) * 256 + n] >>> 8 ^ t[t[(k - 1) * 256 + n] & 0xff];
  return t;
})();

/** The CRC-32 of `bytes` continued from `crc` (0 for a fresh one). */
export function crc32(bytes: Uint8Array, crc = 0): number {
  const t = CRC_TABLES;
  let c = ~crc;
  let i = 0;
  for (const n = bytes.length - 3; i < n; i += 4) {
    c ^= bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    c = t[768 + (c & 0xff)] ^ t[512 + ((c >>> 8) & 0xff)] ^ t[256 + ((c >>> 16) & 0xff)] ^ t[c >>> 24];
  }
  for (; i < bytes.length; i++) c = t[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/** Streaming gunzip: `steps(chunk)` for each chunk of the file, then `finish()`. */
export class GzipStream {
  /** Compressed bytes inflated so far without error. */
  consumed = 0;
  /** Why inflating failed (damaged or cut-short data), with the compressed offset in `consumed`; null while it goes well. */
  failure: string | null = null;
  /** After finish(): false when the gzip's checksum or size does not match the text read (damage that still inflated). */
  intact = true;
  private readonly gunzip: Gunzip;
  private produced = 0;
  private crc = 0;
  /** The last 8 compressed bytes (the trailer, at the end) and whether the file has more than one gzip member. */
  private tail = new Uint8Array(0);
  private members = 1;
  /** Text bytes per compressed byte in the last slice: assume the worst until one is seen. */
  private ratio = 1032;

  /** `onText` receives each piece of text as it is inflated (valid during the call). */
  constructor(onText: (text: Uint8Array) => void) {
    this.gunzip = new Gunzip((text) => {
      this.produced += text.length;
      this.crc = crc32(text, this.crc);
      onText(text);
    });
    this.gunzip.onmember = () => this.members++;
  }

  /** Inflates `chunk`, one bounded slice per step; nothing more after a failure. */
  *steps(chunk: Uint8Array): Generator<void, void, undefined> {
    for (let at = 0; at < chunk.length && this.failure === null; ) {
      const size = Math.max(MIN_SLICE, Math.min(MAX_SLICE, Math.floor(STEP_TEXT_BYTES / this.ratio)));
      // fflate keeps a view of input it has not inflated yet: give it a copy, the caller may reuse its chunk.
      const slice = chunk.slice(at, at + size);
      at += slice.length;
      const tail = new Uint8Array(Math.min(8, this.tail.length + slice.length));
      tail.set(this.tail.subarray(this.tail.length + slice.length - tail.length));
      tail.set(slice.subarray(Math.max(0, slice.length - tail.length)), tail.length - Math.min(tail.length, slice.length));
      this.tail = tail;
      this.push(slice, false);
      yield;
    }
  }

  /** Ends the data: a stream cut short sets `failure`; one whose trailer disagrees with the text read clears `intact`. */
  finish(): void {
    this.push(new Uint8Array(0), true);
    if (this.failure !== null || this.members > 1 || this.tail.length < 8) return;
    const view = new DataView(this.tail.buffer, this.tail.byteOffset, 8);
    this.intact = view.getUint32(0, true) === this.crc && view.getUint32(4, true) === this.produced % 2 ** 32;
  }

  private push(slice: Uint8Array, final: boolean): void {
    if (this.failure !== null) return;
    const before = this.produced;
    try {
      this.gunzip.push(slice, final);
    } catch (error) {
      this.failure = error instanceof Error ? error.message : String(error);
      return;
    }
    this.consumed += slice.length;
    if (slice.length > 0) this.ratio = Math.max(1, (this.produced - before) / slice.length);
  }
}
