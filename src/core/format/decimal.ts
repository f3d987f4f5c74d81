/**
 * Exact decimal → double conversion for the number tokens of statistics files.
 *
 * Written by hand because converting the numbers is most of the cost of reading a
 * file: a release file holds ~450 000 numbers in Python's 17-digit repr, and
 * `Number()` / `JSON.parse` spend ~220 ns on each (0.1 s per file), while no npm
 * package converts digits without first making a string. Here the digits arrive as
 * integers from the byte scanner, the value W × 10^e is formed in double-double
 * arithmetic (W exact, 10^e from a table good to 2⁻¹⁰⁶), and the result is returned
 * only when its rounding to the nearest double is proven (the error bound cannot reach
 * a rounding boundary). Otherwise the caller falls back to `Number()`, so every result
 * equals `Number(token)` bit for bit. The fallback is taken for values within ~2⁻⁹⁶ of
 * a rounding boundary (about once in 2⁴⁰ for random digits; exact ties, which decimals
 * of 17 digits from 10⁻⁴ up can be, always), for more than 19 significant digits, and
 * for |e| > 270.
 */

/** Decimal exponents with a table entry; outside, the caller falls back. */
const MIN_EXP = -270;
const MAX_EXP = 270;

/** Exact powers of ten as doubles (10^0 … 10^22). */
const POW10: readonly number[] = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/** 10^e ≈ PH[e − MIN_EXP] + PL[e − MIN_EXP], relative error below 2⁻¹⁰⁶. */
const PH = new Float64Array(MAX_EXP - MIN_EXP + 1);
const PL = new Float64Array(MAX_EXP - MIN_EXP + 1);

/** x × 2^n for n down to −1100 without passing through a subnormal power of two. */
function ldexp(x: number, n: number): number {
  const a = Math.trunc(n / 2);
  return x * 2 ** a * 2 ** (n - a);
}

function fillPowers(): void {
  for (let e = MIN_EXP; e <= MAX_EXP; e++) {
    let z: bigint;
    let scale: number;
    if (e >= 0) {
      z = 10n ** BigInt(e);
      scale = 0;
    } else {
      // 10^e = 2^-K × (2^K / 10^-e); K keeps ~120 bits in the quotient.
      const K = Math.ceil(-e * Math.log2(10)) + 121;
      z = (1n << BigInt(K)) / 10n ** BigInt(-e);
      scale = -K;
    }
    const hi = Number(z);
    const lo = Number(z - BigInt(hi));
    PH[e - MIN_EXP] = ldexp(hi, scale);
    PL[e - MIN_EXP] = ldexp(lo, scale);
  }
}
fillPowers();

/** The table of 10^e as double-doubles, e = −270 … 270 (high parts, low parts), for the WebAssembly reader (lineTape.ts). */
export const POWERS_OF_TEN = { minExp: MIN_EXP, maxExp: MAX_EXP, high: PH as Readonly<Float64Array>, low: PL as Readonly<Float64Array> };

/** Dekker's splitter, 2^27 + 1: a × SPLIT separates a double into two 26-bit halves. */
const SPLIT = 134217729;

/** The exact error of the product p = fl(a × b) (Dekker's two-product, no FMA in JS). */
function productError(a: number, b: number, p: number): number {
  const ta = SPLIT * a;
  const ah = ta - (ta - a);
  const al = a - ah;
  const tb = SPLIT * b;
  const bh = tb - (tb - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

/** Bound on the relative error of the double-double product (it is below 2⁻¹⁰¹; 2⁻⁹⁶ leaves room for the checks' own rounding). */
const ERROR_BOUND = 2 ** -96;

/** Upper limit of `high`, the leading digits: 15 digits are exact in a double. */
export const HIGH_DIGITS = 15;
/** At most this many more digits (`low`) are taken: 15 + 4 = 19 significant digits. */
export const LOW_DIGITS = 4;

/**
 * The double nearest to (high × 10^lowDigits + low) × 10^exp10, for non-negative
 * integers high < 10^15, low < 10^lowDigits (lowDigits ≤ 4): the digits of a decimal
 * token split after its 15th significant digit. Returns NaN when the rounding cannot
 * be proven here; the caller then converts the token with `Number()`.
 */
export function decimalToDouble(high: number, low: number, lowDigits: number, exp10: number): number {
  let wh = high;
  let wl = 0;
  if (lowDigits === 0) {
    // Clinger's fast path: both operands exact, one correctly rounded operation.
    if (exp10 >= 0 && exp10 <= 22) return high * POW10[exp10];
    if (exp10 < 0 && exp10 >= -22) return high / POW10[-exp10];
  } else {
    const f = POW10[lowDigits];
    const p = high * f;
    const pe = productError(high, f, p);
    const s = p + low;
    const bv = s - p;
    const se = p - (s - bv) + (low - bv);
    wh = s;
    wl = pe + se; // both are small integers: the sum is exact, W = wh + wl exactly
  }
  if (wh === 0) return 0;
  if (exp10 < MIN_EXP || exp10 > MAX_EXP) return NaN;
  const ph = PH[exp10 - MIN_EXP];
  const pl = PL[exp10 - MIN_EXP];
  const p = wh * ph;
  const t = productError(wh, ph, p) + (wh * pl + wl * ph);
  const hi = p + t;
  const lo = t - (hi - p);
  // The exact value lies within hi + lo ± d. When both ends of that interval round to
  // hi (the additions below are correctly rounded and see the true spacing of doubles
  // around hi, also at a power of two), hi is the correctly rounded result.
  const d = Math.abs(hi) * ERROR_BOUND;
  if (hi + (lo + d) !== hi || hi + (lo - d) !== hi) return NaN;
  return hi;
}

const ZERO = 0x30;
const NINE = 0x39;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
/** Explicit exponents are clamped here while accumulating (far beyond any double). */
const EXPONENT_CAP = 100000;

/** ASCII bytes to a string, for the rare fallback to `Number()`. */
function asciiText(bytes: Uint8Array, start: number, end: number): string {
  let text = '';
  for (let k = start; k < end; k++) text += String.fromCharCode(bytes[k]);
  return text;
}

/**
 * Reads JSON numbers out of UTF-8 bytes. `read` returns the value of the number token
 * starting at an index and leaves the index after it in `end`; when the bytes there
 * are not a JSON number (grammar of RFC 8259: no leading zeros, no bare `.`, no `+`),
 * `end` is −1. Values equal `Number(token)` exactly.
 */
export class NumberReader {
  /** Index just past the last token read, or −1 when it was not a number. */
  end = 0;

  read(b: Uint8Array, start: number): number {
    let i = start;
    let c = b[i];
    const negative = c === MINUS;
    if (negative) c = b[++i];
    // Significant digits: the first 15 into `high`, the next 4 into `low`; `sig` counts all.
    let high = 0;
    let low = 0;
    let sig = 0;
    let exp = 0;
    if (c === ZERO) {
      c = b[++i];
      if (c >= ZERO && c <= NINE) return this.fail();
    } else if (c > ZERO && c <= NINE) {
      do {
        high = high * 10 + (c - ZERO);
        sig++;
        c = b[++i];
      } while (c >= ZERO && c <= NINE && sig < HIGH_DIGITS);
      // Integer digits past the 15th: counted (19 or more go to Number()), the rest kept in `low`.
      while (c >= ZERO && c <= NINE) {
        if (sig < HIGH_DIGITS + LOW_DIGITS) low = low * 10 + (c - ZERO);
        sig++;
        c = b[++i];
      }
    } else return this.fail();
    if (c === DOT) {
      c = b[++i];
      if (!(c >= ZERO && c <= NINE)) return this.fail();
      if (sig === 0) {
        while (c === ZERO) {
          exp--;
          c = b[++i];
        }
      }
      while (c >= ZERO && c <= NINE && sig < HIGH_DIGITS) {
        high = high * 10 + (c - ZERO);
        sig++;
        exp--;
        c = b[++i];
      }
      while (c >= ZERO && c <= NINE) {
        if (sig < HIGH_DIGITS + LOW_DIGITS) low = low * 10 + (c - ZERO);
        sig++;
        exp--;
        c = b[++i];
      }
    }
    if (c === LOWER_E || c === UPPER_E) {
      c = b[++i];
      let sign = 1;
      if (c === MINUS) {
        sign = -1;
        c = b[++i];
      } else if (c === PLUS) c = b[++i];
      if (!(c >= ZERO && c <= NINE)) return this.fail();
      let e = 0;
      do {
        if (e < EXPONENT_CAP) e = e * 10 + (c - ZERO);
        c = b[++i];
      } while (c >= ZERO && c <= NINE);
      exp += sign * e;
    }
    this.end = i;
    // Past 19 significant digits the split into high and low no longer holds: Number() decides.
    if (sig <= HIGH_DIGITS + LOW_DIGITS) {
      const v = decimalToDouble(high, low, sig > HIGH_DIGITS ? sig - HIGH_DIGITS : 0, exp);
      if (v === v) return negative ? -v : v;
    }
    return Number(asciiText(b, start, i));
  }

  private fail(): number {
    this.end = -1;
    return NaN;
  }
}
