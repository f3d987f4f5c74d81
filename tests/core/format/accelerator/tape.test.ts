import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ENTRY_WORDS, type Tape, TapeKind } from '../../../../src/core/format/accelerator/tape.ts';
import { formatPythonFloat, toJsonlLine } from '../../../../src/core/format/jsonl.ts';
import { newTape } from './newTape.ts';

const enc = (text: string) => new TextEncoder().encode(text);

interface Entry {
  key: string;
  kind: TapeKind;
  text: string;
  count: number;
  value: number;
}

/** The tape of one line as plain objects, or null when the kernel leaves the line alone. */
function entries(tape: Tape, line: string): Entry[] | null {
  const bytes = enc(line);
  const count = tape.tokenize(bytes);
  if (count < 0) return null;
  return Array.from({ length: count }, (_, e) => {
    const at = tape.intBase + ENTRY_WORDS * e;
    const [id, kind, start, end, members] = tape.ints.subarray(at, at + ENTRY_WORDS);
    return { key: id < 0 ? '' : tape.key(id), kind, text: new TextDecoder().decode(bytes.subarray(start, end)), count: members, value: tape.values[tape.valueBase + e] };
  });
}

/** The value the kernel gives for a number token, converted as the reader does for slow ones. */
function numberOf(tape: Tape, token: string): { value: number; slow: boolean } {
  const tokens = entries(tape, `{"x": ${token}}`);
  if (tokens === null) throw new Error(`left alone: ${token}`);
  const [entry] = tokens;
  return entry.kind === TapeKind.SlowNumber ? { value: Number(entry.text), slow: true } : { value: entry.value, slow: false };
}

describe('Tape (the WebAssembly line tokenizer)', () => {
  it('writes one entry per member, objects followed by their members', () => {
    const tape = newTape();
    expect(entries(tape, '{"instruction": "a \\"b\\"", "output": "c", "loss": 0.5, "m.0.q.weight": {"S_sum": 1.5, "S_max": NaN, "S_min": null}, "e": {}}')).toEqual([
      { key: 'instruction', kind: TapeKind.StringEscaped, text: '"a \\"b\\""', count: 0, value: expect.any(Number) },
      { key: 'output', kind: TapeKind.String, text: '"c"', count: 0, value: expect.any(Number) },
      { key: 'loss', kind: TapeKind.Number, text: '0.5', count: 0, value: 0.5 },
      { key: 'm.0.q.weight', kind: TapeKind.Object, text: '{"S_sum": 1.5, "S_max": NaN, "S_min": null}', count: 3, value: expect.any(Number) },
      { key: 'S_sum', kind: TapeKind.Number, text: '1.5', count: 0, value: 1.5 },
      { key: 'S_max', kind: TapeKind.Number, text: 'NaN', count: 0, value: NaN },
      { key: 'S_min', kind: TapeKind.Number, text: 'null', count: 0, value: NaN },
      { key: 'e', kind: TapeKind.Object, text: '{}', count: 0, value: expect.any(Number) },
    ]);
  });

  it('writes an array of numbers inside an object as an entry followed by its members, counted in the object', () => {
    expect(entries(newTape(), '{"m": {"S_list": [3.0, NaN, null], "S_max": 1e2}}')).toEqual([
      { key: 'm', kind: TapeKind.Object, text: '{"S_list": [3.0, NaN, null], "S_max": 1e2}', count: 5, value: expect.any(Number) },
      { key: 'S_list', kind: TapeKind.Array, text: '[3.0, NaN, null]', count: 3, value: expect.any(Number) },
      { key: '', kind: TapeKind.Number, text: '3.0', count: 0, value: 3 },
      { key: '', kind: TapeKind.Number, text: 'NaN', count: 0, value: NaN },
      { key: '', kind: TapeKind.Number, text: 'null', count: 0, value: NaN },
      { key: 'S_max', kind: TapeKind.Number, text: '1e2', count: 0, value: 100 },
    ]);
  });

  it.each([
    ['an array', '[1, "x", [], {}]'],
    ['a nested object', '{"n": {"x": [1, 2.5e-3, -Infinity]}}'],
    ['an object holding a string', '{"s": "1"}'],
    ['true', 'true'],
    ['false', 'false'],
    ['null inside an array', '[null, NaN, Infinity]'],
    ['a repeated key inside an object', '{"s": 1, "s": 2}'],
    ['escapes and an integer-like key', '{"0": "\\u00e9\\n", "\\u0041": [true]}'],
    ['an empty array and object', '[[], {}]'],
  ])('keeps %s of a top-level member as a raw value, checked but not read', (_, value) => {
    expect(entries(newTape(), `{"a": ${value}, "b": 1}`)?.map((e) => [e.key, e.kind, e.text])).toEqual([
      ['a', TapeKind.Raw, value],
      ['b', TapeKind.Number, '1'],
    ]);
  });

  it('marks raw values and strings holding bytes beyond ASCII', () => {
    expect(entries(newTape(), '{"a": ["é"], "b": "é", "c": "e", "d": "e\\n"}')?.map((e) => e.kind)).toEqual([TapeKind.RawUnicode, TapeKind.StringEscaped, TapeKind.String, TapeKind.StringEscaped]);
  });

  it.each([
    ['a bad escape', '["\\x"]'],
    ['a short \\u escape', '["\\u12"]'],
    ['a trailing comma in an array', '[1,]'],
    ['a missing colon', '{"a" 1}'],
    ['a key that is no string', '{a: 1}'],
    ['an unclosed array', '[1, 2'],
    ['a misspelled literal', '[tru]'],
    ['nan', '[nan]'],
    ['a leading zero', '[01]'],
    ['mismatched brackets', '[1}'],
    ['a control character', '["a\tb"]'],
  ])('leaves a line whose raw value holds %s to the plain path', (_, value) => {
    expect(entries(newTape(), `{"a": ${value}}`)).toBeNull();
  });

  it('leaves a raw value nested deeper than it follows to the plain path', () => {
    expect(entries(newTape(), `{"a": ${'['.repeat(600)}${']'.repeat(600)}}`)).toBeNull();
    expect(entries(newTape(), `{"a": ${'['.repeat(500)}${']'.repeat(500)}}`)?.[0].kind).toBe(TapeKind.Raw);
  });

  it('finds every LF of a chunk, and only LFs (0x0b after an LF fools a plain SWAR test)', () => {
    const tape = newTape();
    const text = 'ab\n\n\x0bc\n' + 'x'.repeat(37) + '\n\x0b\x0b\n' + '\n'.repeat(9) + 'end';
    const bytes = enc(text);
    const expected = Array.from(bytes.keys()).filter((i) => bytes[i] === 0x0a);
    expect(Array.from(tape.lineEnds(bytes) ?? [])).toEqual(expected);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (chunk) => {
        expect(Array.from(tape.lineEnds(chunk) ?? [])).toEqual(Array.from(chunk.keys()).filter((i) => chunk[i] === 0x0a));
      }),
    );
    // More LFs than one call gives (twice the tape's capacity, a quarter of the chunk's bytes).
    const newlines = new Uint8Array(1 << 20).fill(0x0a);
    const all = tape.lineEnds(newlines) ?? [];
    expect([all.length, all[0], all[all.length - 1]]).toEqual([1 << 20, 0, (1 << 20) - 1]);
  });

  it.each([
    ['a repeated top-level key', '{"a": 1, "a": 2}'],
    ['an escaped key', '{"a\\u0062": 1}'],
    ['a non-ASCII key', '{"é": 1}'],
    ['an integer-like key', '{"0": 1}'],
    ['a trailing comma', '{"a": 1,}'],
    ['trailing text', '{"a": 1} x'],
    ['a truncated line', '{"a": 1.5'],
    ['a leading zero', '{"a": 01}'],
    ['a bare dot', '{"a": 1.}'],
    ['-NaN', '{"a": -NaN}'],
    ['a raw control character in a string', '{"a": "x\ty"}'],
    ['an empty object line', '{}'],
    ['a byte order mark', '\uFEFF{"a": 1}'],
  ])('leaves %s to the plain path', (_, line) => {
    expect(entries(newTape(), line)).toBeNull();
  });

  it('allows a key repeated in another scope (a field named like a top-level key)', () => {
    expect(entries(newTape(), '{"loss": 1, "m": {"loss": 2}, "n": {"loss": 3}}')?.map((e) => e.key)).toEqual(['loss', 'm', 'loss', 'n', 'loss']);
  });

  it('converts the numbers Python writes exactly like Number()', () => {
    const tape = newTape();
    let slow = 0;
    let total = 0;
    fc.assert(
      fc.property(fc.double(), (x) => {
        for (const token of [toJsonlLine(x), JSON.stringify(x)]) {
          if (!Number.isFinite(x) && token === 'null') continue;
          const read = numberOf(tape, token);
          expect(Object.is(read.value, Number.isNaN(x) ? NaN : Number(token === 'NaN' || token.endsWith('Infinity') ? x : token))).toBe(true);
          // Past 10^±250 the power table ends and every number is left to JavaScript.
          if (x === 0 || (Math.abs(x) > 1e-250 && Math.abs(x) < 1e250)) {
            total++;
            if (read.slow) slow++;
          }
        }
      }),
      { numRuns: 20000 },
    );
    // Almost every repr in range is converted in WebAssembly (exact ties are not).
    expect(slow / total).toBeLessThan(0.01);
  });

  it('converts any decimal token exactly like Number(), handing the unproven ones to JavaScript', () => {
    const tape = newTape();
    const token = fc
      .tuple(fc.boolean(), fc.stringMatching(/^(0|[1-9][0-9]{0,24})$/), fc.option(fc.stringMatching(/^[0-9]{1,25}$/)), fc.option(fc.integer({ min: -400, max: 400 })))
      .map(([negative, int, frac, exp]) => `${negative ? '-' : ''}${int}${frac === null ? '' : `.${frac}`}${exp === null ? '' : `e${exp}`}`);
    fc.assert(
      fc.property(token, (text) => {
        expect(Object.is(numberOf(tape, text).value, Number(text))).toBe(true);
      }),
      { numRuns: 20000 },
    );
    for (const text of ['4.9e-324', '2.4703282292062327e-324', '2.4703282292062328e-324', '1.7976931348623157e308', '1.7976931348623159e308', '9007199254740993', '0.1e-99999', '1e99999', '-0', '-0.0e5']) {
      expect(Object.is(numberOf(tape, text).value, Number(text))).toBe(true);
    }
  });

  it('tells whether a line repeats the shape of the line before', () => {
    const tape = newTape();
    const shape = (line: string) => (tape.tokenize(enc(line)) < 0 ? 'left alone' : tape.sameShape());
    expect(shape('{"a": "x", "m": {"s": 1, "t": 2}}')).toBe(false);
    expect(shape('{"a": "y\\n", "m": {"s": 1e300, "t": 1.00000000000000000000001}}')).toBe(true);
    expect(shape('{"a": "y", "m": {"s": 1, "u": 2}}')).toBe(false);
    expect(shape('{"a": 5, "m": {"s": 1, "u": 2}}')).toBe(false);
    expect(shape('{"a": 6, "m": {"s": 1}, "u": 2}')).toBe(false);
    expect(shape('{"a": 6, "m": {"s": 1}, "u": 2}')).toBe(true);
    // A line left alone after matching so far changed nothing: the next is compared with the last line read whole.
    expect(shape('{"a": 6, "m": {"s": 1}, "u": 2,}')).toBe('left alone');
    expect(shape('{"a": 6, "m": {"s": 1}, "u": 2}')).toBe(true);
    // One that differed before it was left alone leaves nothing to compare with.
    expect(shape('{"b": 6, "u": 2,}')).toBe('left alone');
    expect(shape('{"a": 6, "m": {"s": 1}, "u": 2}')).toBe(false);
    expect(shape('{"a": 7, "m": {"s": 2}, "u": 3}')).toBe(true);
  });

  it('counts the numbers it leaves to JavaScript', () => {
    const tape = newTape();
    tape.tokenize(enc('{"m": {"a": 1.00000000000000000000001, "b": 2, "c": 12345678901234567890123}}'));
    expect(tape.slowNumbers()).toBe(2);
  });

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
    expect(Object.is(numberOf(newTape(), token).value, Number(token))).toBe(true);
  });

  it.each(['01', '-', '-x', '1.', '.5', '1e', '1e+', '+1', '-.5', '00', '-01', '1.e5'])('leaves the number %s to the plain path', (token) => {
    expect(entries(newTape(), `{"x": ${token}}`)).toBeNull();
  });

  it('agrees with Number() on random doubles in every way they are written', () => {
    const tape = newTape();
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 1, max: 21 }), (x, digits) => {
        for (const token of [String(x), x.toPrecision(17), x.toPrecision(digits), x.toExponential(digits - 1), formatPythonFloat(x)]) {
          expect(Object.is(numberOf(tape, token).value, Number(token)), token).toBe(true);
        }
      }),
      { numRuns: 20000 },
    );
  });

  it('grows its memory for long lines and reads them whole', () => {
    const tape = newTape();
    const matrix = (m: number) => `"k${m}": {${Array.from({ length: 20 }, (_, f) => `"v${f}": ${toJsonlLine((m * 20 + f) / 3)}`).join(', ')}}`;
    const line = `{${Array.from({ length: 10000 }, (_, m) => matrix(m)).join(', ')}}`;
    expect(line.length).toBeGreaterThan(4_000_000);
    const read = entries(tape, line);
    expect(read).toHaveLength(10000 * 21);
    expect(read?.[21 * 9999 + 20].value).toBe(199999 / 3);
    expect(entries(tape, '{"k0": {"v0": 2}}')?.[1].value).toBe(2);
  });

  it('leaves lines alone once it holds its maximum of distinct names, and reads known names still', () => {
    const tape = newTape();
    const names = Array.from({ length: 20000 }, (_, i) => `"n${i}": 1`);
    expect(tape.tokenize(enc(`{${names.join(', ')}}`))).toBe(-1);
    expect(entries(tape, '{"n1": 2}')?.[0].value).toBe(2);
  });
});

describe('Tape instances', () => {
  it('are reused after release with their keys forgotten, so a file reads the same on a fresh or a reused one', () => {
    const first = newTape();
    expect(entries(first, '{"a": 1, "m": {"s": 2}}')?.map((e) => e.key)).toEqual(['a', 'm', 's']);
    first.release();
    const again = newTape();
    expect(again).toBe(first);
    // Key ids restart: the first key of the next file is id 0, whatever the last file held.
    const line = '{"z": 3, "m": {"t": 4}}';
    const read = entries(again, line);
    expect(read?.map((e) => [e.key, e.value])).toEqual([
      ['z', 3],
      ['m', expect.any(Number)],
      ['t', 4],
    ]);
    expect(again.tokenize(new TextEncoder().encode(line))).toBe(3);
    expect(again.ints[again.intBase]).toBe(0);
    expect(again.sameShape()).toBe(true);
    const fresh = newTape();
    expect(fresh).not.toBe(again);
    expect(entries(fresh, line)).toEqual(read);
  });
});
