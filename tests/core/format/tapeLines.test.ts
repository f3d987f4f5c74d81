import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteLineSplitter, type LineSplitter } from '../../../src/core/format/byteLines.ts';
import { ENTRY_WORDS, type LineTape } from '../../../src/core/format/lineTape.ts';
import { newTape } from './newTape.ts';
import { TapeLineSplitter } from '../../../src/core/format/tapeLines.ts';

const enc = (text: string) => new TextEncoder().encode(text);
const dec = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

interface Seen {
  text: string;
  line: number;
  terminated: boolean;
  /** The tape the line came with, as entry words and values (null when the kernel left it alone). */
  tape: string | null;
}

function snapshot(tape: LineTape, count: number): string | null {
  if (count < 0) return null;
  const words = [...tape.ints.subarray(tape.intBase, tape.intBase + ENTRY_WORDS * count)];
  const values = [...tape.values.subarray(tape.valueBase, tape.valueBase + count)].map((v, e) => (tape.ints[tape.intBase + ENTRY_WORDS * e + 1] === 3 ? String(v) : '-'));
  return JSON.stringify([words.filter((_, i) => i % ENTRY_WORDS !== 0), values]);
}

/** Feeds the chunks through a splitter; for the tape splitter, also records the tape each line came with. */
function split(splitter: LineSplitter, chunks: Uint8Array[], tape: LineTape | null): Seen[] {
  const seen: Seen[] = [];
  const onLine = (bytes: Uint8Array, line: number, terminated: boolean) => {
    seen.push({ text: dec(bytes), line, terminated, tape: tape === null ? null : snapshot(tape, tape.tokenize(bytes)) });
  };
  for (const chunk of chunks) splitter.push(chunk, onLine);
  splitter.finish(onLine);
  return seen;
}

function cut(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const c of [...at, bytes.length]) {
    chunks.push(bytes.slice(from, c));
    from = c;
  }
  return chunks;
}

const lineText = fc.oneof(
  fc.constantFrom('{"a": 1, "m": {"s": 2.5, "t": NaN}}', '{"m": {"s": 1e-7}, "x": "y"}', '{"a": "b\\\\"}', '{"a": 1}\r', ' {"a": [1]} ', '', '\r', '{"a": "unterminated', '{"a":', '1}'),
  fc.string({ maxLength: 12 }),
);

describe('TapeLineSplitter', () => {
  it('passes the same lines as ByteLineSplitter, each with the tape a fresh copy of it gets', () => {
    fc.assert(
      fc.property(fc.array(lineText, { maxLength: 8 }), fc.boolean(), fc.array(fc.nat(), { maxLength: 6 }), fc.integer({ min: 1, max: 64 }), (lines, trailing, cuts, slice) => {
        const bytes = enc(lines.join('\n') + (trailing ? '\n' : ''));
        const chunks = cut(bytes, cuts);
        const tape = newTape();
        const got = split(new TapeLineSplitter(tape, slice), chunks, tape);
        const expected = split(new ByteLineSplitter(), chunks, null);
        const plain = (seen: Seen[]) => seen.map(({ text, line, terminated }) => ({ text, line, terminated }));
        expect(plain(got)).toEqual(plain(expected));
        // In place (tokenized while split) and copied (a fresh instance per line) give the same tape.
        got.forEach((seen) => {
          const fresh = newTape();
          expect(seen.tape).toBe(snapshot(fresh, fresh.tokenize(enc(seen.text))));
        });
      }),
      { numRuns: 300 },
    );
  });

  it('reads lines longer than a slice and chunks larger than one', () => {
    const line = `{${Array.from({ length: 300 }, (_, i) => `"k${i}": {"v": ${i / 7}}`).join(', ')}}`;
    const bytes = enc(`${line}\n${line}\r\n${line}`);
    const tape = newTape();
    const seen = split(new TapeLineSplitter(tape, 1000), [bytes.subarray(0, 5000), bytes.subarray(5000)], tape);
    expect(seen.map((s) => [s.text === line, s.line, s.terminated])).toEqual([
      [true, 1, true],
      [true, 2, true],
      [true, 3, false],
    ]);
    expect(seen.every((s) => s.tape !== null)).toBe(true);
  });
});
