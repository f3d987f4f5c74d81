/**
 * The kernel's vocabulary (AssemblyScript; see tape.ts): the kinds of tape entries and
 * the bytes of JSON it looks for.
 */

// Tape entry kinds (the JavaScript side's TapeKind mirrors them).
/** A string of ASCII without escapes: its bytes between the quotes are its text. */
export const STRING: i32 = 1;
/** Any other string (escapes or bytes ≥ 0x80): the caller decodes it. */
export const STRING_ESCAPED: i32 = 2;
/** A number or bare token, converted: its value is in the values region. */
export const NUMBER: i32 = 3;
/** A number whose exact rounding was not proven here: the caller converts its text. */
export const SLOW_NUMBER: i32 = 4;
/** A flat object: the next `count` entries are its members (numbers and arrays). */
export const OBJECT: i32 = 5;
/** An array of numbers: the next `count` entries are its members. */
export const ARRAY: i32 = 6;
/** Any other JSON value, checked but not read (ASCII only): the caller keeps its text. */
export const RAW: i32 = 7;
/** As RAW, holding bytes ≥ 0x80. */
export const RAW_UNICODE: i32 = 8;

/** What a shape compares of a kind: a string escaped or not, a number fast or slow, raw text with or without non-ASCII, are alike. */
@inline
export function kindClass(kind: i32): i32 {
  return kind == STRING_ESCAPED ? STRING : kind == SLOW_NUMBER ? NUMBER : kind == RAW_UNICODE ? RAW : kind;
}

export const QUOTE: u32 = 0x22;
export const BACKSLASH: u32 = 0x5c;
export const COLON: u32 = 0x3a;
export const COMMA: u32 = 0x2c;
export const LBRACE: u32 = 0x7b;
export const RBRACE: u32 = 0x7d;
export const LBRACKET: u32 = 0x5b;
export const RBRACKET: u32 = 0x5d;
export const MINUS: u32 = 0x2d;
export const PLUS: u32 = 0x2b;
export const DOT: u32 = 0x2e;
export const ZERO: u32 = 0x30;
export const LF: u32 = 0x0a;

@inline
export function isDigit(c: u32): bool {
  return c - ZERO <= 9;
}

/** Past JSON whitespace, except LF: in JSONL an LF ends the line. */
@inline
export function skipSpace(p: usize): usize {
  let c = <u32>load<u8>(p);
  while (c == 0x20 || c == 0x09 || c == 0x0d) c = <u32>load<u8>(++p);
  return p;
}
