import { describe, expect, it } from 'vitest';
import { locateJsonError, toStrictJson } from '../../../src/core/format/jsonScanner.ts';

describe('locateJsonError', () => {
  it.each([
    ['{"a": 1}'],
    ['{"a": NaN, "b": [Infinity, -Infinity], "c": "\\u00e9\\n"}'],
    ['  [1, -0.5e-3, true, false, null, {}]  '],
    ['"NaN"'],
  ])('finds nothing wrong in %j', (text) => {
    expect(locateJsonError(text)).toBeNull();
  });

  it.each([
    ['', 1, 'unexpected end of input', true],
    ['   ', 4, 'unexpected end of input', true],
    ['{"a": 1,}', 9, 'expected a quoted key', false],
    ['{"a": }', 7, 'unexpected character "}"', false],
    ['{"a" 1}', 6, "expected ':' after a key", false],
    ['{"a": 1 "b": 2}', 9, `expected ',' or '}' but found "\\""`, false],
    ['[1 2]', 4, `expected ',' or ']' but found "2"`, false],
    ['{"a": "b', 9, 'unterminated string', true],
    ['{"a": 1', 8, 'unexpected end of input', true],
    ['{"a": 01}', 8, `expected ',' or '}' but found "1"`, false],
    ['{"a": 1.}', 9, 'invalid number: no digit after the decimal point', false],
    ['{"a": 1e}', 9, 'invalid number: no digit in the exponent', false],
    ['{"a": "\\x"}', 9, 'invalid escape in string', false],
    ['{"a": "\\u12"}', 8, 'invalid \\u escape in string', false],
    ['{"a": "\u0001"}', 8, 'control character in string', false],
    ['{"a": nan}', 7, 'unexpected character "n"', false],
    ['{"a": 1} x', 10, 'unexpected text after the record: "x"', false],
    ['{"a": 😀}', 7, 'unexpected character "😀"', false],
  ])('places the error in %j at column %i: %s', (text, column, message, atEnd) => {
    expect(locateJsonError(text)).toEqual({ column, message, atEnd });
  });

  it('reports deep nesting instead of overflowing the stack', () => {
    const deep = '['.repeat(100000);
    expect(locateJsonError(deep)?.message).toBe('nested too deeply');
  });
});

describe('toStrictJson', () => {
  it.each([
    ['{"a": 1}', '{"a": 1}'],
    ['{"a": NaN}', '{"a": null}'],
    ['{"a": Infinity, "b": -Infinity}', '{"a": 1e999, "b": -1e999}'],
    ['[NaN,NaN,-Infinity]', '[null,null,-1e999]'],
    ['{"NaN": "NaN Infinity -Infinity"}', '{"NaN": "NaN Infinity -Infinity"}'],
    ['{"a": "x\\" NaN \\\\", "b": NaN}', '{"a": "x\\" NaN \\\\", "b": null}'],
  ])('rewrites %j to %j, leaving strings alone', (input, output) => {
    expect(toStrictJson(input)).toBe(output);
  });

  it.each([['{"a": NaNx}'], ['{"a": 2Infinity}'], ['{"a": "unterminated NaN'], ['']])('throws a SyntaxError naming the column for %j', (input) => {
    expect(() => toStrictJson(input)).toThrow(/^column \d+: /);
  });
});
