/**
 * AssemblyScript (compiled to WebAssembly by `npm run build:wasm`; not part of the app's
 * TypeScript build). The reader's accelerator, byte side: one JSONL line of a statistics
 * file in, a flat tape of its members out, numbers already converted exactly.
 *
 * Written by hand in WebAssembly because touching each byte of a release file (17 MB,
 * ~450 000 numbers) from JavaScript costs about as much as Python's C json module takes
 * for the whole read; no library tokenizes JSON into typed arrays. The JavaScript side
 * (src/core/format/accelerator/) maps keys to columns; this side only proves the line
 * is one it reads exactly like `JSON.parse` and returns −1 for anything else (escaped,
 * non-ASCII, integer-like or repeated top-level keys, syntax errors), and the line takes
 * the plain path.
 *
 * Tape entry e (five i32 at tape + 20e, one f64 at values + 8e):
 *   [key id, kind, start, end, count]; start/end are byte offsets of the value in the line.
 *   STRING / STRING_ESCAPED: a string value (quotes included in start..end).
 *   NUMBER: a number or bare token; its value is values[e] (null reads as NaN).
 *   SLOW_NUMBER: a number whose exact rounding was not proven here: convert start..end.
 *   OBJECT: a flat object; the next `count` entries are its members (numbers, and arrays
 *     followed by their own members).
 *   ARRAY: an array of numbers inside an object; the next `count` entries (key id −1).
 *   RAW / RAW_UNICODE: any other top-level value, checked; its text is start..end.
 * Key ids name interned key bytes (`keyStart`, `keyLength`); they are stable for the
 * instance's life, so the caller resolves each key name once.
 *
 * A line that differs from the last one only in its values is read by the last line's
 * template (replay.ts): its gaps compared, its values read, its tape the last line's with
 * new values and offsets. Every other line is read in full and leaves the next template.
 */

import { ARRAY, COLON, COMMA, kindClass, LBRACE, LBRACKET, LF, OBJECT, QUOTE, RBRACE, RBRACKET, skipSpace, SLOW_NUMBER } from './format';
import { forgetNames, keyBytes, keyBytesLength, keyEnd, readKey } from './keys';
import {
  bytesCapacity,
  capacity,
  DYNAMIC,
  FIELD_SLOTS,
  KEEP_TEXT,
  layout,
  MAX_NAMES,
  OUT,
  OUT_SLOTS,
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
import { forgetTemplate, makeTemplate, NO_REPLAY, replay, replaySlow } from './replay';
import { readString, skipValue, valueEnd } from './values';

let lineStamp: i32 = 0;
let objectStamp: i32 = 0;
let entries: i32 = 0;
/** Where the line being read ends (its LF). */
let lineLimit: usize = 0;
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

/** Forgets every key and the last line's shape, for the next file (the memory stays). */
export function reset(): void {
  memory.fill(TABLE, 0, <usize>TABLE_SLOTS * 4);
  memory.fill(KEEP_TEXT, 0, <usize>MAX_NAMES);
  memory.fill(SLOT_TOP, 0, <usize>(TOP_SLOTS + FIELD_SLOTS) * 4);
  forgetNames();
  forgetTemplate();
  misses = 0;
  shapeEntries = -1;
  same = false;
}

/**
 * Makes room for a line of `length` bytes and its tape; returns where the caller writes
 * the line, or 0 when memory cannot grow. Memory may grow: views of it are stale.
 */
export function prepare(length: i32): usize {
  const cap = (length >> 2) + 4;
  if (length <= bytesCapacity && cap <= capacity) return DYNAMIC;
  return layout(length > bytesCapacity ? length : bytesCapacity, cap > capacity ? cap : capacity) ? DYNAMIC : 0;
}

/**
 * The LFs in bytes [from, length) of what the caller wrote at prepare()'s address (a
 * chunk of a file, not one line), eight bytes at a time: their offsets, ascending, as
 * i32 at the start of the values region (valuesStart()), at most twice the tape's
 * capacity of them (call again after the last one when that many came); returns how
 * many. The tape is left as it was.
 */
export function findLineEnds(from: i32, length: i32): i32 {
  const limit = DYNAMIC + <usize>length;
  const most = capacity << 1;
  let p = DYNAMIC + <usize>from;
  let count: i32 = 0;
  while (p + 8 <= limit && count < most) {
    let found = load<u64>(p) ^ 0x0a0a0a0a0a0a0a0a;
    found = (found - 0x0101010101010101) & ~found & 0x8080808080808080;
    while (found != 0) {
      // Above a zero byte the borrow can flag a 0x01 byte too (an LF followed by 0x0b): each candidate is checked.
      const at = p + <usize>(ctz(found) >> 3);
      if (<u32>load<u8>(at) == LF) {
        if (count == most) return count;
        store<i32>(values + (<usize>count << 2), <i32>(at - DYNAMIC));
        count++;
      }
      found &= found - 1;
    }
    p += 8;
  }
  for (; p < limit && count < most; p++) {
    if (<u32>load<u8>(p) == LF) {
      store<i32>(values + (<usize>count << 2), <i32>(p - DYNAMIC));
      count++;
    }
  }
  return count;
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
  const shape = (<u64>(<u32>id) << 32) | (<u64>kindClass(kind) << 24) | <u64>count;
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
  store<i32>(at, <i32>(start - DYNAMIC), 8);
  store<i32>(at, <i32>(end - DYNAMIC), 12);
  store<i32>(at, count, 16);
}

/** A number or bare token at p as entry `e` of key `id`; false when there is none (or no room). */
function readNumberEntry(p: usize, id: i32): bool {
  const e = entries++;
  if (e >= capacity) return false;
  const kind = readScalar(p);
  if (kind < 0) return false;
  entry(e, id, kind, p, numberEnd, 0);
  store<f64>(values + (<usize>e << 3), numberValue);
  pos = numberEnd;
  return true;
}

/** The array of numbers at p (`[`) as entry `e`'s members; −1 on anything else. Sets `pos`. */
function readArray(p: usize): i32 {
  p = skipSpace(p + 1);
  let count: i32 = 0;
  if (<u32>load<u8>(p) == RBRACKET) {
    pos = p + 1;
    return 0;
  }
  for (;;) {
    if (!readNumberEntry(p, -1)) return -1;
    count++;
    p = skipSpace(pos);
    const c = <u32>load<u8>(p);
    if (c == COMMA) {
      p = skipSpace(p + 1);
      continue;
    }
    if (c != RBRACKET) return -1;
    pos = p + 1;
    return count;
  }
}

/** Field slot position across the line's matrices. */
let fieldSlot: i32 = 0;

/** The flat object at p (`{`): its members (and their arrays' members) as the next entries, whose number it returns. Sets `pos`; −1 on anything it leaves alone. */
function readObject(p: usize): i32 {
  const stamp = ++objectStamp;
  const first = entries;
  p = skipSpace(p + 1);
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
    if (<u32>load<u8>(p) == LBRACKET) {
      const e = entries++;
      if (e >= capacity) return -1;
      const members = readArray(p);
      if (members < 0) return -1;
      entry(e, id, ARRAY, p, pos, members);
    } else if (!readNumberEntry(p, id)) return -1;
    p = skipSpace(pos);
    const c = <u32>load<u8>(p);
    if (c == COMMA) {
      p = skipSpace(p + 1);
      continue;
    }
    if (c != RBRACE) return -1;
    pos = p + 1;
    return entries - first;
  }
}

/**
 * Tokenizes the line of `length` bytes the caller wrote at prepare()'s address. Returns
 * the number of tape entries, or −1 when the line must take the plain path.
 */
export function scan(length: i32): i32 {
  const limit = DYNAMIC + <usize>length;
  if (length < 0 || length > bytesCapacity || (length >> 2) + 4 > capacity) return -1;
  same = true;
  slow = 0;
  lineLimit = limit;
  // The line ends at an LF (JSONL's line end, never whitespace here); every reader stops at the zeros after it.
  store<u8>(limit, <u8>LF);
  store<u64>(limit + 1, 0);
  store<u64>(limit + 9, 0);
  if (misses < 2 || (++lines & 31) == 0) {
    const replayed = replay(DYNAMIC, limit + 1);
    if (replayed >= 0) {
      // The last line's keys, kinds and counts (so `same` holds), new values.
      misses = 0;
      entries = replayed;
      slow = replaySlow;
      return replayed;
    }
    if (replayed != NO_REPLAY) misses++;
  }
  const count = scanLine(limit);
  if (count < 0) {
    forgetTemplate();
    // A line left alone stored no shape when it matched the last line so far: the next may still match that one.
    if (!same) shapeEntries = -1;
    return count;
  }
  if (count != shapeEntries) same = false;
  shapeEntries = count;
  makeTemplate(DYNAMIC, count, limit);
  return count;
}

/**
 * From the next line on, the object of top-level key `id` is read as one raw value (its
 * text kept, its members not tokenized): for fields the caller keeps as text, such as a
 * record's per-position `token_norms`, whose thousands of numbers would otherwise be
 * converted and make every line's shape differ. Forgets the last line's template and shape.
 */
export function keepAsText(id: i32): void {
  if (id < 0 || id >= MAX_NAMES || load<u8>(KEEP_TEXT + <usize>id) == 1) return;
  store<u8>(KEEP_TEXT + <usize>id, 1);
  forgetTemplate();
  shapeEntries = -1;
}

/** 1 when the last line scanned has the keys, kinds and member counts of the line before, entry for entry. */
export function sameShape(): i32 {
  return same ? 1 : 0;
}

/** How many SLOW_NUMBER entries the last line has. */
export function slowNumbers(): i32 {
  return slow;
}

function scanLine(limit: usize): i32 {
  const stamp = ++lineStamp;
  entries = 0;
  fieldSlot = 0;
  let p = skipSpace(DYNAMIC);
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
    const e = entries;
    const c = <u32>load<u8>(p);
    if (c == QUOTE) {
      entries++;
      if (e >= capacity) return -1;
      const kind = readString(p);
      if (kind < 0) return -1;
      pos = valueEnd;
      entry(e, id, kind, p, pos, 0);
    } else if (c == LBRACE && load<u8>(KEEP_TEXT + <usize>id) == 0) {
      entries++;
      if (e >= capacity) return -1;
      const slots = fieldSlot;
      const count = readObject(p);
      if (count >= 0) entry(e, id, OBJECT, p, pos, count);
      else {
        fieldSlot = slots;
        if (!raw(e, id, p)) return -1;
      }
    } else if (!readNumberEntry(p, id)) {
      entries = e + 1;
      if (e >= capacity || !raw(e, id, p)) return -1;
    }
    p = skipSpace(pos);
    const b = <u32>load<u8>(p);
    if (b == COMMA) p = skipSpace(p + 1);
    else if (b == RBRACE) {
      p = skipSpace(p + 1);
      open = false;
    } else return -1;
  }
  return p == limit ? entries : -1;
}

/** Entry `e` of key `id` as the raw value at p (its members, if any were read, dropped); false when it is no JSON value. */
function raw(e: i32, id: i32, p: usize): bool {
  entries = e + 1;
  const kind = skipValue(p);
  if (kind < 0) return false;
  pos = valueEnd;
  entry(e, id, kind, p, pos, 0);
  return true;
}
