/**
 * Values other than numbers (AssemblyScript; see tape.ts): strings read in place, with
 * their escapes checked; and any other JSON value skipped over, checked as strictly as
 * `JSON.parse` reads it (Python's bare NaN / Infinity / -Infinity allowed), so a value
 * the caller copies as text without parsing it is one JSON.parse would accept.
 */
import { BACKSLASH, COLON, COMMA, isDigit, LBRACE, LBRACKET, QUOTE, RAW, RAW_UNICODE, RBRACE, RBRACKET, skipSpace, STRING, STRING_ESCAPED } from './format';
import { MAX_DEPTH, NESTING } from './memory';
import { numberEnd, readScalar } from './numbers';

/** Where the last string or value read ended (past it). */
export let valueEnd: usize = 0;
/** Whether the last string or value read holds a byte ≥ 0x80. */
let unicode: bool = false;

@inline
function isHex(c: u32): bool {
  return isDigit(c) || (c | 0x20) - 0x61 <= 5;
}

/**
 * The string whose opening quote is at p: STRING (ASCII, no escape: its bytes are its
 * text) or STRING_ESCAPED, with `valueEnd` past the closing quote; −1 at a control byte
 * (an LF, the zeros past a line's limit) or an escape JSON does not have.
 */
export function readString(p: usize): i32 {
  let q = p + 1;
  let kind = STRING;
  for (;;) {
    const b = <u32>load<u8>(q);
    if (b == QUOTE) break;
    if (b < 0x20) return -1;
    if (b >= 0x80) {
      unicode = true;
      kind = STRING_ESCAPED;
    } else if (b == BACKSLASH) {
      kind = STRING_ESCAPED;
      const e = <u32>load<u8>(++q);
      if (e == 0x75) {
        // \uXXXX
        if (!isHex(<u32>load<u8>(q + 1)) || !isHex(<u32>load<u8>(q + 2)) || !isHex(<u32>load<u8>(q + 3)) || !isHex(<u32>load<u8>(q + 4))) return -1;
        q += 4;
      } else if (e != QUOTE && e != BACKSLASH && e != 0x2f && e != 0x62 && e != 0x66 && e != 0x6e && e != 0x72 && e != 0x74) return -1;
    }
    q++;
  }
  valueEnd = q + 1;
  return kind;
}

/** The literal `word` (4 or 5 ASCII bytes, little-endian in `bytes`) at p. */
@inline
function literal(p: usize, bytes: u64, length: i32): bool {
  const mask: u64 = length == 8 ? <u64>-1 : (<u64>1 << (<u64>length << 3)) - 1;
  return (load<u64>(p) & mask) == bytes;
}

/**
 * Any JSON value at p: RAW, or RAW_UNICODE when it holds a byte ≥ 0x80, with `valueEnd`
 * past it; −1 when it is not a value JSON.parse reads (after Python's bare tokens) or
 * nests deeper than MAX_DEPTH.
 */
export function skipValue(p: usize): i32 {
  unicode = false;
  // The containers open around p, a byte per level at NESTING: 1 for an object.
  let depth: i32 = 0;
  for (;;) {
    p = skipSpace(p);
    let c = <u32>load<u8>(p);
    // A value.
    if (c == LBRACE || c == LBRACKET) {
      if (depth == MAX_DEPTH) return -1;
      const object = c == LBRACE;
      store<u8>(NESTING + <usize>depth, object ? 1 : 0);
      depth++;
      p = skipSpace(p + 1);
      c = <u32>load<u8>(p);
      if (c == (object ? RBRACE : RBRACKET)) {
        depth--;
        p++;
      } else {
        if (object) {
          if (c != QUOTE || readString(p) < 0) return -1;
          p = skipSpace(valueEnd);
          if (<u32>load<u8>(p) != COLON) return -1;
          p++;
        }
        continue;
      }
    } else if (c == QUOTE) {
      if (readString(p) < 0) return -1;
      p = valueEnd;
    } else if (c == 0x74) {
      if (!literal(p, 0x65757274, 4)) return -1; // true
      p += 4;
    } else if (c == 0x66) {
      if (!literal(p, 0x65736c6166, 5)) return -1; // false
      p += 5;
    } else {
      // A number, null, NaN, Infinity or -Infinity.
      if (readScalar(p) < 0) return -1;
      p = numberEnd;
    }
    // After a value: close containers, or go on to the next member.
    for (;;) {
      if (depth == 0) {
        valueEnd = p;
        return unicode ? RAW_UNICODE : RAW;
      }
      p = skipSpace(p);
      c = <u32>load<u8>(p);
      const object = load<u8>(NESTING + <usize>(depth - 1)) == 1;
      if (c == COMMA) {
        p = skipSpace(p + 1);
        if (object) {
          if (<u32>load<u8>(p) != QUOTE || readString(p) < 0) return -1;
          p = skipSpace(valueEnd);
          if (<u32>load<u8>(p) != COLON) return -1;
          p++;
        }
        break;
      }
      if (c != (object ? RBRACE : RBRACKET)) return -1;
      depth--;
      p++;
    }
  }
  return -1; // not reached: every way out of the loop above returns
}
