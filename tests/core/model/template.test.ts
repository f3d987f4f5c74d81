import { describe, expect, it } from 'vitest';
import { describeTruncation, encodePrompt, encodeSample, promptText, truncation } from '../../../src/core/model/template';
import { ByteTokenizer, DEFAULT_SPECIAL_TOKENS } from '../../../src/core/model/tokenizer';

const tok = new ByteTokenizer(DEFAULT_SPECIAL_TOKENS);
const b = (s: string) => tok.encode(s);
const BOS = 256;
const EOS = 257;
const USER = 259;
const ASSISTANT = 260;
const END = 261;

describe('promptText', () => {
  it.each([
    [{ instruction: 'Q', output: 'A' }, 'Q'],
    [{ instruction: 'Q', input: '', output: 'A' }, 'Q'],
    [{ instruction: 'Q', input: 'ctx', output: 'A' }, 'Q\nctx'],
  ])('joins instruction and input as the study does (%j)', (record, expected) => {
    expect(promptText(record)).toBe(expected);
  });
});

describe('encodeSample', () => {
  it.each([
    ['base, no input', { instruction: 'Q', output: 'A' }, 'base', [BOS, ...b('Q\n'), ...b('A')], 3],
    ['base, empty input', { instruction: 'Q', input: '', output: 'A' }, 'base', [BOS, ...b('Q\n'), ...b('A')], 3],
    ['base, input present', { instruction: 'Q', input: 'x', output: 'AB' }, 'base', [BOS, ...b('Q\nx\n'), ...b('AB')], 5],
    ['chat, no input', { instruction: 'Q', output: 'A' }, 'chat', [BOS, USER, ...b('Q'), END, ASSISTANT, ...b('A')], 5],
    ['chat, input present', { instruction: 'Q', input: 'x', output: 'A' }, 'chat', [BOS, USER, ...b('Q\nx'), END, ASSISTANT, ...b('A')], 7],
    ['base, non-ASCII', { instruction: 'é', output: '€' }, 'base', [BOS, 0xc3, 0xa9, 10, 0xe2, 0x82, 0xac], 4],
  ] as const)('encodes %s', (_, record, template, ids, responseStart) => {
    const out = encodeSample(tok, record, { template, maxLength: 1024 });
    expect(out.ids).toEqual(ids);
    expect(out.responseStart).toBe(responseStart);
  });

  it('starts the response right after the prompt ids, the count the study masks', () => {
    for (const template of ['base', 'chat'] as const) {
      const record = { instruction: 'Add 2 and 3.', input: 'Show steps', output: 'Answer: 5' };
      const { ids, responseStart } = encodeSample(tok, record, { template });
      expect(responseStart).toBe(encodePrompt(tok, record, template).length);
      expect(tok.decode(ids.slice(responseStart))).toBe('Answer: 5');
    }
  });

  it('appends the end marker to the response only when asked', () => {
    const r = { instruction: 'Q', output: 'A' };
    expect(encodeSample(tok, r, { template: 'chat', closeResponse: true }).ids.at(-1)).toBe(END);
    expect(encodeSample(tok, r, { template: 'base', closeResponse: true }).ids.at(-1)).toBe(EOS);
    expect(encodeSample(tok, r, { template: 'chat' }).ids.at(-1)).toBe(b('A')[0]);
  });

  it('defaults to the study maximum length of 1024 ids', () => {
    const out = encodeSample(tok, { instruction: 'Q', output: 'x'.repeat(2000) }, { template: 'base' });
    expect(out.ids.length).toBe(1024);
  });

  it('truncates the response when the text is longer than maxLength', () => {
    const out = encodeSample(tok, { instruction: 'Q', output: 'ABCDEFGH' }, { template: 'base', maxLength: 6 });
    expect(out.ids).toEqual([BOS, ...b('Q\n'), ...b('ABC')]);
    expect(out.responseStart).toBe(3);
  });

  it.each([
    ['fills maxLength exactly', 3],
    ['is longer than maxLength', 2],
  ])('leaves no response token when the prompt alone %s', (_, maxLength) => {
    const out = encodeSample(tok, { instruction: 'Q', output: 'A' }, { template: 'base', maxLength });
    expect(out.ids.length).toBe(maxLength);
    expect(out.responseStart).toBe(out.ids.length);
  });

  it('keeps an empty output as a sample with no response tokens', () => {
    const out = encodeSample(tok, { instruction: 'Q', output: '' }, { template: 'chat' });
    expect(out.responseStart).toBe(out.ids.length);
  });

  it('refuses a non-positive maxLength', () => {
    expect(() => encodeSample(tok, { instruction: 'Q', output: 'A' }, { template: 'base', maxLength: 0 })).toThrow(/maxLength/);
  });

  it('leaves the record unchanged', () => {
    const r = { instruction: 'Q', input: 'x', output: 'A' };
    const copy = structuredClone(r);
    encodeSample(tok, r, { template: 'chat' });
    expect(r).toEqual(copy);
  });
});

describe('truncation', () => {
  // Base template: [BOS] + bytes of "Q\n" = 3 prompt tokens; chat: BOS USER Q END ASSISTANT = 5.
  const records = [
    { instruction: 'Q', output: 'A' }, // base 4 tokens, chat 6
    { instruction: 'Q', output: 'ABCDEF' }, // base 9, chat 11
    { instruction: 'QQQQQQQQ', output: 'A' }, // base 11 (prompt 10), chat 13 (prompt 12)
  ];

  it('counts samples cut by the maximum length, and those left with no response token', () => {
    expect(truncation(tok, records, { template: 'base', maxLength: 8 })).toEqual({ samples: 3, truncated: 2, noResponse: 1, maxLength: 8 });
    expect(truncation(tok, records, { template: 'base', maxLength: 11 })).toEqual({ samples: 3, truncated: 0, noResponse: 0, maxLength: 11 });
    expect(truncation(tok, records, { template: 'base', maxLength: 10 })).toEqual({ samples: 3, truncated: 1, noResponse: 1, maxLength: 10 });
    expect(truncation(tok, records, { template: 'chat', maxLength: 6 })).toEqual({ samples: 3, truncated: 2, noResponse: 1, maxLength: 6 });
    expect(truncation(tok, records, { template: 'chat' })).toEqual({ samples: 3, truncated: 0, noResponse: 0, maxLength: 1024 });
  });

  it('agrees with encodeSample on which samples keep a response token', () => {
    for (const maxLength of [3, 4, 5, 9, 10, 12]) {
      const noResponse = records.filter((r) => {
        const s = encodeSample(tok, r, { template: 'base', maxLength });
        return s.responseStart === s.ids.length;
      }).length;
      expect(truncation(tok, records, { template: 'base', maxLength }).noResponse, `maxLength ${maxLength}`).toBe(noResponse);
    }
  });

  it('says nothing when nothing is cut, and names the NaN samples when some are', () => {
    expect(describeTruncation({ samples: 3, truncated: 0, noResponse: 0, maxLength: 64 })).toBeNull();
    expect(describeTruncation({ samples: 3, truncated: 2, noResponse: 0, maxLength: 64 })).toBe(
      '2 of 3 samples are longer than the maximum length (64 tokens): their responses are cut short.',
    );
    expect(describeTruncation({ samples: 3, truncated: 2, noResponse: 1, maxLength: 8 })).toMatch(/1 keep no response token at all, so their loss and statistics are NaN/);
  });
});
