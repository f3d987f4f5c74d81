/** Strings (AssemblyScript; see lineTokens.ts): a top-level string value read in place. */
import { BACKSLASH, QUOTE, STRING, STRING_ESCAPED } from './format';

/** Where the last string read ended (past its closing quote). */
export let stringEnd: usize = 0;

/**
 * The string whose opening quote is at p: STRING, or STRING_ESCAPED when it holds a
 * backslash (the caller decodes it), with `stringEnd` past the closing quote; −1 at a
 * control byte, which includes an LF and the zeros past a line's limit.
 */
export function readString(p: usize): i32 {
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
  stringEnd = q + 1;
  return kind;
}
