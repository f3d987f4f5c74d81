/**
 * The kernel's vocabulary (AssemblyScript; see lineTokens.ts): the kinds of tape entries
 * and the bytes of JSON it looks for.
 */

// Tape entry kinds (lineTape.ts's TapeKind mirrors them).
export const STRING: i32 = 1;
export const STRING_ESCAPED: i32 = 2;
export const NUMBER: i32 = 3;
export const SLOW_NUMBER: i32 = 4;
export const OBJECT: i32 = 5;

/** What a shape compares of a kind: a string escaped or not, a number fast or slow, are alike. */
@inline
export function kindClass(kind: i32): i32 {
  return kind == STRING_ESCAPED ? STRING : kind == SLOW_NUMBER ? NUMBER : kind;
}

export const QUOTE: u32 = 0x22;
export const BACKSLASH: u32 = 0x5c;
export const COLON: u32 = 0x3a;
export const COMMA: u32 = 0x2c;
export const LBRACE: u32 = 0x7b;
export const RBRACE: u32 = 0x7d;
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
