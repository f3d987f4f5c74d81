/**
 * The WebAssembly line tokenizer (wasm/lineTokens.ts) seen from JavaScript: a line's
 * bytes in, a tape of its members out (see the kernel's header for the layout), numbers
 * converted exactly. Lines are read in place when they lie in the kernel's bytes region
 * (tapeLines.ts puts a file's chunks there), else copied in. The record scanner maps the
 * tape to columns; lines the kernel leaves alone (−1) take the JavaScript scanner.
 */
import { POWERS_OF_TEN } from './decimal.ts';
import { LINE_TOKENS_WASM } from './lineTokensWasm.ts';
import { compileWasm, instantiateWasm } from './wasmModule.ts';

/** What a tape entry holds (the kernel's kind codes). */
export const enum TapeKind {
  String = 1,
  StringEscaped = 2,
  Number = 3,
  SlowNumber = 4,
  Object = 5,
}

/** scanAt(): the line runs into the limit with no LF yet. */
export const INCOMPLETE = -3;

/** i32 words per tape entry: key id, kind, start, end, count. */
export const ENTRY_WORDS = 5;
/** Entries of a line the kernel remembers the shape of (and scatters); longer lines never repeat a shape. */
export const SHAPE_ENTRIES = 16384;

interface Kernel {
  memory: WebAssembly.Memory;
  powerTable(): number;
  prepare(length: number): number;
  reserve(length: number): number;
  findLineEnd(from: number, limit: number): number;
  tapeStart(): number;
  valuesStart(): number;
  scatterStart(): number;
  outStart(): number;
  scatter(count: number, offset: number): void;
  outSlots(): number;
  keyStart(id: number): number;
  keyLength(id: number): number;
  scan(start: number, limit: number, final: number): number;
  lineEnd(): number;
  sameShape(): number;
  reset(): void;
  slowNumbers(): number;
}

let compiled: WebAssembly.Module | null | undefined;
/** Instances given back, for the next files of this thread. */
const released: LineTape[] = [];
const MAX_RELEASED = 4;

/** The compiled kernel, or null where WebAssembly is missing or refuses it (then the JavaScript scanner reads every line). */
function kernelModule(): WebAssembly.Module | null {
  if (compiled === undefined) compiled = compileWasm(LINE_TOKENS_WASM);
  return compiled;
}

/** One kernel instance: key ids are the instance's own, so one file reads through it at a time. */
export class LineTape {
  /** The kernel's memory as bytes (the bytes region starts where region() says). */
  bytes = new Uint8Array(0);
  /** The tape's words: entry e starts at `intBase + ENTRY_WORDS × e`; the scatter map at `scatterBase`. */
  ints = new Int32Array(0);
  /** Numbers: entry e's value is `values[valueBase + e]`; output slot s of scatter() is `values[outBase + s]`. */
  values = new Float64Array(0);
  intBase = 0;
  valueBase = 0;
  readonly scatterBase: number;
  readonly outBase: number;
  /** How many output slots scatter() has. */
  readonly outSlots: number;
  private readonly decoder = new TextDecoder('utf-8');
  private claimed: Uint8Array | null = null;
  private claimedCount = -1;

  private constructor(private readonly kernel: Kernel) {
    kernel.reserve(0);
    this.views();
    const at = kernel.powerTable() / 8;
    this.values.set(POWERS_OF_TEN.high, at);
    this.values.set(POWERS_OF_TEN.low, at + POWERS_OF_TEN.high.length);
    this.scatterBase = kernel.scatterStart() / 4;
    this.outBase = kernel.outStart() / 8;
    this.outSlots = kernel.outSlots();
  }

  /**
   * An instance for one file: a released one (its keys forgotten) when there is one, else
   * a new one; null when WebAssembly is not available here. Reusing instances spares each
   * file a new WebAssembly memory and its first-touch page faults.
   */
  static create(): LineTape | null {
    const idle = released.pop();
    if (idle !== undefined) {
      idle.kernel.reset();
      idle.claimed = null;
      return idle;
    }
    const kernel = instantiateWasm<Kernel>(kernelModule());
    return kernel === null ? null : new LineTape(kernel);
  }

  /** Gives the instance back for the next file (its owner must not use it again). */
  release(): void {
    if (released.length < MAX_RELEASED && !released.includes(this)) released.push(this);
  }

  /**
   * Tokenizes one line (no terminator). A line claim()ed by the splitter was tokenized
   * already; any other is copied to the bytes region's start. Returns the number of tape
   * entries, or −1 when the line needs the JavaScript paths.
   */
  tokenize(line: Uint8Array): number {
    if (line === this.claimed) return this.claimedCount;
    const kernel = this.kernel;
    const start = kernel.prepare(line.length);
    if (start === 0 || !kernel.reserve(line.length)) return -1;
    this.views();
    this.bytes.set(line, start);
    return this.scanAt(start, start + line.length, true);
  }

  /**
   * Tokenizes the line starting at `start` in the bytes region, in place, up to the first
   * LF or, when `final`, to `limit` (reserve room first). Returns the entry count (with
   * lineEnd()), −1 when the line needs the JavaScript paths (find its end with
   * findLineEnd()), or INCOMPLETE when it runs into `limit` and is not final.
   */
  scanAt(start: number, limit: number, final: boolean): number {
    const kernel = this.kernel;
    const count = kernel.scan(start, limit, final ? 1 : 0);
    this.intBase = kernel.tapeStart() / 4;
    this.valueBase = kernel.valuesStart() / 8;
    return count;
  }

  /** Where the line of the last successful scanAt() ended: its LF, or the limit of a final line. */
  lineEnd(): number {
    return this.kernel.lineEnd();
  }

  /** Marks `line` (a view of the bytes region) as the one scanAt() just read with this result, so tokenize(line) returns it. */
  claim(line: Uint8Array, count: number): void {
    this.claimed = line;
    this.claimedCount = count;
  }

  /** Makes the bytes region hold `length` bytes (keeping what it holds) and returns its start; throws when memory cannot grow. */
  region(length: number): number {
    const start = this.kernel.prepare(length);
    if (start === 0) throw new RangeError(`cannot hold ${length} bytes in WebAssembly memory`);
    this.views();
    return start;
  }

  /** Makes the tape hold the entries of `length` bytes of lines (views made before are stale when memory grew); false when it cannot. */
  reserve(length: number): boolean {
    const ok = this.kernel.reserve(length) !== 0;
    this.views();
    return ok;
  }

  /** The first LF in bytes[from, limit), or 0. */
  findLineEnd(from: number, limit: number): number {
    return this.kernel.findLineEnd(from, limit);
  }

  /** True when the last line tokenized has the keys, kinds and member counts of the line before, entry for entry. */
  sameShape(): boolean {
    return this.kernel.sameShape() === 1;
  }

  /** How many of the last line's numbers the kernel left to JavaScript (SlowNumber entries). */
  slowNumbers(): number {
    return this.kernel.slowNumbers();
  }

  /** Copies the last line's numbers to output slot `ints[scatterBase + e]` + `offset` (−1 in the map: none), in entry order. */
  scatter(count: number, offset: number): void {
    this.kernel.scatter(count, offset);
  }

  /** The text of key `id` and its UTF-8 bytes (a copy). */
  key(id: number): { name: string; bytes: Uint8Array } {
    const start = this.kernel.keyStart(id);
    const bytes = this.bytes.slice(start, start + this.kernel.keyLength(id));
    return { name: this.decoder.decode(bytes), bytes };
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
