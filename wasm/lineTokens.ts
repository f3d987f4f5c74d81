/**
 * AssemblyScript (compiled to WebAssembly by `npm run build:wasm`; not part of the app's
 * TypeScript build). The byte-level half of the reader's fastest path: one JSONL line of
 * a statistics file in, a flat tape of its members out, numbers already converted.
 *
 * Written by hand in WebAssembly because touching each byte of a release file (17 MB,
 * ~450 000 numbers) from JavaScript costs about as much as Python's C json module takes
 * for the whole read, and JIT warm-up doubles that on a cold start; no library tokenizes
 * JSON into typed arrays. The JavaScript side (src/core/format/lineTape.ts) maps keys to
 * columns; this side only proves the line is one it reads exactly like `JSON.parse` and
 * returns −1 for anything else (escaped, non-ASCII, integer-like or repeated keys, arrays,
 * `true`/`false`, deeper nesting, syntax errors), and the line takes the JavaScript paths.
 *
 * Tape entry e (five i32 at tape + 20e, one f64 at values + 8e):
 *   [key id, kind, start, end, count]; start/end are byte offsets of the value in the line.
 *   kind STRING / STRING_ESCAPED: a string value (quotes included in start..end).
 *   kind NUMBER: a number or bare token; its value is values[e] (null reads as NaN).
 *   kind SLOW_NUMBER: a number whose exact rounding was not proven here: convert start..end.
 *   kind OBJECT: a flat object; the next `count` entries are its members (NUMBER/SLOW_NUMBER).
 * Key ids name interned key bytes (`keyStart`, `keyLength`); they are stable for the
 * instance's life, so the caller resolves each key name once.
 *
 * A line that differs from the last one only in its values is read by the last line's
 * template (replay.ts): its gaps compared, its values read, its tape the last line's with
 * new values and offsets. Every other line is read in full and leaves the next template.
 */

import { COLON, COMMA, kindClass, LBRACE, LF, OBJECT, QUOTE, RBRACE, skipSpace, SLOW_NUMBER } from './format';
import { forgetNames, keyBytes, keyBytesLength, keyEnd, readKey } from './keys';
import {
  bytesCapacity,
  capacity,
  DYNAMIC,
  FIELD_SLOTS,
  layout,
  OUT,
  OUT_SLOTS,
  POW_HI,
  SCATTER,
  SHAPE,
  SHAPE_ENTRIES,
  SLOT_FIELD,
  SLOT_TOP,
  STAMP_FIELD,
  STAMP_TOP,
  TABLE,
  TABLE_SLOTS,
  tape,
  TOP_SLOTS,
  values,
} from './memory';
import { numberEnd, numberValue, readScalar } from './numbers';
import { forgetTemplate, makeTemplate, NO_REPLAY, replay, replayEnd, replaySlow } from './replay';
import { readString, stringEnd } from './strings';

let lineStamp: i32 = 0;
let objectStamp: i32 = 0;
let linePtr: usize = DYNAMIC;
let lineLimit: usize = DYNAMIC;
let entries: i32 = 0;
/** Where the last reader stopped. */
let pos: usize = 0;
/** Entries of the last line read (−1 after a line left alone), and whether this line's keys and kinds repeat it. */
let shapeEntries: i32 = -1;
let same: bool = false;
/** Numbers of this line left to the caller (SLOW_NUMBER entries). */
let slow: i32 = 0;
/** Lines in a row that differed from the template; after two, a replay is tried on every 32nd line only (`lines` counts those held back). */
let lines: i32 = 0;
let misses: i32 = 0;

/** Forgets every key and the last line's shape, for the next file (the memory and the power table stay). */
export function reset(): void {
  memory.fill(TABLE, 0, <usize>TABLE_SLOTS * 4);
  memory.fill(SLOT_TOP, 0, <usize>(TOP_SLOTS + FIELD_SLOTS) * 4);
  forgetNames();
  forgetTemplate();
  misses = 0;
  shapeEntries = -1;
  same = false;
}

/** Where the caller writes the 2 × 541 doubles of 10^e (high parts, then low parts), e = −270 … 270. */
export function powerTable(): usize {
  return POW_HI;
}

/**
 * Makes the bytes region hold at least `length` bytes (its content is kept); returns
 * where it starts, or 0 when memory cannot grow. Memory may grow: views of it are stale.
 */
export function prepare(length: i32): usize {
  if (length <= bytesCapacity) return DYNAMIC;
  return layout(length, capacity) ? DYNAMIC : 0;
}

/** Makes the tape hold the entries of a line of `length` bytes; false when memory cannot grow. Memory may grow. */
export function reserve(length: i32): bool {
  const cap = (length >> 2) + 4;
  return cap <= capacity || layout(bytesCapacity, cap);
}

/** The first LF in [from, limit), eight bytes at a time; 0 when there is none. */
export function findLineEnd(from: usize, limit: usize): usize {
  let p = from;
  while (p + 8 <= limit) {
    const x = load<u64>(p) ^ 0x0a0a0a0a0a0a0a0a;
    const found = (x - 0x0101010101010101) & ~x & 0x8080808080808080;
    if (found != 0) return p + <usize>(ctz(found) >> 3);
    p += 8;
  }
  while (p < limit) {
    if (<u32>load<u8>(p) == 0x0a) return p;
    p++;
  }
  return 0;
}

/** Where the tape's i32 entries start. */
export function tapeStart(): usize {
  return tape;
}

/** Where the tape's f64 values start. */
export function valuesStart(): usize {
  return values;
}

/** Where the caller writes the scatter map (one i32 per entry, SHAPE_ENTRIES of them). */
export function scatterStart(): usize {
  return SCATTER;
}

/** Where scatter() writes (one f64 per output slot). */
export function outStart(): usize {
  return OUT;
}

/** How many output slots there are. */
export function outSlots(): i32 {
  return OUT_SLOTS;
}

/** Copies the values of the last line's first `count` entries to output slot map[e] + `offset` (entries mapped to −1 are skipped). */
export function scatter(count: i32, offset: i32): void {
  const n = count < SHAPE_ENTRIES ? count : SHAPE_ENTRIES;
  for (let e: i32 = 0; e < n; e++) {
    const slot = load<i32>(SCATTER + (<usize>e << 2));
    if (slot >= 0 && <u32>(slot + offset) < <u32>OUT_SLOTS) store<f64>(OUT + (<usize>(slot + offset) << 3), load<f64>(values + (<usize>e << 3)));
  }
}

/** Where the bytes of key `id` are. */
export function keyStart(id: i32): usize {
  return keyBytes(id);
}

/** How many bytes key `id` has. */
export function keyLength(id: i32): i32 {
  return keyBytesLength(id);
}

@inline
function entry(e: i32, id: i32, kind: i32, start: usize, end: usize, count: i32): void {
  // The entry's shape: key, kind class, member count.
  const shape = (<u64>id << 32) | (<u64>kindClass(kind) << 24) | <u64>count;
  if (kind == SLOW_NUMBER) slow++;
  if (e < SHAPE_ENTRIES) {
    const shapeAt = SHAPE + (<usize>e << 3);
    if (load<u64>(shapeAt) != shape) {
      same = false;
      store<u64>(shapeAt, shape);
    }
  } else same = false;
  const at = tape + <usize>e * 20;
  store<i32>(at, id);
  store<i32>(at, kind, 4);
  store<i32>(at, <i32>(start - linePtr), 8);
  store<i32>(at, <i32>(end - linePtr), 12);
  store<i32>(at, count, 16);
}

/** Field slot position across the line's matrices (the JS scanner's fieldSlotBase). */
let fieldSlot: i32 = 0;

/** The flat object at p (`{`): its members as the next entries. Sets `pos`; −1 on anything it leaves alone. */
function readObject(p: usize): i32 {
  const stamp = ++objectStamp;
  p = skipSpace(p + 1);
  let count: i32 = 0;
  if (<u32>load<u8>(p) == RBRACE) {
    pos = p + 1;
    return 0;
  }
  for (;;) {
    if (<u32>load<u8>(p) != QUOTE) return -1;
    const id = readKey(p, lineLimit, fieldSlot, SLOT_FIELD, FIELD_SLOTS);
    if (id < 0) return -1;
    fieldSlot++;
    const stampAt = STAMP_FIELD + (<usize>id << 2);
    if (load<i32>(stampAt) == stamp) return -1;
    store<i32>(stampAt, stamp);
    p = keyEnd;
    if (<u32>load<u8>(p) != COLON) {
      p = skipSpace(p);
      if (<u32>load<u8>(p) != COLON) return -1;
    }
    p = skipSpace(p + 1);
    const e = entries++;
    if (e >= capacity) return -1;
    const kind = readScalar(p);
    if (kind < 0) return -1;
    entry(e, id, kind, p, numberEnd, 0);
    store<f64>(values + (<usize>e << 3), numberValue);
    count++;
    p = skipSpace(numberEnd);
    const c = <u32>load<u8>(p);
    if (c == COMMA) {
      p = skipSpace(p + 1);
      continue;
    }
    if (c != RBRACE) return -1;
    pos = p + 1;
    return count;
  }
}

/** scan(): the line runs into `limit` with no LF, and more bytes may follow. */
const INCOMPLETE: i32 = -3;
/** Where the last line scanned ended: its LF, or `limit` for a final line. */
let terminator: usize = 0;

/**
 * Tokenizes the line starting at `start` in the bytes region, in place: it ends at the
 * first LF (JSONL's line end; not whitespace here) or, when `final`, at `limit`. The
 * bytes [start, limit) must be in the region, and the tape must have room for
 * limit − start bytes (reserve()). Returns the number of tape entries (lineEnd() tells
 * where the line ended), −1 when the line must take the JavaScript paths (its end is
 * then unknown: findLineEnd()), or −3 when it reaches `limit` and is not `final`.
 */
export function scan(start: usize, limit: usize, final: i32): i32 {
  if (start < DYNAMIC || limit < start || limit > DYNAMIC + <usize>bytesCapacity || (<i32>(limit - start) >> 2) + 4 > capacity) return -1;
  same = true;
  slow = 0;
  linePtr = start;
  lineLimit = limit;
  // Every reader stops at a zero byte: past `limit` there are PAD of them.
  store<u64>(limit, 0);
  store<u64>(limit, 0, 8);
  if (final == 0 && (misses < 2 || (++lines & 31) == 0)) {
    const replayed = replay(start, limit);
    if (replayed >= 0) {
      // The last line's keys, kinds and counts (so `same` holds), new values.
      misses = 0;
      entries = replayed;
      slow = replaySlow;
      terminator = replayEnd;
      return replayed;
    }
    if (replayed != NO_REPLAY) misses++;
  }
  const count = scanLine(limit, final != 0);
  if (count < 0) {
    forgetTemplate();
    // A line left alone or cut short stored no shape when it matched the last line so far: the next may still match that one.
    if (!same) shapeEntries = -1;
    return count;
  }
  if (count != shapeEntries) same = false;
  shapeEntries = count;
  if (final == 0) makeTemplate(start, count, terminator);
  else forgetTemplate();
  return count;
}

/** Where the last line scan() read ended (its LF, or `limit` for a final line). */
export function lineEnd(): usize {
  return terminator;
}

/** 1 when the last line scanned has the keys, kinds and member counts of the line before, entry for entry. */
export function sameShape(): i32 {
  return same ? 1 : 0;
}

/** How many SLOW_NUMBER entries the last line has. */
export function slowNumbers(): i32 {
  return slow;
}

function scanLine(limit: usize, final: bool): i32 {
  const stamp = ++lineStamp;
  entries = 0;
  fieldSlot = 0;
  let p = skipSpace(linePtr);
  if (<u32>load<u8>(p) != LBRACE) return -1;
  p = skipSpace(p + 1);
  let slot: i32 = 0;
  let open = true;
  while (open) {
    if (<u32>load<u8>(p) != QUOTE) return -1;
    const id = readKey(p, lineLimit, slot++, SLOT_TOP, TOP_SLOTS);
    if (id < 0) return -1;
    const stampAt = STAMP_TOP + (<usize>id << 2);
    if (load<i32>(stampAt) == stamp) return -1;
    store<i32>(stampAt, stamp);
    p = skipSpace(keyEnd);
    if (<u32>load<u8>(p) != COLON) return -1;
    p = skipSpace(p + 1);
    const e = entries++;
    if (e >= capacity) return -1;
    const c = <u32>load<u8>(p);
    if (c == QUOTE) {
      const kind = readString(p);
      if (kind < 0) return -1;
      pos = stringEnd;
      entry(e, id, kind, p, pos, 0);
    } else if (c == LBRACE) {
      const count = readObject(p);
      if (count < 0) return -1;
      entry(e, id, OBJECT, p, pos, count);
    } else {
      const kind = readScalar(p);
      if (kind < 0) return -1;
      pos = numberEnd;
      entry(e, id, kind, p, pos, 0);
      store<f64>(values + (<usize>e << 3), numberValue);
    }
    p = skipSpace(pos);
    const b = <u32>load<u8>(p);
    if (b == COMMA) {
      p = skipSpace(p + 1);
    } else if (b == RBRACE) {
      p = skipSpace(p + 1);
      open = false;
    } else return -1;
  }
  if (<u32>load<u8>(p) == LF) {
    if (final) return -1;
    terminator = p;
    return entries;
  }
  if (p != limit) return -1;
  if (!final) return INCOMPLETE;
  terminator = limit;
  return entries;
}
