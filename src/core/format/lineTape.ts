/**
 * The WebAssembly line tokenizer (wasm/lineTokens.ts) seen from JavaScript: a line's
 * bytes in, a tape of its members out (see the kernel's header for the layout), numbers
 * converted exactly. The record scanner maps the tape to columns; lines the kernel leaves
 * alone (it returns −1) take the JavaScript scanner and then the general path.
 */
import { POWERS_OF_TEN } from './decimal.ts';
import { LINE_TOKENS_WASM } from './lineTokensWasm.ts';

/** What a tape entry holds (the kernel's kind codes). */
export const enum TapeKind {
  String = 1,
  StringEscaped = 2,
  Number = 3,
  SlowNumber = 4,
  Object = 5,
}

/** i32 words per tape entry: key id, kind, start, end, count. */
export const ENTRY_WORDS = 5;

interface Kernel {
  memory: WebAssembly.Memory;
  powerTable(): number;
  prepare(length: number): number;
  tapeStart(): number;
  valuesStart(): number;
  keyStart(id: number): number;
  keyLength(id: number): number;
  scan(length: number): number;
  sameShape(): number;
  slowNumbers(): number;
}

let compiled: WebAssembly.Module | null | undefined;

/** The compiled kernel, or null where WebAssembly is missing or refuses it (then the JavaScript scanner reads every line). */
function kernelModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(Uint8Array.from(atob(LINE_TOKENS_WASM), (c) => c.charCodeAt(0)));
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** One kernel instance: key ids are the instance's own, so each file gets one. */
export class LineTape {
  /** The tape's words: entry e starts at `intBase + ENTRY_WORDS × e`. */
  ints = new Int32Array(0);
  /** Numbers: entry e's value is `values[valueBase + e]`. */
  values = new Float64Array(0);
  intBase = 0;
  valueBase = 0;
  private bytes = new Uint8Array(0);
  private readonly decoder = new TextDecoder('utf-8');

  private constructor(private readonly kernel: Kernel) {
    kernel.prepare(0);
    this.views();
    const at = kernel.powerTable() / 8;
    const count = POWERS_OF_TEN.high.length;
    this.values.set(POWERS_OF_TEN.high, at);
    this.values.set(POWERS_OF_TEN.low, at + count);
  }

  /** A new instance, or null when WebAssembly is not available here. */
  static create(): LineTape | null {
    const module = kernelModule();
    if (module === null) return null;
    try {
      return new LineTape(new WebAssembly.Instance(module, {}).exports as unknown as Kernel);
    } catch {
      return null;
    }
  }

  /** Tokenizes one line (no terminator). Returns the number of tape entries, or −1 when the line needs the JavaScript paths. */
  tokenize(line: Uint8Array): number {
    const kernel = this.kernel;
    const at = kernel.prepare(line.length);
    if (at === 0) return -1;
    this.views();
    this.bytes.set(line, at);
    const count = kernel.scan(line.length);
    this.intBase = kernel.tapeStart() / 4;
    this.valueBase = kernel.valuesStart() / 8;
    return count;
  }

  /** True when the last line tokenized has the keys, kinds and member counts of the line before, entry for entry. */
  sameShape(): boolean {
    return this.kernel.sameShape() === 1;
  }

  /** How many of the last line's numbers the kernel left to JavaScript (SlowNumber entries). */
  slowNumbers(): number {
    return this.kernel.slowNumbers();
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
