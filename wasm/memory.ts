/**
 * The kernel's memory (AssemblyScript; see tape.ts): fixed regions for the key
 * table, the remembered shape, the scatter map and output, the key
 * bytes and the last line's template (replay.ts); then the bytes region (lines or chunks
 * of a file), the tape and its values, which grow on demand.
 */

/** Distinct key names kept; past it, lines with new names return −1. */
export const MAX_NAMES: i32 = 16384;
/** Open-addressing slots (a power of two, twice MAX_NAMES). */
export const TABLE_SLOTS: i32 = 32768;
export const ARENA_BYTES: i32 = 1 << 18;
/** Positions in a line whose last key is remembered (top level; matrix fields of the whole line). */
export const TOP_SLOTS: i32 = 4096;
export const FIELD_SLOTS: i32 = 16384;
/** Entries of the last line remembered for sameShape(). */
export const SHAPE_ENTRIES: i32 = 16384;
/** Decimal exponents of the power table (powers.ts, made by the build). */
export const MIN_EXP: i32 = -270;
export const MAX_EXP: i32 = 270;
/** The output slots scatter() fills (doubles: several lines' values, laid out by the caller). */
export const OUT_SLOTS: i32 = 131072;
/** Bytes of a template's gaps (the text between a line's values); a line with more is not replayed. */
export const TEMPLATE_BYTES: i32 = 1 << 18;
/** Flat objects a template places (their braces lie in gaps). */
export const TEMPLATE_OBJECTS: i32 = 4096;
/** Containers a raw value may nest (deeper ones are left to the JavaScript paths). */
export const MAX_DEPTH: i32 = 512;
/** Bytes after a line's limit set to zero: every reader stops at a zero byte, so none reads past them. */
export const PAD: i32 = 16;

const BASE: usize = (__heap_base + 15) & ~(<usize>15);
export const TABLE: usize = BASE;
export const KEY_START: usize = TABLE + <usize>TABLE_SLOTS * 4;
export const KEY_LENGTH: usize = KEY_START + <usize>MAX_NAMES * 4;
export const STAMP_TOP: usize = KEY_LENGTH + <usize>MAX_NAMES * 4;
export const STAMP_FIELD: usize = STAMP_TOP + <usize>MAX_NAMES * 4;
export const SLOT_TOP: usize = STAMP_FIELD + <usize>MAX_NAMES * 4;
export const SLOT_FIELD: usize = SLOT_TOP + <usize>TOP_SLOTS * 4;
export const SHAPE: usize = SLOT_FIELD + <usize>FIELD_SLOTS * 4;
/** Per entry of a line of the remembered shape: the output slot its number goes to (−1: none). Written by the caller. */
export const SCATTER: usize = SHAPE + <usize>SHAPE_ENTRIES * 8;
export const OUT: usize = SCATTER + <usize>SHAPE_ENTRIES * 4;
export const ARENA: usize = OUT + <usize>OUT_SLOTS * 8;
/** The template (replay.ts): gap bytes; per value its gap's length and offset, tape entry and kind class; per gap where it starts in the line replayed; per object its entry, and the gap and offset of its braces. */
export const TEMPLATE: usize = ARENA + <usize>ARENA_BYTES + 16;
export const GAP_LENGTH: usize = TEMPLATE + <usize>TEMPLATE_BYTES + 16;
export const GAP_OFFSET: usize = GAP_LENGTH + <usize>(SHAPE_ENTRIES + 1) * 4;
export const GAP_AT: usize = GAP_OFFSET + <usize>(SHAPE_ENTRIES + 1) * 4;
export const VALUE_ENTRY: usize = GAP_AT + <usize>(SHAPE_ENTRIES + 1) * 4;
export const VALUE_CLASS: usize = VALUE_ENTRY + <usize>SHAPE_ENTRIES * 4;
export const OBJECT_FIXUP: usize = VALUE_CLASS + <usize>SHAPE_ENTRIES * 4;
/** Per container open around a raw value: 1 for an object, 0 for an array (values.ts). */
export const NESTING: usize = OBJECT_FIXUP + <usize>TEMPLATE_OBJECTS * 20;
/** Per key id, 1 when the caller keeps that top-level key's object as text (keepAsText): it is read raw, its members never tokenized. */
export const KEEP_TEXT: usize = NESTING + <usize>MAX_DEPTH + 16;
export const DYNAMIC: usize = KEEP_TEXT + <usize>MAX_NAMES + 16;

/** Bytes the bytes region holds (PAD more are reserved after them). */
export let bytesCapacity: i32 = 0;
/** Where the tape's entries and values are, and how many entries there is room for. */
export let tape: usize = 0;
export let values: usize = 0;
export let capacity: i32 = 0;
/** Counts layout() calls: the tape moves with each, so a template made before one is stale. */
export let layoutGeneration: i32 = 0;

/** Places the tape after a bytes region of `bytes` and grows memory to hold both; false when memory cannot grow. */
export function layout(bytes: i32, cap: i32): bool {
  const tapeAt = (DYNAMIC + <usize>bytes + <usize>PAD + 7) & ~(<usize>7);
  const valuesAt = tapeAt + <usize>cap * 20 + 8;
  const end = (valuesAt & ~(<usize>7)) + <usize>cap * 8;
  const pages = <i32>((end + 0xffff) >> 16);
  const have = memory.size();
  if (pages > have && memory.grow(pages - have) < 0) return false;
  bytesCapacity = bytes;
  layoutGeneration++;
  tape = tapeAt;
  values = valuesAt & ~(<usize>7);
  capacity = cap;
  return true;
}
