/**
 * Gzip in bounded steps: fflate inflates whatever it is given in one call, and a few KB
 * of a gzip bomb inflate to megabytes, so input is handed to it in slices sized from
 * the last slice's ratio (each step gives at most ~4 MB of text). A reader drives the
 * steps and may stop between any two.
 */
import { Gunzip } from 'fflate';

/** Text a step aims at; a step gives at most ~max(STEP_TEXT_BYTES, 1032 × MIN_SLICE) (deflate's densest ratio). */
const STEP_TEXT_BYTES = 4 << 20;
const MIN_SLICE = 4096;
const MAX_SLICE = 1 << 20;

/** Streaming gunzip: `steps(chunk)` for each chunk of the file, then `finish()`. */
export class GzipStream {
  /** Compressed bytes inflated so far without error. */
  consumed = 0;
  /** Why inflating failed (damaged or cut-short data), with the compressed offset in `consumed`; null while it goes well. */
  failure: string | null = null;
  private readonly gunzip: Gunzip;
  private produced = 0;
  /** Text bytes per compressed byte in the last slice: assume the worst until one is seen. */
  private ratio = 1032;

  /** `onText` receives each piece of text as it is inflated (valid during the call). */
  constructor(onText: (text: Uint8Array) => void) {
    this.gunzip = new Gunzip((text) => {
      this.produced += text.length;
      onText(text);
    });
  }

  /** Inflates `chunk`, one bounded slice per step; nothing more after a failure. */
  *steps(chunk: Uint8Array): Generator<void, void, undefined> {
    for (let at = 0; at < chunk.length && this.failure === null; ) {
      const size = Math.max(MIN_SLICE, Math.min(MAX_SLICE, Math.floor(STEP_TEXT_BYTES / this.ratio)));
      // fflate keeps a view of input it has not inflated yet: give it a copy, the caller may reuse its chunk.
      const slice = chunk.slice(at, at + size);
      at += slice.length;
      this.push(slice, false);
      yield;
    }
  }

  /** Ends the data: a stream cut short sets `failure`. */
  finish(): void {
    this.push(new Uint8Array(0), true);
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
