import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../../src/core/format/lineSplitter.ts';
import { newTape } from './accelerator/newTape.ts';

const enc = (text: string) => new TextEncoder().encode(text);
const dec = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

interface Seen {
  text: string | null;
  line: number;
  terminated: boolean;
}

/** The lines a splitter passes for these chunks (each chunk overwritten after its push, as a reader reusing its buffer does). */
function split(splitter: LineSplitter, chunks: Uint8Array[]): Seen[] {
  const seen: Seen[] = [];
  const onLine = (bytes: Uint8Array | null, line: number, terminated: boolean) => seen.push({ text: bytes === null ? null : dec(bytes), line, terminated });
  for (const chunk of chunks) {
    const copy = chunk.slice();
    splitter.push(copy, onLine);
    copy.fill(0x7b);
  }
  splitter.finish(onLine);
  return seen;
}

/** What the lines are, read the obvious way. */
function expected(text: string, max = Infinity): Seen[] {
  const parts = text.split('\n');
  const out: Seen[] = [];
  parts.forEach((part, i) => {
    const last = i === parts.length - 1;
    if (last && part === '') return;
    if (part === '') return; // blank lines are counted, not passed
    const body = part.endsWith('\r') ? part.slice(0, -1) : part;
    out.push({ text: enc(part).length > max ? null : body, line: i + 1, terminated: !last });
  });
  return out;
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

const lineText = fc.oneof(fc.constantFrom('{"a": 1}', '{"a": 1}\r', '', '\r', ' x ', 'é中😀', 'a'.repeat(40)), fc.string({ maxLength: 12 }));

describe('LineSplitter', () => {
  it.each([
    ['with JavaScript line ends', false],
    ['with the accelerator finding line ends', true],
  ])('passes every line, CR removed, blank ones counted, whatever the chunking (%s)', (_, fast) => {
    fc.assert(
      fc.property(fc.array(lineText, { maxLength: 8 }), fc.boolean(), fc.array(fc.nat(), { maxLength: 6 }), (lines, trailing, cuts) => {
        const text = lines.join('\n') + (trailing ? '\n' : '');
        const tape = fast ? newTape() : null;
        const splitter = new LineSplitter(1 << 20, tape === null ? null : (chunk) => tape.lineEnds(chunk));
        expect(split(splitter, cut(enc(text), cuts))).toEqual(expected(text));
        tape?.release();
      }),
      { numRuns: 300 },
    );
  });

  it('passes a line longer than its budget as null without holding it, and goes on', () => {
    const text = `short\n${'x'.repeat(100)}\nnext\n${'y'.repeat(30)}`;
    for (const size of [1, 7, 1000]) {
      const chunks = cut(enc(text), Array.from({ length: Math.ceil(text.length / size) }, (_, i) => i * size));
      expect(split(new LineSplitter(20), chunks)).toEqual(expected(text, 20));
    }
  });

  it('tells how far into the text the last line passed ends', () => {
    const splitter = new LineSplitter(100);
    const offsets: number[] = [];
    splitter.push(enc('ab\n\ncd\nef'), () => offsets.push(splitter.offset));
    splitter.finish(() => offsets.push(splitter.offset));
    expect(offsets).toEqual([3, 7, 9]);
  });

  it('counts a million blank lines without passing one, in linear time', () => {
    const splitter = new LineSplitter(100);
    let passed = 0;
    const start = performance.now();
    const chunk = new Uint8Array(1 << 16).fill(0x0a);
    for (let i = 0; i < 16; i++) splitter.push(chunk, () => passed++);
    splitter.push(enc('last'), () => passed++);
    splitter.finish(() => passed++);
    expect(passed).toBe(1);
    expect(splitter.lineNumber).toBe(16 * (1 << 16) + 1);
    expect(performance.now() - start).toBeLessThan(5000);
  });
});
