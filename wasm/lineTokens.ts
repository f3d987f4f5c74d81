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
 */

const STRING: i32 = 1;
const STRING_ESCAPED: i32 = 2;
const NUMBER: i32 = 3;
const SLOW_NUMBER: i32 = 4;
const OBJECT: i32 = 5;

const QUOTE: u32 = 0x22;
const BACKSLASH: u32 = 0x5c;
const COLON: u32 = 0x3a;
const COMMA: u32 = 0x2c;
const LBRACE: u32 = 0x7b;
const RBRACE: u32 = 0x7d;
const MINUS: u32 = 0x2d;
const PLUS: u32 = 0x2b;
const DOT: u32 = 0x2e;
const ZERO: u32 = 0x30;
const NINE: u32 = 0x39;

/** Distinct key names kept; past it, lines with new names return −1. */
const MAX_NAMES: i32 = 16384;
/** Open-addressing slots (a power of two, twice MAX_NAMES). */
const TABLE_SLOTS: i32 = 32768;
const ARENA_BYTES: i32 = 1 << 18;
/** Positions in a line whose last key is remembered (top level; matrix fields of the whole line). */
const TOP_SLOTS: i32 = 4096;
const FIELD_SLOTS: i32 = 16384;
/** Entries of the last line remembered for sameShape(). */
const SHAPE_ENTRIES: i32 = 16384;
/** Decimal exponents of the power table the caller writes (see decimal.ts). */
const MIN_EXP: i32 = -270;
const MAX_EXP: i32 = 270;
const POW_COUNT: i32 = MAX_EXP - MIN_EXP + 1;
/** Significant digits a u64 holds exactly (10^19 < 2^64). */
const MAX_DIGITS: i32 = 19;
const EXPONENT_CAP: i32 = 100000;
/** Bytes after a line set to zero: every reader stops at a zero byte, so none reads past them. */
const PAD: i32 = 16;

const SPLIT: f64 = 134217729.0;
const ERROR_BOUND: f64 = 1.2621774483536189e-29; // 2^-96, as in decimal.ts

// Fixed regions, then the bytes region (lines or chunks of the file), the tape and its values.
const BASE: usize = (__heap_base + 15) & ~(<usize>15);
const TABLE: usize = BASE;
const KEY_START: usize = TABLE + <usize>TABLE_SLOTS * 4;
const KEY_LENGTH: usize = KEY_START + <usize>MAX_NAMES * 4;
const STAMP_TOP: usize = KEY_LENGTH + <usize>MAX_NAMES * 4;
const STAMP_FIELD: usize = STAMP_TOP + <usize>MAX_NAMES * 4;
const SLOT_TOP: usize = STAMP_FIELD + <usize>MAX_NAMES * 4;
const SLOT_FIELD: usize = SLOT_TOP + <usize>TOP_SLOTS * 4;
const SHAPE: usize = SLOT_FIELD + <usize>FIELD_SLOTS * 4;
/** Per entry of a line of the remembered shape: the output slot its number goes to (−1: none). Written by the caller. */
const SCATTER: usize = SHAPE + <usize>SHAPE_ENTRIES * 8;
/** The output slots scatter() fills (OUT_SLOTS doubles: several lines' values, laid out by the caller). */
const OUT: usize = SCATTER + <usize>SHAPE_ENTRIES * 4;
const OUT_SLOTS: i32 = 131072;
const POW_HI: usize = OUT + <usize>OUT_SLOTS * 8;
const POW_LO: usize = POW_HI + <usize>POW_COUNT * 8;
const ARENA: usize = POW_LO + <usize>POW_COUNT * 8;
const DYNAMIC: usize = ARENA + <usize>ARENA_BYTES + 16;

let names: i32 = 0;
let arenaUsed: i32 = 0;
let lineStamp: i32 = 0;
let objectStamp: i32 = 0;
let linePtr: usize = DYNAMIC;
let lineLimit: usize = DYNAMIC;
/** Bytes the bytes region holds (PAD more are reserved after them). */
let bytesCapacity: i32 = 0;
let tape: usize = 0;
let values: usize = 0;
/** Tape entries there is room for. */
let capacity: i32 = 0;
let entries: i32 = 0;
/** Where the last reader stopped. */
let pos: usize = 0;
/** The last number read. */
let numberValue: f64 = 0;
/** Entries of the last line read (−1 after a line left alone), and whether this line's keys and kinds repeat it. */
let shapeEntries: i32 = -1;
let same: bool = false;
/** Numbers of this line left to the caller (SLOW_NUMBER entries). */
let slow: i32 = 0;

/** Forgets every key and the last line's shape, for the next file (the memory and the power table stay). */
export function reset(): void {
  memory.fill(TABLE, 0, <usize>TABLE_SLOTS * 4);
  memory.fill(SLOT_TOP, 0, <usize>(TOP_SLOTS + FIELD_SLOTS) * 4);
  names = 0;
  arenaUsed = 0;
  shapeEntries = -1;
  same = false;
}

/** Where the caller writes the 2 × 541 doubles of 10^e (high parts, then low parts), e = −270 … 270. */
export function powerTable(): usize {
  return POW_HI;
}

/** Places the tape after the bytes region and grows memory to hold both; false when memory cannot grow. */
function layout(bytes: i32, cap: i32): bool {
  const tapeAt = (DYNAMIC + <usize>bytes + <usize>PAD + 7) & ~(<usize>7);
  const valuesAt = tapeAt + <usize>cap * 20 + 8;
  const end = (valuesAt & ~(<usize>7)) + <usize>cap * 8;
  const pages = <i32>((end + 0xffff) >> 16);
  const have = memory.size();
  if (pages > have && memory.grow(pages - have) < 0) return false;
  bytesCapacity = bytes;
  tape = tapeAt;
  values = valuesAt & ~(<usize>7);
  capacity = cap;
  return true;
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
  return ARENA + <usize>load<i32>(KEY_START + (<usize>id << 2));
}

/** How many bytes key `id` has. */
export function keyLength(id: i32): i32 {
  return load<i32>(KEY_LENGTH + (<usize>id << 2));
}

@inline
function isDigit(c: u32): bool {
  return c - ZERO <= 9;
}

/** Past JSON whitespace, except LF: in JSONL an LF ends the line. */
@inline
function skipSpace(p: usize): usize {
  let c = <u32>load<u8>(p);
  while (c == 0x20 || c == 0x09 || c == 0x0d) c = <u32>load<u8>(++p);
  return p;
}

/** Equal bytes at a and b, eight at a time (both regions may be read up to 7 bytes past `length`). */
function sameBytes(a: usize, b: usize, length: i32): bool {
  let i: i32 = 0;
  for (; i + 8 <= length; i += 8) {
    if (load<u64>(a + <usize>i) != load<u64>(b + <usize>i)) return false;
  }
  if (i < length) {
    const mask: u64 = (<u64>1 << (<u64>(length - i) << 3)) - 1;
    if (((load<u64>(a + <usize>i) ^ load<u64>(b + <usize>i)) & mask) != 0) return false;
  }
  return true;
}

function hashBytes(s: usize, length: i32): u32 {
  let h: u64 = 0x9e3779b97f4a7c15 ^ <u64>length;
  let i: i32 = 0;
  for (; i + 8 <= length; i += 8) {
    h = (h ^ load<u64>(s + <usize>i)) * 0xff51afd7ed558ccd;
    h ^= h >> 32;
  }
  if (i < length) {
    const mask: u64 = (<u64>1 << (<u64>(length - i) << 3)) - 1;
    h = (h ^ (load<u64>(s + <usize>i) & mask)) * 0xff51afd7ed558ccd;
    h ^= h >> 32;
  }
  return <u32>(h ^ (h >> 29));
}

/** The id of the key bytes s[0, length), added when new; −1 when the name table is full. */
function intern(s: usize, length: i32): i32 {
  let slot = <i32>hashBytes(s, length) & (TABLE_SLOTS - 1);
  for (;;) {
    const v = load<i32>(TABLE + (<usize>slot << 2));
    if (v == 0) break;
    const id = v - 1;
    if (load<i32>(KEY_LENGTH + (<usize>id << 2)) == length && sameBytes(s, keyStart(id), length)) return id;
    slot = (slot + 1) & (TABLE_SLOTS - 1);
  }
  if (names >= MAX_NAMES || arenaUsed + length + 8 > ARENA_BYTES) return -1;
  const id = names++;
  memory.copy(ARENA + <usize>arenaUsed, s, <usize>length);
  store<i32>(KEY_START + (<usize>id << 2), arenaUsed);
  store<i32>(KEY_LENGTH + (<usize>id << 2), length);
  store<i32>(STAMP_TOP + (<usize>id << 2), 0);
  store<i32>(STAMP_FIELD + (<usize>id << 2), 0);
  arenaUsed += (length + 8) & ~7;
  store<i32>(TABLE + (<usize>slot << 2), id + 1);
  return id;
}

/**
 * The key whose opening quote is at p: first the key met at this position of the last
 * lines (one comparison, no scan), else scanned and interned. Sets `pos` past the closing
 * quote; −1 for a key this path leaves alone (digit first, escape, control or non-ASCII byte).
 */
function readKey(p: usize, slot: i32, slots: usize, slotCount: i32): i32 {
  const s = p + 1;
  if (slot < slotCount) {
    const cached = load<i32>(slots + (<usize>slot << 2)) - 1;
    if (cached >= 0) {
      const length = keyLength(cached);
      const after = s + <usize>length;
      if (after < lineLimit && <u32>load<u8>(after) == QUOTE && sameBytes(s, keyStart(cached), length)) {
        pos = after + 1;
        return cached;
      }
    }
  }
  if (isDigit(<u32>load<u8>(s))) return -1;
  let q = s;
  for (;;) {
    const c = <u32>load<u8>(q);
    if (c == QUOTE) break;
    if (c < 0x20 || c == BACKSLASH || c >= 0x80) return -1;
    q++;
  }
  const id = intern(s, <i32>(q - s));
  if (id < 0) return -1;
  if (slot < slotCount) store<i32>(slots + (<usize>slot << 2), id + 1);
  pos = q + 1;
  return id;
}

/** The exact error of p = fl(a × b), Dekker's two-product: decimal.ts's function, repeated here (the kernel is compiled on its own). */
@inline
function productError(a: f64, b: f64, p: f64): f64 {
  const ta = SPLIT * a;
  const ah = ta - (ta - a);
  const al = a - ah;
  const tb = SPLIT * b;
  const bh = tb - (tb - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

/** The double nearest w × 10^e when its rounding is proven (decimal.ts's method), else NaN. */
function toDouble(w: u64, e: i32): f64 {
  if (w == 0) return 0;
  if (e < MIN_EXP || e > MAX_EXP) return NaN;
  const k = <usize>(e - MIN_EXP) << 3;
  const ph = load<f64>(POW_HI + k);
  if (w < (<u64>1 << 53) && e >= -22 && e <= 22) {
    // Clinger's fast path: w and 10^|e| exact, one correctly rounded operation.
    return e >= 0 ? <f64>w * ph : <f64>w / load<f64>(POW_HI + (<usize>(-e - MIN_EXP) << 3));
  }
  const pl = load<f64>(POW_LO + k);
  // w as an exact double-double: the nearest double and the (small, exact) rest.
  const wh = <f64>w;
  const wl = <f64>(<i64>w - <i64>(<u64>wh));
  const p = wh * ph;
  const t = productError(wh, ph, p) + (wh * pl + wl * ph);
  const hi = p + t;
  const lo = t - (hi - p);
  const d = abs<f64>(hi) * ERROR_BOUND;
  if (hi + (lo + d) != hi || hi + (lo - d) != hi) return NaN;
  return hi;
}

/** True when the eight bytes at p are all ASCII digits (fast_float's test). */
@inline
function eightDigits(p: usize): bool {
  const v = load<u64>(p);
  return ((v & 0xf0f0f0f0f0f0f0f0) | (((v + 0x0606060606060606) & 0xf0f0f0f0f0f0f0f0) >> 4)) == 0x3333333333333333;
}

/** The value of eight ASCII digits at p, first digit most significant (fast_float's SWAR conversion). */
@inline
function eightDigitsValue(p: usize): u64 {
  let v = load<u64>(p) - 0x3030303030303030;
  v = v * 10 + (v >> 8);
  return (((v & 0x000000ff000000ff) * (100 + (<u64>1000000 << 32))) + (((v >> 16) & 0x000000ff000000ff) * (1 + (<u64>10000 << 32)))) >> 32;
}

/**
 * A JSON number at p (RFC 8259 grammar), into `numberValue`; `pos` past it. Returns
 * NUMBER, SLOW_NUMBER (more than 19 digits or rounding not proven: the caller converts
 * the text) or −1 (not a number).
 */
function readNumber(p: usize): i32 {
  let c = <u32>load<u8>(p);
  const negative = c == MINUS;
  if (negative) c = <u32>load<u8>(++p);
  let w: u64 = 0;
  let digits: i32 = 0;
  let e: i32 = 0;
  if (c == ZERO) {
    c = <u32>load<u8>(++p);
    if (isDigit(c)) return -1;
  } else if (isDigit(c)) {
    while (digits <= MAX_DIGITS - 8 && eightDigits(p)) {
      w = w * 100000000 + eightDigitsValue(p);
      digits += 8;
      p += 8;
    }
    c = <u32>load<u8>(p);
    while (isDigit(c)) {
      if (digits < MAX_DIGITS) w = w * 10 + <u64>(c - ZERO);
      digits++;
      c = <u32>load<u8>(++p);
    }
  } else return -1;
  if (c == DOT) {
    c = <u32>load<u8>(++p);
    if (!isDigit(c)) return -1;
    if (digits == 0) {
      while (c == ZERO) {
        e--;
        c = <u32>load<u8>(++p);
      }
    }
    while (digits <= MAX_DIGITS - 8 && eightDigits(p)) {
      w = w * 100000000 + eightDigitsValue(p);
      digits += 8;
      e -= 8;
      p += 8;
    }
    c = <u32>load<u8>(p);
    while (isDigit(c)) {
      if (digits < MAX_DIGITS) w = w * 10 + <u64>(c - ZERO);
      digits++;
      e--;
      c = <u32>load<u8>(++p);
    }
  }
  if (c == 0x65 || c == 0x45) {
    c = <u32>load<u8>(++p);
    let sign: i32 = 1;
    if (c == MINUS) {
      sign = -1;
      c = <u32>load<u8>(++p);
    } else if (c == PLUS) c = <u32>load<u8>(++p);
    if (!isDigit(c)) return -1;
    let x: i32 = 0;
    do {
      if (x < EXPONENT_CAP) x = x * 10 + <i32>(c - ZERO);
      c = <u32>load<u8>(++p);
    } while (isDigit(c));
    e += sign * x;
  }
  pos = p;
  if (digits > MAX_DIGITS) return SLOW_NUMBER;
  const v = toDouble(w, e);
  if (v != v) return SLOW_NUMBER;
  numberValue = negative ? -v : v;
  return NUMBER;
}

/** A number or one of `NaN`, `Infinity`, `-Infinity`, `null` (NaN) at p; as readNumber. */
function readScalar(p: usize): i32 {
  const c = <u32>load<u8>(p);
  if (c == 0x4e) {
    // NaN
    if (<u32>load<u8>(p + 1) != 0x61 || <u32>load<u8>(p + 2) != 0x4e) return -1;
    numberValue = NaN;
    pos = p + 3;
    return NUMBER;
  }
  if (c == 0x6e) {
    // null
    if (load<u32>(p) != 0x6c6c756e) return -1;
    numberValue = NaN;
    pos = p + 4;
    return NUMBER;
  }
  const negative = c == MINUS;
  const at = negative ? p + 1 : p;
  if (<u32>load<u8>(at) == 0x49) {
    // Infinity
    if (load<u64>(at) != 0x7974696e69666e49) return -1;
    numberValue = negative ? -Infinity : Infinity;
    pos = at + 8;
    return NUMBER;
  }
  return readNumber(p);
}

@inline
function entry(e: i32, id: i32, kind: i32, start: usize, end: usize, count: i32): void {
  // The entry's shape: key, kind (escaped or not, fast or slow number alike), member count.
  const kindClass = kind == STRING_ESCAPED ? STRING : kind == SLOW_NUMBER ? NUMBER : kind;
  const shape = (<u64>id << 32) | (<u64>kindClass << 24) | <u64>count;
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
    const id = readKey(p, fieldSlot, SLOT_FIELD, FIELD_SLOTS);
    if (id < 0) return -1;
    fieldSlot++;
    const stampAt = STAMP_FIELD + (<usize>id << 2);
    if (load<i32>(stampAt) == stamp) return -1;
    store<i32>(stampAt, stamp);
    p = pos;
    if (<u32>load<u8>(p) != COLON) {
      p = skipSpace(p);
      if (<u32>load<u8>(p) != COLON) return -1;
    }
    p = skipSpace(p + 1);
    const e = entries++;
    if (e >= capacity) return -1;
    const kind = readScalar(p);
    if (kind < 0) return -1;
    entry(e, id, kind, p, pos, 0);
    store<f64>(values + (<usize>e << 3), numberValue);
    count++;
    p = skipSpace(pos);
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
  const count = scanLine(limit, final != 0);
  if (count < 0) {
    // A line left alone or cut short stored no shape when it matched the last line so far: the next may still match that one.
    if (!same) shapeEntries = -1;
    return count;
  }
  if (count != shapeEntries) same = false;
  shapeEntries = count;
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
    const id = readKey(p, slot++, SLOT_TOP, TOP_SLOTS);
    if (id < 0) return -1;
    const stampAt = STAMP_TOP + (<usize>id << 2);
    if (load<i32>(stampAt) == stamp) return -1;
    store<i32>(stampAt, stamp);
    p = skipSpace(pos);
    if (<u32>load<u8>(p) != COLON) return -1;
    p = skipSpace(p + 1);
    const e = entries++;
    if (e >= capacity) return -1;
    const c = <u32>load<u8>(p);
    if (c == QUOTE) {
      let q = p + 1;
      let kind = STRING;
      for (;;) {
        const b = <u32>load<u8>(q);
        if (b == QUOTE) break;
        if (b < 0x20) return -1;
        if (b == BACKSLASH) {
          kind = STRING_ESCAPED;
          // Never step over an LF (or the zeros past the limit): the line ends there.
          if (<u32>load<u8>(++q) < 0x20) return -1;
        }
        q++;
      }
      pos = q + 1;
      entry(e, id, kind, p, pos, 0);
    } else if (c == LBRACE) {
      const count = readObject(p);
      if (count < 0) return -1;
      entry(e, id, OBJECT, p, pos, count);
    } else {
      const kind = readScalar(p);
      if (kind < 0) return -1;
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
  if (<u32>load<u8>(p) == 0x0a) {
    if (final) return -1;
    terminator = p;
    return entries;
  }
  if (p != limit) return -1;
  if (!final) return INCOMPLETE;
  terminator = limit;
  return entries;
}
