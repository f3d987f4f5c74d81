/**
 * The WebAssembly line tokenizer (wasm/tape.ts, checked in as base64 by
 * `npm run build:wasm`) seen from JavaScript: a line's bytes in, a tape of its members
 * out (see the kernel's header for the layout), numbers converted exactly. Compiled
 * synchronously, so the reader stays synchronous in Node, workers and tests.
 */
import { compileWasm, instantiateWasm } from '../wasmModule.ts';
import { TAPE_WASM } from './tapeWasm.ts';

/** What a tape entry holds (the kernel's kind codes, wasm/format.ts). */
export const enum TapeKind {
  String = 1,
  StringEscaped = 2,
  Number = 3,
  SlowNumber = 4,
  Object = 5,
  Array = 6,
  Raw = 7,
  RawUnicode = 8,
}

/** i32 words per tape entry: key id, kind, start, end, count. */
export const ENTRY_WORDS = 5;
/** Entries of a line the kernel remembers the shape of (and scatters); longer lines never repeat a shape. */
export const SHAPE_ENTRIES = 16384;
/** Lines longer than this are left to the plain path (the tape would take ~7 bytes per line byte). */
export const MAX_LINE_BYTES = 16 << 20;
/** An instance whose memory grew past this is not kept for the next file. */
const MAX_KEPT_MEMORY = 64 << 20;

interface Kernel {
  memory: WebAssembly.Memory;
  prepare(length: number): number;
  scan(length: number): number;
  findLineEnds(from: number, length: number): number;
  tapeStart(): number;
  valuesStart(): number;
  scatterStart(): number;
  outStart(): number;
  scatter(count: number, offset: number): void;
  outSlots(): number;
  keyStart(id: number): number;
  keyLength(id: number): number;
  sameShape(): number;
  keepAsText(id: number): void;
  reset(): void;
  slowNumbers(): number;
}

let compiled: WebAssembly.Module | null | undefined;
/** Instances given back, for the next files of this thread. */
const released: Tape[] = [];
const MAX_RELEASED = 4;

/** The compiled kernel, or null where WebAssembly is missing or refuses it (a CSP without wasm-unsafe-eval, say). */
function kernelModule(): WebAssembly.Module | null {
  if (compiled === undefined) compiled = compileWasm(TAPE_WASM);
  return compiled;
}

/** One kernel instance: key ids are the instance's own, so one file reads through it at a time. */
export class Tape {
  /** The kernel's memory as bytes, i32 words and doubles (views made again when it grows). */
  bytes = new Uint8Array(0);
  ints = new Int32Array(0);
  values = new Float64Array(0);
  /** Entry e's words start at `ints[intBase + ENTRY_WORDS × e]`; its number is `values[valueBase + e]`. */
  intBase = 0;
  valueBase = 0;
  /** Where the line being read starts in `bytes` (entries' offsets count from there). */
  lineBase = 0;
  /** The scatter map: `ints[scatterBase + e]`; output slot s of scatter(): `values[outBase + s]`. */
  readonly scatterBase: number;
  readonly outBase: number;
  readonly outSlots: number;
  private readonly decoder = new TextDecoder('utf-8');

  private constructor(private readonly kernel: Kernel) {
    kernel.prepare(0); // lays the memory out
    this.views();
    this.scatterBase = kernel.scatterStart() / 4;
    this.outBase = kernel.outStart() / 8;
    this.outSlots = kernel.outSlots();
    // The output slots hold NaN but for the rows of a batch not yet written out (the
    // accelerator's flush puts NaN back), so a new plan starts on clean slots.
    this.values.fill(NaN, this.outBase, this.outBase + this.outSlots);
  }

  /**
   * An instance for one file: a released one (its keys forgotten) when there is one, else
   * a new one; null when WebAssembly is not available here. Reusing instances spares each
   * file a new WebAssembly memory and its first-touch page faults.
   */
  static create(): Tape | null {
    const idle = released.pop();
    if (idle !== undefined) {
      idle.kernel.reset();
      return idle;
    }
    const kernel = instantiateWasm<Kernel>(kernelModule());
    return kernel === null ? null : new Tape(kernel);
  }

  /** Gives the instance back for the next file (its owner must not use it again). */
  release(): void {
    if (released.length < MAX_RELEASED && !released.includes(this) && this.kernel.memory.buffer.byteLength <= MAX_KEPT_MEMORY) released.push(this);
  }

  /** Tokenizes one line (no terminator): the number of tape entries, or −1 when the line needs the plain path. */
  tokenize(line: Uint8Array): number {
    if (line.length > MAX_LINE_BYTES) return -1;
    const kernel = this.kernel;
    const start = kernel.prepare(line.length);
    if (start === 0) return -1;
    this.views();
    this.bytes.set(line, start);
    const count = kernel.scan(line.length);
    this.lineBase = start;
    this.intBase = kernel.tapeStart() / 4;
    this.valueBase = kernel.valuesStart() / 8;
    return count;
  }

  /** The offsets of the LFs in `chunk`, ascending (a copy); null when memory cannot hold the chunk. Forgets nothing of the last line's shape. */
  lineEnds(chunk: Uint8Array): Int32Array | null {
    const kernel = this.kernel;
    const start = kernel.prepare(chunk.length);
    if (start === 0) return null;
    this.views();
    this.bytes.set(chunk, start);
    const at = kernel.valuesStart() / 4;
    let ends = new Int32Array(0);
    for (let from = 0; from < chunk.length; ) {
      const count = kernel.findLineEnds(from, chunk.length);
      if (count === 0) break;
      const more = new Int32Array(ends.length + count);
      more.set(ends);
      more.set(this.ints.subarray(at, at + count), ends.length);
      ends = more;
      from = ends[ends.length - 1] + 1;
    }
    return ends;
  }

  /** True when the last line tokenized has the keys, kinds and member counts of the line before, entry for entry. */
  sameShape(): boolean {
    return this.kernel.sameShape() === 1;
  }

  /** From the next line on, top-level key `id`'s object is one Raw entry: its text is kept, its members are not tokenized. */
  keepAsText(id: number): void {
    this.kernel.keepAsText(id);
  }

  /** How many of the last line's numbers the kernel left to JavaScript (SlowNumber entries). */
  slowNumbers(): number {
    return this.kernel.slowNumbers();
  }

  /** Copies the last line's numbers to output slot `ints[scatterBase + e]` + `offset` (−1 in the map: none), in entry order. */
  scatter(count: number, offset: number): void {
    this.kernel.scatter(count, offset);
  }

  /** The text of key `id`. */
  key(id: number): string {
    const start = this.kernel.keyStart(id);
    return this.decoder.decode(this.bytes.subarray(start, start + this.kernel.keyLength(id)));
  }

  /** Views of the kernel's memory, made again after it grew. */
  private views(): void {
    const buffer = this.kernel.memory.buffer;
    if (this.bytes.buffer === buffer) return;
    this.bytes = new Uint8Array(buffer);
    this.ints = new Int32Array(buffer);
    this.values = new Float64Array(buffer);
  }
}
