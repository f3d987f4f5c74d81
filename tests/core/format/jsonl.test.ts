import { sampleText } from '../../../src/core/format/run.ts';
import { describe, expect, it } from 'vitest';
import { formatPythonFloat, parsePythonJson, toJsonlLine, toPythonString } from '../../../src/core/format/jsonl.ts';
import { parseRun } from '../../../src/core/format/runParser.ts';

describe('formatPythonFloat', () => {
  // Expected strings are Python 3's repr / json.dumps of the same double.
  it.each([
    [1.5, '1.5'],
    [0.1, '0.1'],
    [1e-4, '0.0001'],
    [9.999e-5, '9.999e-05'],
    [1.5e-7, '1.5e-07'],
    [-1.2345678901234566e-7, '-1.2345678901234566e-07'],
    [1e16, '1e+16'],
    [1.2345e16, '1.2345e+16'],
    [123456789012345678, '1.2345678901234568e+17'],
    [1e22, '1e+22'],
    [1e300, '1e+300'],
    [5e-324, '5e-324'],
    [0.0031234567890123456, '0.0031234567890123456'],
    [1 / 3, '0.3333333333333333'],
    [1e15 + 0.5, '1000000000000000.5'],
    [-0, '-0.0'],
    [0, '0'],
    [100, '100'],
    [-7, '-7'],
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    [-Infinity, '-Infinity'],
  ])('writes %d as Python does: %s', (x, text) => {
    expect(formatPythonFloat(x)).toBe(text);
  });

  it('reads back to the same double for awkward magnitudes', () => {
    for (const x of [1e-5, 3.0000000000000004e-5, 1.7976931348623157e308, 2.2250738585072014e-308, 9007199254740993, 4.35e-10]) {
      expect(parsePythonJson(formatPythonFloat(x))).toBe(x);
    }
  });
});

describe('toPythonString', () => {
  it.each([
    ['', '""'],
    ['plain text', '"plain text"'],
    ['é', '"\\u00e9"'],
    ['x\u007f\u0001\n"\\ 😀', '"x\\u007f\\u0001\\n\\"\\\\ \\ud83d\\ude00"'],
    ['\ud800', '"\\ud800"'],
  ])('escapes %j like ensure_ascii', (text, out) => {
    expect(toPythonString(text)).toBe(out);
  });
});

describe('toJsonlLine', () => {
  it('writes what Python json.dumps writes for the same record', () => {
    const record = { a: [1, NaN, Infinity, -Infinity], é: 'x\u007f\u0001\n"\\ 😀', n: null, t: true };
    expect(toJsonlLine(record)).toBe('{"a": [1, NaN, Infinity, -Infinity], "\\u00e9": "x\\u007f\\u0001\\n\\"\\\\ \\ud83d\\ude00", "n": null, "t": true}');
  });

  it.each([
    [{}, '{}'],
    [[], '[]'],
    [null, 'null'],
    [undefined, 'null'],
    [{ u: undefined, f: () => 1, k: 1 }, '{"k": 1}'],
    [[undefined, 1], '[null, 1]'],
    [new Float64Array([1.5, NaN]), '[1.5, NaN]'],
    [{ toJSON: () => 'x' }, '"x"'],
  ])('writes %j as %s', (value, text) => {
    expect(toJsonlLine(value)).toBe(text);
  });

  it('throws a TypeError on a cycle', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(() => toJsonlLine(a)).toThrow(TypeError);
  });

  it('round-trips a statistics record through the reader, NaN and ±Infinity included', () => {
    const record = {
      instruction: 'NaN is "not" a number',
      output: 'é',
      loss: 1.25,
      'model.layers.0.self_attn.q_proj.weight': { S_sum: 1.2345678901234567e-7, S_max: NaN, S_min: -Infinity, effective_rank: Infinity },
      'model.layers.1.self_attn.q_proj.weight': { S_sum: 3.5e20, S_max: -0, S_min: 5e-324, effective_rank: 2 },
    };
    const run = parseRun('rt.jsonl', new TextEncoder().encode(toJsonlLine(record) + '\n'));
    const col = (s: string) => Array.from(run.values.get('self_attn.q_proj')?.get(s) ?? []);
    expect(col('S_sum')).toEqual([1.2345678901234567e-7, 3.5e20]);
    expect(col('S_max')).toEqual([NaN, -0]);
    expect(col('S_min')).toEqual([-Infinity, 5e-324]);
    expect(col('effective_rank')).toEqual([Infinity, 2]);
    expect(sampleText(run, 0).instruction).toBe('NaN is "not" a number');
    expect(sampleText(run, 0).output).toBe('é');
  });
});

describe('parsePythonJson', () => {
  it('parses NaN as null and ±Infinity as numbers, and throws on text that is not JSON', () => {
    expect(parsePythonJson('[NaN, Infinity, -Infinity, "NaN"]')).toEqual([null, Infinity, -Infinity, 'NaN']);
    expect(() => parsePythonJson('')).toThrow(SyntaxError);
    expect(() => parsePythonJson('{"a": NaNx}')).toThrow(SyntaxError);
  });
});
