/**
 * The last line's template (AssemblyScript; see tape.ts). Lines of a release file
 * differ only in their values: the text between two values (`, "M_max": `, or
 * `}, "model.layers.3.self_attn.k_proj.weight": {"M_mean": `) repeats line after line.
 * A template keeps those gaps of the last line read in full; the next line is read by
 * comparing its gaps with them, eight bytes at a time, and reading only its values. When
 * every gap matches and every value reads as the same kind (number or string), the line
 * is the same JSON as the last one but for its values: same keys, same nesting, same
 * member counts. So its tape is the last line's with new values, offsets and kinds, and
 * the keys, the duplicate checks and the shape comparison need not be done again. Any
 * difference returns −1 and the line is read in full.
 */
import { ARRAY, kindClass, LF, NUMBER, OBJECT, QUOTE, RAW, RAW_UNICODE, SLOW_NUMBER } from './format';
import { sameBytes } from './keys';
import {
  GAP_AT,
  GAP_LENGTH,
  GAP_OFFSET,
  layoutGeneration,
  OBJECT_FIXUP,
  SHAPE_ENTRIES,
  tape,
  TEMPLATE,
  TEMPLATE_BYTES,
  TEMPLATE_OBJECTS,
  VALUE_CLASS,
  VALUE_ENTRY,
  values,
} from './memory';
import { numberEnd, numberValue, readScalar } from './numbers';
import { readString, valueEnd } from './values';

/** Values in the template (−1: no template), its tape entries and objects, and the layout its tape lies in. */
let templateValues: i32 = -1;
let templateEntries: i32 = 0;
let templateObjects: i32 = 0;
let templateGeneration: i32 = -1;

/** How many numbers of the last line replayed are SLOW_NUMBER. */
export let replaySlow: i32 = 0;

/** Drops the template (after a line not read in full, and for a new file). */
export function forgetTemplate(): void {
  templateValues = -1;
}

@inline
function word(region: usize, i: i32): i32 {
  return load<i32>(region + (<usize>i << 2));
}

@inline
function setWord(region: usize, i: i32, value: i32): void {
  store<i32>(region + (<usize>i << 2), value);
}

/**
 * Makes the template of the line at `line` just read in full: `count` tape entries,
 * ending at its LF `end`. Lines too long for the template, or holding raw values, leave
 * none.
 */
export function makeTemplate(line: usize, count: i32, end: usize): void {
  templateValues = -1;
  let v: i32 = 0;
  let used: i32 = 0;
  let objects: i32 = 0;
  let gapStart: i32 = 0;
  // Containers still open (an object, and an array inside it): their fixup and last entry.
  let outer: i32 = -1;
  let outerLast: i32 = -1;
  let inner: i32 = -1;
  let innerLast: i32 = -1;
  for (let e: i32 = 0; e < count; e++) {
    const at = tape + <usize>e * 20;
    const kind = load<i32>(at, 4);
    const start = load<i32>(at, 8);
    const stop = load<i32>(at, 12);
    if (kind == RAW || kind == RAW_UNICODE) return;
    if (kind == OBJECT || kind == ARRAY) {
      // Its `{` lies in the gap before its first value (value v), its `}` in the gap after
      // its last one; offsets within those gaps place them in a replayed line.
      if (objects >= TEMPLATE_OBJECTS) return;
      const fixup = OBJECT_FIXUP + <usize>objects * 20;
      store<i32>(fixup, e);
      store<i32>(fixup, v, 4);
      store<i32>(fixup, start - gapStart, 8);
      store<i32>(fixup, stop, 16); // made relative to its gap below, once every gap start is known
      const last = e + load<i32>(at, 16);
      if (outer < 0) {
        outer = objects;
        outerLast = last;
      } else {
        inner = objects;
        innerLast = last;
      }
      objects++;
    } else {
      const gap = start - gapStart;
      if (v >= SHAPE_ENTRIES || used + gap > TEMPLATE_BYTES) return;
      memory.copy(TEMPLATE + <usize>used, line + <usize>gapStart, <usize>gap);
      setWord(GAP_OFFSET, v, used);
      setWord(GAP_LENGTH, v, gap);
      setWord(GAP_AT, v, gapStart);
      setWord(VALUE_ENTRY, v, e);
      setWord(VALUE_CLASS, v, kindClass(kind));
      used += gap;
      v++;
      gapStart = stop;
    }
    // Containers whose last entry this was close in the gap of the next value.
    if (inner >= 0 && innerLast == e) {
      store<i32>(OBJECT_FIXUP + <usize>inner * 20, v, 12);
      inner = -1;
    }
    if (outer >= 0 && outerLast == e) {
      store<i32>(OBJECT_FIXUP + <usize>outer * 20, v, 12);
      outer = -1;
    }
  }
  const last = <i32>(end - line) - gapStart;
  if (used + last > TEMPLATE_BYTES) return;
  memory.copy(TEMPLATE + <usize>used, line + <usize>gapStart, <usize>last);
  setWord(GAP_OFFSET, v, used);
  setWord(GAP_LENGTH, v, last);
  setWord(GAP_AT, v, gapStart);
  for (let o: i32 = 0; o < objects; o++) {
    const fixup = OBJECT_FIXUP + <usize>o * 20;
    store<i32>(fixup, load<i32>(fixup, 16) - word(GAP_AT, load<i32>(fixup, 12)), 16);
  }
  templateValues = v;
  templateEntries = count;
  templateObjects = objects;
  templateGeneration = layoutGeneration;
}

/** replay(): no template, or the line runs into `limit` before it could differ (neither says the next line will not fit). */
export const NO_REPLAY: i32 = -2;

/**
 * Reads the line at `line` (its bytes end at `limit`, zeros after) by the template: its
 * tape entry count; −1 when it differs from the template
 * anywhere but in its values; NO_REPLAY when there is no template or the line reaches
 * `limit` (read it in full then, either way).
 */
export function replay(line: usize, limit: usize): i32 {
  const n = templateValues;
  if (n < 0 || templateGeneration != layoutGeneration) return NO_REPLAY;
  let p = line;
  let slow: i32 = 0;
  for (let v: i32 = 0; v < n; v++) {
    const gap = word(GAP_LENGTH, v);
    if (p + <usize>gap > limit) return NO_REPLAY;
    if (!sameBytes(p, TEMPLATE + <usize>word(GAP_OFFSET, v), gap)) return -1;
    setWord(GAP_AT, v, <i32>(p - line));
    p += <usize>gap;
    const e = <usize>word(VALUE_ENTRY, v);
    let kind: i32;
    let end: usize;
    if (word(VALUE_CLASS, v) == NUMBER) {
      kind = readScalar(p);
      if (kind < 0) return -1;
      end = numberEnd;
      store<f64>(values + (e << 3), numberValue);
      if (kind == SLOW_NUMBER) slow++;
    } else {
      if (<u32>load<u8>(p) != QUOTE) return -1;
      kind = readString(p);
      if (kind < 0) return -1;
      end = valueEnd;
    }
    const at = tape + e * 20;
    store<i32>(at, kind, 4);
    store<i32>(at, <i32>(p - line), 8);
    store<i32>(at, <i32>(end - line), 12);
    p = end;
  }
  const last = word(GAP_LENGTH, n);
  if (p + <usize>last >= limit) return NO_REPLAY;
  if (!sameBytes(p, TEMPLATE + <usize>word(GAP_OFFSET, n), last)) return -1;
  setWord(GAP_AT, n, <i32>(p - line));
  p += <usize>last;
  if (<u32>load<u8>(p) != LF) return -1;
  for (let o: i32 = 0; o < templateObjects; o++) {
    const fixup = OBJECT_FIXUP + <usize>o * 20;
    const at = tape + <usize>load<i32>(fixup) * 20;
    store<i32>(at, word(GAP_AT, load<i32>(fixup, 4)) + load<i32>(fixup, 8), 8);
    store<i32>(at, word(GAP_AT, load<i32>(fixup, 12)) + load<i32>(fixup, 16), 12);
  }
  replaySlow = slow;
  return templateEntries;
}
