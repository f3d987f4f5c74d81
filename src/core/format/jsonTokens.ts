/**
 * JSON tokens read straight from UTF-8 bytes, for the record scanner (recordScanner.ts):
 * keys through a per-position cache, strings, numbers and Python's bare NaN / Infinity
 * tokens, lists of numbers, and the extent of any other value. Each reader leaves the
 * index after what it read in `pos` (−1 when the bytes there were not what it reads).
 * Hand-written for the reason given in recordScanner.ts.
 */
import { NumberReader } from './decimal.ts';

export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const COLON = 0x3a;
export const COMMA = 0x2c;
export const LBRACE = 0x7b;
export const RBRACE = 0x7d;
export const LBRACKET = 0x5b;
export const RBRACKET = 0x5d;
export const MINUS = 0x2d;
export const SPACE = 0x20;
export const ZERO = 0x30;
export const NINE = 0x39;
export const UPPER_N = 0x4e;
export const UPPER_I = 0x49;
export const LOWER_N = 0x6e;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Index of the first non-space byte from i (JSON's four spaces; every other byte, and the end, stops it). */
export function skipSpace(b: Uint8Array, i: number): number {
  if (b[i] > 0x20) return i;
  while (isSpace(b[i])) i++;
  return i;
}

/** True when `bytes` sit at b[i…] and a quote follows them; compares four bytes at a time (keys are most of a line's non-numeric bytes). */
function matchesKey(b: Uint8Array, view: DataView, i: number, bytes: Uint8Array, words: Uint32Array): boolean {
  const len = bytes.length;
  if (b[i + len] !== QUOTE) return false;
  const whole = words.length;
  for (let w = 0; w < whole; w++) if (view.getUint32(i + 4 * w, true) !== words[w]) return false;
  for (let k = 4 * whole; k < len; k++) if (b[i + k] !== bytes[k]) return false;
  return true;
}

/** A key's bytes as little-endian 32-bit words (the whole ones; matchesKey compares the tail byte by byte). */
export function keyWords(bytes: Uint8Array): Uint32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Uint32Array.from({ length: Math.floor(bytes.length / 4) }, (_, w) => view.getUint32(4 * w, true));
}

/** A key the scanner resolved, with its bytes for the cache comparison. */
export interface ScannedKey {
  bytes: Uint8Array;
  words: Uint32Array;
}

/** Reads the tokens of one line after another; `line(b)` starts a line. */
export class TokenReader {
  /** Index after the last token read, or −1 when it was not there. */
  pos = 0;
  /** The numbers of the last numberList. */
  readonly list: number[] = [];
  private readonly numbers = new NumberReader();
  /** Keeps a leading U+FEFF: a field's text may start with one (the general path decodes whole lines, where it is not leading). */
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  /** The line's bytes as a DataView, for matchesKey. */
  private view: DataView = new DataView(new ArrayBuffer(0));

  /** Starts reading a line. */
  line(b: Uint8Array): void {
    this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }

  /** The text of b[start, end), for values handed to JSON.parse. */
  text(b: Uint8Array, start: number, end: number): string {
    return this.decoder.decode(b.subarray(start, end));
  }

  /** `[n, n, …]` of numbers, bare tokens and nulls (as NaN, as the general path reads them) into `this.list`; false on anything else. */
  numberList(b: Uint8Array, start: number): boolean {
    const list = this.list;
    list.length = 0;
    let i = skipSpace(b, start + 1);
    if (b[i] === RBRACKET) {
      this.pos = i + 1;
      return true;
    }
    for (;;) {
      const value = this.scalar(b, i);
      if (this.pos < 0) return false;
      list.push(value);
      i = skipSpace(b, this.pos);
      if (b[i] === COMMA) {
        i = skipSpace(b, i + 1);
        continue;
      }
      if (b[i] !== RBRACKET) return false;
      this.pos = i + 1;
      return true;
    }
  }

  /** A number, `NaN`, `Infinity`, `-Infinity` or `null` (as NaN); `this.pos` is −1 when there is none. */
  scalar(b: Uint8Array, i: number): number {
    const c = b[i];
    if ((c >= ZERO && c <= NINE) || (c === MINUS && b[i + 1] !== UPPER_I)) {
      const value = this.numbers.read(b, i);
      this.pos = this.numbers.end;
      return value;
    }
    if (c === UPPER_N && b[i + 1] === 0x61 && b[i + 2] === UPPER_N) {
      this.pos = i + 3;
      return NaN;
    }
    if (c === LOWER_N && b[i + 1] === 0x75 && b[i + 2] === 0x6c && b[i + 3] === 0x6c) {
      this.pos = i + 4;
      return NaN;
    }
    const negative = c === MINUS;
    const at = negative ? i + 1 : i;
    if (b[at] === UPPER_I && this.isInfinity(b, at)) {
      this.pos = at + 8;
      return negative ? -Infinity : Infinity;
    }
    this.pos = -1;
    return NaN;
  }

  private isInfinity(b: Uint8Array, i: number): boolean {
    // "Infinity"
    return b[i + 1] === 0x6e && b[i + 2] === 0x66 && b[i + 3] === 0x69 && b[i + 4] === 0x6e && b[i + 5] === 0x69 && b[i + 6] === 0x74 && b[i + 7] === 0x79;
  }

  /** A string literal's value; null when it is unterminated or not valid JSON. */
  string(b: Uint8Array, start: number): string | null {
    let escaped = false;
    let j = start + 1;
    for (;;) {
      const c = b[j];
      if (c === QUOTE) break;
      if (c === undefined || c < 0x20) return null;
      if (c === BACKSLASH) {
        escaped = true;
        j++;
      }
      j++;
    }
    this.pos = j + 1;
    if (!escaped) return this.decoder.decode(b.subarray(start + 1, j));
    try {
      return JSON.parse(this.decoder.decode(b.subarray(start, j + 1))) as string;
    } catch {
      return null;
    }
  }

  /** Index just past the JSON value starting at `start` (its extent only; parsing checks it); −1 when it does not end in the line. */
  valueEnd(b: Uint8Array, start: number): number {
    let depth = 0;
    const n = b.length;
    for (let j = start; j < n; j++) {
      const c = b[j];
      if (c === QUOTE) {
        for (j++; j < n && b[j] !== QUOTE; j++) if (b[j] === BACKSLASH) j++;
        if (j >= n) return -1;
        if (depth === 0) return j + 1;
      } else if (c === LBRACE || c === LBRACKET) depth++;
      else if (c === RBRACE || c === RBRACKET) {
        if (depth === 0) return j;
        if (--depth === 0) return j + 1;
      } else if (c === COMMA && depth === 0) return j;
    }
    return -1;
  }

  /**
   * The key at b[i] (a quote), through a slot cache: the key met at this position of
   * the last lines when its bytes match (no decoding), else `resolve` of its text, which
   * then takes the slot. Null when the key needs the general path.
   */
  key<K extends { bytes: Uint8Array; words: Uint32Array }>(b: Uint8Array, i: number, slots: (K | undefined)[], slot: number, resolve: (name: string, bytes: Uint8Array) => K | null): K | null {
    if (b[i] !== QUOTE) return null;
    const cached = slots[slot];
    if (cached !== undefined && matchesKey(b, this.view, i + 1, cached.bytes, cached.words)) {
      this.pos = i + 2 + cached.bytes.length;
      return cached;
    }
    const name = this.keyName(b, i);
    if (name === null) return null;
    const key = resolve(name, b.slice(i + 1, this.pos - 1));
    if (key !== null) slots[slot] = key;
    return key;
  }

  /**
   * The text of a key with no escapes whose first character is not a digit (JSON.parse
   * would move integer-like keys to the front, which the scanner does not copy); sets
   * `this.pos` past the closing quote. Null otherwise.
   */
  keyName(b: Uint8Array, i: number): string | null {
    const first = b[i + 1];
    if (first >= ZERO && first <= NINE) return null;
    let j = i + 1;
    for (;;) {
      const c = b[j];
      if (c === QUOTE) break;
      if (c === undefined || c === BACKSLASH || c < 0x20) return null;
      j++;
    }
    this.pos = j + 1;
    return this.decoder.decode(b.subarray(i + 1, j));
  }
}
