import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimalToDouble, NumberReader } from '../../../src/core/format/decimal.ts';
import { formatPythonFloat } from '../../../src/core/format/jsonl.ts';

const enc = new TextEncoder();

/** Reads `token` followed by a delimiter; returns the value and where the reader stopped. */
function read(token: string, after = ','): { value: number; end: number } {
  const reader = new NumberReader();
  const value = reader.read(enc.encode(token + after), 0);
  return { value, end: reader.end };
}

function expectExact(token: string): void {
  const { value, end } = read(token);
  expect(end, token).toBe(token.length);
  expect(Object.is(value, Number(token)), `${token}: ${value} vs ${Number(token)}`).toBe(true);
}

describe('NumberReader', () => {
  it.each([
    '0', '-0', '0.0', '-0.0', '1', '-1', '0.1', '0.2', '0.30000000000000004', '1e-7', '1.5e-07', '1E+16', '1e16',
    '36.309785818223745', '1.304985468236325e-05', '-4.324329869992659e-06', '1.0554807274772428e-10',
    '9007199254740993', // 2^53 + 1: a tie, rounds to even
    '9007199254740995', '12345678901234567', '1234567890123456789', '12345678901234567890', '0.1234567890123456789',
    '123456789012345678901.5', '1.7976931348623157e308', '1.7976931348623159e308', '2.2250738585072014e-308',
    '2.2250738585072011e-308', '4.9e-324', '5e-324', '2e-324', '1e999', '-1e999', '1e-999', '0e999', '1e-400',
    '0.000000000000000000000000000000000001', '100000000000000000000000', '8.98846567431158e307',
    '2.5e-270', '7.0e270', '3.0e271', '1e+0', '1e-0', '0.5', '2.5', '1.00000000000000011102230246251565', // just above a tie
  ])('reads %s exactly as Number() does', (token) => {
    expectExact(token);
  });

  it.each(['01', '-', '-x', '1.', '.5', '1e', '1e+', '+1', '-.5', 'x', '00', '-01', '1.e5'])('rejects %s (end −1)', (token) => {
    expect(read(token).end).toBe(-1);
  });

  it('stops at the first byte that cannot continue the token', () => {
    expect(read('12.5', '}')).toEqual({ value: 12.5, end: 4 });
    expect(read('-3e2', ' ,')).toEqual({ value: -300, end: 4 });
    expect(read('7', '')).toEqual({ value: 7, end: 1 }); // the token may end the buffer
  });

  it('agrees with Number() on random doubles in every way they are written', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 1, max: 21 }), (x, digits) => {
        for (const token of [String(x), x.toPrecision(17), x.toPrecision(digits), x.toExponential(digits - 1), formatPythonFloat(x)]) {
          expectExact(token);
        }
      }),
      { numRuns: 20000 },
    );
  });

  it('agrees with Number() on random digit strings of the JSON grammar', () => {
    const token = fc
      .tuple(
        fc.boolean(),
        fc.stringMatching(/^(0|[1-9][0-9]{0,24})$/),
        fc.option(fc.stringMatching(/^[0-9]{1,24}$/)),
        fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.integer({ min: 0, max: 400 }))),
      )
      .map(([neg, int, frac, exp]) => `${neg ? '-' : ''}${int}${frac === null ? '' : '.' + frac}${exp === null ? '' : exp[0] + exp[1] + exp[2]}`);
    fc.assert(fc.property(token, (t) => expectExact(t)), { numRuns: 20000 });
  });
});

describe('decimalToDouble', () => {
  it('is exact or declines (NaN), never wrong, for any split of 19 digits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 999_999_999_999_999 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: -300, max: 300 }),
        (high, lowDigits, lowRaw, exp) => {
          const low = lowDigits === 0 ? 0 : lowRaw % 10 ** lowDigits;
          const value = decimalToDouble(high, low, lowDigits, exp);
          const token = `${high}${lowDigits === 0 ? '' : String(low).padStart(lowDigits, '0')}e${exp}`;
          if (!Number.isNaN(value)) expect(value, token).toBe(Number(token));
        },
      ),
      { numRuns: 50000 },
    );
  });

  it('declines in well under one case in a thousand on 17-digit fractions like those in the files (the fast path is the path)', () => {
    // From 10^-4 up, 17-digit decimals can be exact ties between two doubles (declined on
    // purpose); the files' fractions (S_sum ~ 10¹ with 17 digits → exponent −15) cannot.
    let declined = 0;
    const runs = 20000;
    fc.assert(
      fc.property(fc.integer({ min: 100_000_000_000_000, max: 999_999_999_999_999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: -40, max: -5 }), (high, low, exp) => {
        if (Number.isNaN(decimalToDouble(high, low, 2, exp))) declined++;
      }),
      { numRuns: runs },
    );
    expect(declined).toBeLessThan(runs / 1000);
  });

  it('declines exact ties between two doubles (Number() rounds them to even)', () => {
    // 2^53 + 1 = 9007199254740993 lies halfway between 2^53 and 2^53 + 2.
    expect(decimalToDouble(900719925474099, 3, 1, 0)).toBeNaN();
  });
});
