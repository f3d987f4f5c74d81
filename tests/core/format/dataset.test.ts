import { describe, expect, it } from 'vitest';
import { parseDataset } from '../../../src/core/format/dataset';

const A = { instruction: 'What is 2 + 2?', input: '', output: '4' };
const B = { instruction: 'Sort the list.', input: '3, 1, 2', output: '1, 2, 3' };

describe('parseDataset', () => {
  const good: { name: string; file: string; text: string }[] = [
    { name: 'a JSON array as the study writes it (indented)', file: 'gsm8k_train_no_cot.json', text: JSON.stringify([A, B], null, 4) },
    { name: 'a compact JSON array', file: 'd.json', text: JSON.stringify([A, B]) },
    { name: 'JSONL', file: 'd.jsonl', text: `${JSON.stringify(A)}\n${JSON.stringify(B)}\n` },
    { name: 'JSONL with CRLF line ends and blank lines', file: 'd.jsonl', text: `${JSON.stringify(A)}\r\n\r\n${JSON.stringify(B)}\r\n` },
    { name: 'JSONL with a byte order mark', file: 'd.jsonl', text: `\ufeff${JSON.stringify(A)}\n${JSON.stringify(B)}` },
    { name: 'a JSON array with a byte order mark and CRLF', file: 'd.json', text: `\ufeff${JSON.stringify([A, B], null, 2).replace(/\n/g, '\r\n')}` },
    { name: 'JSONL in a .json file', file: 'd.json', text: `${JSON.stringify(A)}\n${JSON.stringify(B)}` },
    { name: 'records with extra fields (ignored)', file: 'd.jsonl', text: `${JSON.stringify({ ...A, id: 7, source: 'x' })}\n${JSON.stringify({ ...B, meta: { a: 1 } })}` },
  ];
  for (const c of good) {
    it(`reads ${c.name}`, () => {
      const text = c.text;
      expect(parseDataset(c.file, text)).toEqual({ records: [A, B], skipped: [] });
      expect(text, 'input unchanged').toBe(c.text);
    });
  }

  it('fills a missing or null input with an empty string and writes numbers as text', () => {
    const text = '{"instruction":"q","output":20}\n{"instruction":"q2","input":null,"output":"a"}\n{"instruction":"q3","input":1.5,"output":"a"}';
    expect(parseDataset('d.jsonl', text).records).toEqual([
      { instruction: 'q', input: '', output: '20' },
      { instruction: 'q2', input: '', output: 'a' },
      { instruction: 'q3', input: '1.5', output: 'a' },
    ]);
  });

  it('keeps bad JSONL lines out, naming the 1-based line and the reason', () => {
    const lines = [
      JSON.stringify(A),
      '{"instruction": "cut off',
      '[1, 2]',
      '"just text"',
      'null',
      '{"output": "x"}',
      '{"instruction": "   ", "output": "x"}',
      '{"instruction": "q", "output": null}',
      '{"instruction": "q"}',
      '{"instruction": ["q"], "output": "x"}',
      '{"instruction": "q", "input": {}, "output": "x"}',
      '{"instruction": "q", "output": NaN}',
      JSON.stringify(B),
    ];
    const { records, skipped } = parseDataset('d.jsonl', lines.join('\n'));
    expect(records).toEqual([A, B]);
    expect(skipped.map((s) => s.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const reasons = skipped.map((s) => s.reason);
    expect(reasons[0]).toMatch(/^line 2: not valid JSON/);
    expect(reasons[1]).toBe('line 3: expected an object with instruction and output, got an array');
    expect(reasons[2]).toBe('line 4: expected an object with instruction and output, got string');
    expect(reasons[3]).toBe('line 5: expected an object with instruction and output, got null');
    expect(reasons[4]).toBe('line 6: instruction is missing');
    expect(reasons[5]).toBe('line 7: instruction is blank');
    expect(reasons[6]).toBe('line 8: output must be a string, got null');
    expect(reasons[7]).toBe('line 9: output is missing');
    expect(reasons[8]).toBe('line 10: instruction must be a string, got an array');
    expect(reasons[9]).toBe('line 11: input must be a string, got object');
    expect(reasons[10]).toMatch(/^line 12: not valid JSON/);
  });

  it('keeps a bad array element out without losing its neighbours, naming its line and index', () => {
    const text = `[\n  ${JSON.stringify(A)},\n  {"instruction": "q", "output": 5,, },\n  {"output": "x"},\n  ${JSON.stringify(B)}\n]\n`;
    const { records, skipped } = parseDataset('d.json', text);
    expect(records).toEqual([A, B]);
    expect(skipped).toHaveLength(2);
    expect(skipped[0].line).toBe(3);
    expect(skipped[0].reason).toMatch(/^record 2: not valid JSON/);
    expect(skipped[1]).toEqual({ line: 4, reason: 'record 3: instruction is missing' });
  });

  it('handles brackets, commas and escaped quotes inside strings of array elements', () => {
    const tricky = { instruction: 'He said "[a, b]" and }{ ,', input: 'x\\', output: '] ,' };
    expect(parseDataset('d.json', JSON.stringify([tricky, A])).records).toEqual([tricky, A]);
  });

  it('reports an array that is never closed, after the records it could read', () => {
    const { records, skipped } = parseDataset('d.json', `[${JSON.stringify(A)}, {"instruction": "q", "out`);
    expect(records).toEqual([A]);
    expect(skipped).toEqual([{ line: 1, reason: 'record 2: cut off: the array is not closed' }]);
  });

  it('reports text after the closing bracket', () => {
    const { records, skipped } = parseDataset('d.json', `[${JSON.stringify(A)}]\n{"x": 1}`);
    expect(records).toEqual([A]);
    expect(skipped[0].reason).toMatch(/after the closing \]/);
  });

  it('reads a .jsonl file line by line even when a line is an array', () => {
    const { records, skipped } = parseDataset('d.jsonl', `[1]\n${JSON.stringify(A)}`);
    expect(records).toEqual([A]);
    expect(skipped).toEqual([{ line: 1, reason: 'line 1: expected an object with instruction and output, got an array' }]);
  });

  it.each([
    ['an empty text', ''],
    ['blank lines', '\n \r\n\t\n'],
    ['a byte order mark alone', '\ufeff'],
    ['an empty array', '[ ]'],
  ])('returns no records and nothing skipped for %s', (_name, text) => {
    expect(parseDataset('d.json', text)).toEqual({ records: [], skipped: [] });
  });

  it('is not fooled or polluted by __proto__ keys', () => {
    const text = [
      '{"__proto__": {"instruction": "inherited?", "output": "no"}, "output": "x"}',
      '{"__proto__": {"polluted": true}, "instruction": "q", "output": "a"}',
      '{"instruction": "q2", "output": "b", "constructor": {"prototype": {"polluted": true}}}',
    ].join('\n');
    const { records, skipped } = parseDataset('d.jsonl', text);
    expect(skipped).toEqual([{ line: 1, reason: 'line 1: instruction is missing' }]);
    expect(records).toEqual([
      { instruction: 'q', input: '', output: 'a' },
      { instruction: 'q2', input: '', output: 'b' },
    ]);
    expect(Object.getPrototypeOf(records[0])).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps Python-escaped non-ASCII text as the characters it stands for', () => {
    const text = '[{"instruction": "Pete\\u2019s wallet \\u00bd", "input": "", "output": "20"}]';
    expect(parseDataset('d.json', text).records[0].instruction).toBe('Pete’s wallet ½');
  });
});
