/**
 * Sample texts packed for a Run (see `SampleTexts` in run.ts): every sample's
 * instruction, input, output and extra-field JSON, UTF-8, one after another in one
 * buffer, with their end offsets. One buffer crosses a worker boundary and goes into
 * storage as one blob; a text is decoded only when a sample is opened.
 */
import type { SampleTexts } from './run.ts';

/** Texts per sample: instruction, input, output, extra-field JSON. */
export const TEXTS_PER_SAMPLE = 4;

const encoder = new TextEncoder();

/** Builds a SampleTexts sample by sample. */
export class TextPacker {
  private bytes = new Uint8Array(1024);
  private ends = new Uint32Array(64);
  private used = 0;
  private count = 0;

  /** Number of texts added (TEXTS_PER_SAMPLE per sample). */
  get size(): number {
    return this.count;
  }

  /** Appends one text; throws RangeError when the texts would pass 4 GB (offsets are 32-bit). */
  add(text: string): void {
    this.append(text);
    this.end();
  }

  /** Appends to the text being written (ended by end()). */
  append(text: string): void {
    // Room for ASCII first; the rest of a text with wider characters (up to 3 bytes per UTF-16 unit) after.
    for (let at = 0; at < text.length; ) {
      this.reserve(at === 0 ? text.length : (text.length - at) * 3);
      const { read, written } = encoder.encodeInto(at === 0 ? text : text.slice(at), this.bytes.subarray(this.used));
      at += read;
      this.used += written;
    }
  }

  /** Appends UTF-8 bytes to the text being written. */
  appendBytes(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.bytes.set(bytes, this.used);
    this.used += bytes.length;
  }

  /** Ends the text being written. */
  end(): void {
    if (this.count === this.ends.length) {
      const ends = new Uint32Array(this.ends.length * 2);
      ends.set(this.ends);
      this.ends = ends;
    }
    this.ends[this.count++] = this.used;
  }

  /** Appends one sample's four texts. */
  addSample(instruction: string, input: string, output: string, extra: string): void {
    this.add(instruction);
    this.add(input);
    this.add(output);
    this.add(extra);
  }

  /**
   * Makes room for `samples` samples in all, taking the ones added so far as typical
   * (the reader knows a file's size after its first record): the buffers are then made
   * once, not doubled as they fill, and finish() hands out views rather than copies.
   */
  reserveSamples(samples: number): void {
    const added = this.count / TEXTS_PER_SAMPLE;
    if (added < 1 || samples <= added) return;
    this.reserve(Math.ceil((this.used / added) * (samples - added)));
    const texts = Math.ceil(samples) * TEXTS_PER_SAMPLE;
    if (texts > this.ends.length) {
      const ends = new Uint32Array(texts);
      ends.set(this.ends.subarray(0, this.count));
      this.ends = ends;
    }
  }

  /** The packed texts: views of the builder's buffers when little of them is unused, else compact copies. */
  finish(): SampleTexts {
    const fit = <T extends Uint8Array | Uint32Array>(a: T, n: number): T => (a.length - n <= a.length / 8 ? (a.subarray(0, n) as T) : (a.slice(0, n) as T));
    return { bytes: fit(this.bytes, this.used), ends: fit(this.ends, this.count) };
  }

  private reserve(extra: number): void {
    const need = this.used + extra;
    if (need <= this.bytes.length) return;
    if (need > 0xffffffff) throw new RangeError('sample texts would pass 4 GB');
    const bytes = new Uint8Array(Math.min(0xffffffff, Math.max(need, this.bytes.length * 2)));
    bytes.set(this.bytes.subarray(0, this.used));
    this.bytes = bytes;
  }
}

/** Packs texts given as objects (tests, hand-built runs); missing fields are ''. */
export function packTexts(samples: readonly { instruction?: string; input?: string; output?: string; extra?: string }[]): SampleTexts {
  const packer = new TextPacker();
  for (const s of samples) packer.addSample(s.instruction ?? '', s.input ?? '', s.output ?? '', s.extra ?? '');
  return packer.finish();
}
