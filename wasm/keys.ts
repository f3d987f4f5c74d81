/**
 * Key names (AssemblyScript; see tape.ts): interned in an open-addressing table so
 * each distinct name gets one id for the life of the instance (until reset), and found
 * again at the same position of the next line with one comparison.
 */
import { BACKSLASH, isDigit, QUOTE } from './format';
import { ARENA, ARENA_BYTES, KEY_LENGTH, KEY_START, MAX_NAMES, STAMP_FIELD, STAMP_TOP, TABLE, TABLE_SLOTS } from './memory';

let names: i32 = 0;
let arenaUsed: i32 = 0;
/** Where the last readKey() stopped (past the closing quote). */
export let keyEnd: usize = 0;

/** Forgets every name (the table must be cleared by the caller). */
export function forgetNames(): void {
  names = 0;
  arenaUsed = 0;
}

/** Where the bytes of key `id` are. */
export function keyBytes(id: i32): usize {
  return ARENA + <usize>load<i32>(KEY_START + (<usize>id << 2));
}

/** How many bytes key `id` has. */
@inline
export function keyBytesLength(id: i32): i32 {
  return load<i32>(KEY_LENGTH + (<usize>id << 2));
}

/** Equal bytes at a and b, eight at a time (both regions may be read up to 7 bytes past `length`). */
export function sameBytes(a: usize, b: usize, length: i32): bool {
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
    if (load<i32>(KEY_LENGTH + (<usize>id << 2)) == length && sameBytes(s, keyBytes(id), length)) return id;
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
 * lines (one comparison, no scan; a match must end before `limit`), else scanned and
 * interned. Sets `keyEnd` past the closing
 * quote; −1 for a key this path leaves alone (digit first, escape, control or non-ASCII byte).
 */
export function readKey(p: usize, limit: usize, slot: i32, slots: usize, slotCount: i32): i32 {
  const s = p + 1;
  if (slot < slotCount) {
    const cached = load<i32>(slots + (<usize>slot << 2)) - 1;
    if (cached >= 0) {
      const length = keyBytesLength(cached);
      const after = s + <usize>length;
      if (after < limit && <u32>load<u8>(after) == QUOTE && sameBytes(s, keyBytes(cached), length)) {
        keyEnd = after + 1;
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
  keyEnd = q + 1;
  return id;
}

