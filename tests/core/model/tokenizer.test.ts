import { describe, expect, it } from 'vitest';
import { ByteTokenizer, DEFAULT_SPECIAL_TOKENS } from '../../../src/core/model/tokenizer';

const tok = new ByteTokenizer(DEFAULT_SPECIAL_TOKENS);

describe('ByteTokenizer', () => {
  it('has 256 byte ids plus the special tokens', () => {
    expect(tok.vocabSize).toBe(262);
    expect(new ByteTokenizer({}).vocabSize).toBe(256);
  });

  it.each([
    ['empty text', ''],
    ['ASCII', 'Tom has 3 apples.\nHow many?'],
    ['accents', 'café, naïve, Ünïcödé'],
    ['CJK', '梯度的层级统计'],
    ['emoji outside the BMP', 'grad 🧠 → 📉'],
    ['control bytes', '\u0000\t\r\n\u007f'],
  ])('round-trips %s through UTF-8 bytes', (_, text) => {
    const ids = tok.encode(text);
    expect(ids.every((id) => id >= 0 && id < 256)).toBe(true);
    expect(ids.length).toBe(new TextEncoder().encode(text).length);
    expect(tok.decode(ids)).toBe(text);
  });

  it('encodes multi-byte characters as their UTF-8 bytes', () => {
    expect(tok.encode('é')).toEqual([0xc3, 0xa9]);
    expect(tok.encode('€')).toEqual([0xe2, 0x82, 0xac]);
  });

  it('keeps special-token names inside text as plain bytes', () => {
    expect(tok.encode('<|end|>')).toEqual([...'<|end|>'].map((c) => c.charCodeAt(0)));
  });

  it('decodes special ids to their names between byte runs', () => {
    expect(tok.decode([tok.id('<|bos|>'), 104, 105, tok.id('<|end|>')])).toBe('<|bos|>hi<|end|>');
  });

  it('decodes a cut UTF-8 sequence to the replacement character instead of throwing', () => {
    expect(tok.decode([0xc3])).toBe('\ufffd');
  });

  it('throws on ids that are neither bytes nor special tokens', () => {
    expect(() => tok.decode([300])).toThrow(/unknown token id 300/);
    expect(() => tok.decode([-1])).toThrow(/unknown token id/);
  });

  it('looks special tokens up by name and names the known ones when missing', () => {
    expect(tok.id('<|assistant|>')).toBe(260);
    expect(() => tok.id('<|nope|>')).toThrow(/known: <\|bos\|>/);
  });

  it('refuses special ids below 256 and duplicate ids', () => {
    expect(() => new ByteTokenizer({ a: 10 })).toThrow(/≥ 256/);
    expect(() => new ByteTokenizer({ a: 256, b: 256 })).toThrow(/share id 256/);
  });

  it('returns its special tokens as a plain object', () => {
    expect(tok.specialTokens()).toEqual(DEFAULT_SPECIAL_TOKENS);
  });
});
