/**
 * Numbers (AssemblyScript; see tape.ts): JSON numbers and Python's bare tokens read
 * from bytes and converted exactly, or left to the caller (SLOW_NUMBER) when that
 * cannot be proven here. This is the reader's one decimal converter besides
 * `Number()` / `JSON.parse`, which the plain path uses and which settle every case
 * left to them, so every value equals `Number(token)` bit for bit.
 *
 * The method: up to 19 significant digits form an exact integer W (a u64, exact as a
 * double-double), the value W × 10^e is formed in double-double arithmetic with 10^e
 * from a table good to 2⁻¹⁰⁶ (powers.ts, made by the build from exact integers), and the
 * result is kept only when the error bound cannot reach a rounding boundary. Left to
 * the caller: values within ~2⁻⁹⁶ of a boundary (about once in 2⁴⁰ for random digits;
 * exact ties always), more than 19 significant digits, |e| > 270.
 */
import { DOT, isDigit, MINUS, NUMBER, PLUS, SLOW_NUMBER, ZERO } from './format';
import { MAX_EXP, MIN_EXP } from './memory';
import { POWERS } from './powers';

const POW_HI: usize = POWERS;
const POW_LO: usize = POWERS + <usize>(MAX_EXP - MIN_EXP + 1) * 8;

/** Significant digits a u64 holds exactly (10^19 < 2^64). */
const MAX_DIGITS: i32 = 19;
const EXPONENT_CAP: i32 = 100000;
const SPLIT: f64 = 134217729.0;
// Bound on the relative error of the double-double product (below 2^-101; 2^-96 leaves room for the checks' own rounding).
const ERROR_BOUND: f64 = 1.2621774483536189e-29; // 2^-96

/** The last number read, and where it ended. */
export let numberValue: f64 = 0;
export let numberEnd: usize = 0;

/** The exact error of p = fl(a × b), Dekker's two-product. */
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

/** The double nearest w × 10^e when its rounding is proven, else NaN. */
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
 * A JSON number at p (RFC 8259 grammar), into `numberValue`; `numberEnd` past it. Returns
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
  numberEnd = p;
  if (digits > MAX_DIGITS) return SLOW_NUMBER;
  const v = toDouble(w, e);
  if (v != v) return SLOW_NUMBER;
  numberValue = negative ? -v : v;
  return NUMBER;
}

/** A number or one of `NaN`, `Infinity`, `-Infinity`, `null` (NaN) at p; as readNumber. */
export function readScalar(p: usize): i32 {
  const c = <u32>load<u8>(p);
  if (c == 0x4e) {
    // NaN
    if (<u32>load<u8>(p + 1) != 0x61 || <u32>load<u8>(p + 2) != 0x4e) return -1;
    numberValue = NaN;
    numberEnd = p + 3;
    return NUMBER;
  }
  if (c == 0x6e) {
    // null
    if (load<u32>(p) != 0x6c6c756e) return -1;
    numberValue = NaN;
    numberEnd = p + 4;
    return NUMBER;
  }
  const negative = c == MINUS;
  const at = negative ? p + 1 : p;
  if (<u32>load<u8>(at) == 0x49) {
    // Infinity
    if (load<u64>(at) != 0x7974696e69666e49) return -1;
    numberValue = negative ? -Infinity : Infinity;
    numberEnd = at + 8;
    return NUMBER;
  }
  return readNumber(p);
}

