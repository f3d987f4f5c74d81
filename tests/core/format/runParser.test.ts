import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { sampleText, sampleExtra, type Run } from '../../../src/core/format/run.ts';
import { parseRun, RunParser, RunReadError } from '../../../src/core/format/runParser.ts';
import { MAX_LISTED_SKIPS } from '../../../src/core/format/skipLog.ts';
import { GzipStream } from '../../../src/core/format/gzipStream.ts';
import { formatSize } from '../../../src/core/format/limits.ts';

const fixture = (name: string) => new Uint8Array(readFileSync(fileURLToPath(new URL(`../../fixtures/format/${name}`, import.meta.url))));
const enc = (text: string) => new TextEncoder().encode(text);

/** One matrix record with every base stat derived from `v`. */
function mat(v: number | null | string = 1): string {
  const x = typeof v === 'string' ? v : v === null ? 'null' : String(v);
  return `{"M_mean": ${x}, "M_max": ${x}, "M_min": ${x}, "frobenius_norm": ${x}, "S_sum": ${x}, "S_max": ${x}, "S_min": ${x}}`;
}
/** A study-style line with `layers` layers of q/k/v/o, S_sum = sample*100 + layer*10 + module index. */
function line(sample: number, layers = 2, extra = ''): string {
  const parts = [`"instruction": "i${sample}"`, `"output": "o${sample}"`, `"loss": ${sample + 0.5}`];
  for (let l = 0; l < layers; l++) {
    ['q_proj', 'k_proj', 'v_proj', 'o_proj'].forEach((m, i) => parts.push(`"model.layers.${l}.self_attn.${m}.weight": ${mat(sample * 100 + l * 10 + i)}`));
  }
  return `{${parts.join(', ')}${extra}}`;
}
const value = (run: Run, module: string, stat: string, sample: number, layer: number) =>
  (run.values.get(module)?.get(stat) as Float64Array)[sample * run.layerCount + layer];

function feed(file: string, bytes: Uint8Array, sizes: (i: number) => number): Run {
  const parser = new RunParser(file);
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const n = Math.max(1, sizes(i));
    parser.push(bytes.slice(at, at + n));
    at += n;
  }
  return parser.finish();
}

describe('RunParser on the study format', () => {
  const run = parseRun('cot_500/llama3_8b/grads_gsm8k_train_no_cot.jsonl', fixture('study_small.jsonl'));

  it('reads every sample, layer and module of a file json.dumps wrote', () => {
    expect(run.sampleCount).toBe(3);
    expect(run.layerCount).toBe(2);
    expect(run.modules).toEqual(['self_attn.q_proj', 'self_attn.k_proj', 'self_attn.v_proj', 'self_attn.o_proj']);
    expect(run.stats).toEqual(['M_mean', 'M_max', 'M_min', 'frobenius_norm', 'S_sum', 'S_max', 'S_min']);
    expect(run.skipped).toEqual([]);
    expect(run.meta).toMatchObject({ task: 'cot_500', model: 'llama3_8b', dataset: 'gsm8k_train', setting: 'none' });
    expect(run.name).toBe('grads_gsm8k_train_no_cot.jsonl');
  });

  it('lays values out sample-major with the numbers as written', () => {
    // sample 2, layer 1, k_proj: base = 1 + 2 + 10 + 100 = 113
    expect(value(run, 'self_attn.k_proj', 'S_sum', 2, 1)).toBeCloseTo(9.87 * 113, 9);
    expect(value(run, 'self_attn.q_proj', 'M_mean', 0, 0)).toBeCloseTo(-1.5e-7, 18);
    expect(Array.from(run.loss)).toEqual([1.5, 2.5, 3.5]);
  });

  it('reads bare NaN, Infinity and -Infinity tokens outside strings', () => {
    expect(value(run, 'self_attn.v_proj', 'S_sum', 1, 1)).toBeNaN();
    expect(value(run, 'self_attn.o_proj', 'S_max', 1, 0)).toBe(Infinity);
    expect(value(run, 'self_attn.o_proj', 'S_min', 1, 0)).toBe(-Infinity);
  });

  it('leaves the words NaN and Infinity inside strings untouched, non-ASCII escapes decoded', () => {
    expect(sampleText(run, 1).instruction).toBe('Question 1: NaN is not a number, Infinity is big');
    expect(sampleText(run, 1).output).toBe('Answer 1 é中');
    expect(sampleText(run, 1).input).toBe('');
  });
});

describe('RunParser line handling', () => {
  const base = [line(0), line(1), line(2)];
  const reference = parseRun('r.jsonl', enc(base.join('\n')));
  const cases: [string, string][] = [
    ['CRLF line ends', base.join('\r\n') + '\r\n'],
    ['a UTF-8 BOM', '\ufeff' + base.join('\n')],
    ['blank and whitespace-only lines', '\n' + base[0] + '\n\n   \n' + base[1] + '\n\t\n' + base[2] + '\n\n'],
    ['no newline after the last line', base.join('\n')],
    ['a BOM, CRLF and blank lines together', '\ufeff\r\n' + base.join('\r\n\r\n') + '\r\n'],
  ];
  it.each(cases)('reads a file with %s like the plain one', (_, text) => {
    const run = parseRun('r.jsonl', enc(text));
    expect(run.sampleCount).toBe(3);
    expect(run.skipped).toEqual([]);
    for (const [module, byStat] of reference.values) {
      for (const [stat, column] of byStat) expect(Array.from(run.values.get(module)?.get(stat) ?? [])).toEqual(Array.from(column));
    }
  });

  it('reports a truncated last line as skipped and keeps the others', () => {
    const text = base.join('\n') + '\n' + line(3).slice(0, 200);
    const run = parseRun('r.jsonl', enc(text));
    expect(run.sampleCount).toBe(3);
    expect(run.skipped).toHaveLength(1);
    expect(run.skipped[0].line).toBe(4);
    expect(run.skipped[0].reason).toMatch(/^truncated/);
  });

  it.each([
    ['invalid JSON', '{"a": }', /^invalid JSON at column 7: unexpected character "}"/],
    ['a trailing comma', '{"instruction": "x",}', /^invalid JSON at column 21: expected a quoted key/],
    ['an array', '[1, 2]', /^not an object$/],
    ['a number', '42', /^not an object$/],
    ['null', 'null', /^not an object$/],
    ['an object without matrices', '{"instruction": "x", "lm_head.weight": {"S_sum": 1}}', /^no gradient matrix$/],
    ['a broken string', '{"instruction": "x\u0001"}', /control character/],
  ])('skips %s with a reason naming what was wrong', (_, bad, reason) => {
    const run = parseRun('r.jsonl', enc([base[0], bad, base[1]].join('\n')));
    expect(run.sampleCount).toBe(2);
    expect(run.skipped).toHaveLength(1);
    expect(run.skipped[0].line).toBe(2);
    expect(run.skipped[0].reason).toMatch(reason);
  });

  it('counts blank lines in line numbers', () => {
    const run = parseRun('r.jsonl', enc(`${base[0]}\n\n\n{oops\n${base[1]}`));
    expect(run.skipped.map((s) => s.line)).toEqual([4]);
  });
});

describe('RunParser chunking', () => {
  const text = '\ufeff' + [line(0), line(1, 2, ', "note": "é中😀 NaN"'), line(2)].join('\r\n') + '\r\n';
  const bytes = enc(text);
  const whole = parseRun('c.jsonl', bytes);
  const sizes: [string, (i: number) => number][] = [
    ['byte by byte', () => 1],
    ['in chunks of 7 bytes', () => 7],
    ['in growing chunks', (i) => i + 1],
    ['in chunks of 4096 bytes', () => 4096],
  ];
  it.each(sizes)('gives the same run when fed %s, including splits inside UTF-8 characters and CRLF', (_, size) => {
    const run = feed('c.jsonl', bytes, size);
    expect(run.sampleCount).toBe(3);
    expect(sampleExtra(run, 1)?.note).toBe('é中😀 NaN');
    expect(run.skipped).toEqual([]);
    for (const [module, byStat] of whole.values) {
      for (const [stat, column] of byStat) expect(Array.from(run.values.get(module)?.get(stat) ?? [])).toEqual(Array.from(column));
    }
  });

  it.each([
    ['JSONL', bytes],
    ['gzip', gzipSync(bytes)],
    ['a JSON array', enc(`[${[line(0), line(1), line(2)].join(',\n')}]`)],
  ])('keeps nothing of a chunk after push (%s): the caller may reuse its buffer', (_, input) => {
    const parser = new RunParser('c.jsonl', { expectedBytes: input.length });
    const buffer = new Uint8Array(5);
    for (let at = 0; at < input.length; at += buffer.length) {
      const n = Math.min(buffer.length, input.length - at);
      buffer.set(input.subarray(at, at + n));
      parser.push(buffer.subarray(0, n));
      buffer.fill(0x7b);
    }
    const run = parser.finish();
    expect(run.sampleCount).toBe(3);
    expect(run.skipped).toEqual([]);
    expect(value(run, 'self_attn.k_proj', 'S_sum', 2, 1)).toBe(211);
  });

  it('reports progress as bytes pushed, samples kept and lines skipped', () => {
    const parser = new RunParser('p.jsonl');
    parser.push(enc(line(0) + '\n{bad\n' + line(1).slice(0, 10)));
    expect(parser.progress).toEqual({ bytes: line(0).length + 6 + 10, samples: 1, skipped: 1 });
  });
});

describe('RunParser on gzip and JSON arrays', () => {
  const lines = [line(0), line(1), line(2)];
  const plain = parseRun('r.jsonl', enc(lines.join('\n')));

  it('reads gzip by its magic bytes, whatever the file name says, in any chunking', () => {
    const gz = gzipSync(enc(lines.join('\n') + '\n'));
    for (const size of [1, 13, 1 << 16]) {
      const run = feed('grads_x_no_cot.jsonl', gz, () => size);
      expect(run.sampleCount).toBe(3);
      expect(run.bytes).toBe(enc(lines.join('\n') + '\n').length);
      expect(Array.from(run.values.get('self_attn.o_proj')?.get('S_sum') ?? [])).toEqual(Array.from(plain.values.get('self_attn.o_proj')?.get('S_sum') ?? []));
    }
  });

  it('keeps what a cut-short gzip held before the damage and reports the rest', () => {
    const big = Array.from({ length: 40 }, (_, i) => line(i)).join('\n') + '\n';
    const gz = gzipSync(enc(big));
    const run = parseRun('cut.jsonl.gz', gz.slice(0, Math.floor(gz.length * 0.8)));
    expect(run.sampleCount).toBeGreaterThan(0);
    expect(run.sampleCount).toBeLessThan(40);
    expect(run.skipped.some((s) => /gzip/.test(s.reason))).toBe(true);
  });

  it('throws RunReadError naming the file when gzip data cannot be decoded at all', () => {
    const junk = new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff]);
    expect(() => parseRun('bad.jsonl.gz', junk)).toThrow(RunReadError);
    expect(() => parseRun('bad.jsonl.gz', junk)).toThrow(/^bad\.jsonl\.gz: /);
  });

  it('reads a pretty-printed JSON array of records, streamed byte by byte', () => {
    const text = '\ufeff [\n  ' + lines.join(',\n  ') + '\n]\n';
    for (const size of [1, 5, 1 << 20]) {
      const run = feed('records.json', enc(text), () => size);
      expect(run.sampleCount).toBe(3);
      expect(run.skipped).toEqual([]);
      expect(Array.from(run.values.get('self_attn.q_proj')?.get('S_sum') ?? [])).toEqual(Array.from(plain.values.get('self_attn.q_proj')?.get('S_sum') ?? []));
    }
  });

  it('ignores brackets and commas inside strings when splitting an array', () => {
    const tricky = line(0, 2, ', "note": "[{,}] \\" ], {"');
    const run = parseRun('a.json', enc(`[${tricky}, ${line(1)}]`));
    expect(run.sampleCount).toBe(2);
    expect(sampleExtra(run, 0)?.note).toBe('[{,}] " ], {');
  });

  it('splits an array the same way whatever the chunking, with escapes and brackets in strings', () => {
    const tricky = line(0, 2, ', "note": "a\\\\\\"[{,}] \\\\", "b": "\\u005d é😀"');
    const text = `[${tricky},${line(1)}]`;
    const whole = parseRun('a.json', enc(text));
    expect(sampleExtra(whole, 0)).toMatchObject({ note: 'a\\"[{,}] \\', b: '] é😀' });
    for (const size of [1, 2, 3, 7]) {
      const run = feed('a.json', enc(text), () => size);
      expect(run.sampleCount).toBe(2);
      expect(run.skipped).toEqual([]);
      expect(sampleExtra(run, 0)).toEqual(sampleExtra(whole, 0));
    }
  });

  it('skips bad array elements by record index and keeps the rest', () => {
    const run = parseRun('a.json', enc(`[${line(0)},\n 7,\n {"x": NaN oops},\n ${line(1)},]`));
    expect(run.sampleCount).toBe(2);
    expect(run.skipped.map((s) => s.line)).toEqual([2, 3, 5]);
    expect(run.skipped[0].reason).toBe('not an object (record starts on line 2)');
    expect(run.skipped[1].reason).toMatch(/^invalid JSON at column \d+: .*\(record starts on line 3\)$/);
  });

  it('reports the last element of an array cut short as truncated', () => {
    const run = parseRun('a.json', enc(`[${line(0)}, ${line(1)}, ${line(2).slice(0, 100)}`));
    expect(run.sampleCount).toBe(2);
    expect(run.skipped).toHaveLength(1);
    expect(run.skipped[0].reason).toMatch(/^truncated/);
  });
});

describe('RunParser fatal cases', () => {
  it.each([
    ['an empty file', ''],
    ['only blank lines', '\n \r\n\t\n'],
    ['only a BOM', '\ufeff'],
    ['only bad lines', '{bad\nnull\n'],
    ['a dataset instead of statistics', '[{"instruction": "a", "input": "", "output": "b"}]'],
    ['an empty array', '[]'],
  ])('throws a one-line RunReadError naming the file for %s', (_, text) => {
    let error: unknown;
    try {
      parseRun('dir/f.jsonl', enc(text));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RunReadError);
    const message = (error as Error).message;
    expect(message.startsWith('dir/f.jsonl: holds no usable record')).toBe(true);
    expect(message).not.toContain('\n');
  });

  it('points at the first skipped line in the error', () => {
    try {
      parseRun('f.jsonl', enc('\n{bad\n'));
      expect.unreachable();
    } catch (e) {
      expect((e as RunReadError).line).toBe(2);
      expect((e as Error).message).toMatch(/line 2: invalid JSON at column 2/);
    }
  });

  it('lists the first MAX_LISTED_SKIPS skipped lines and sums up the rest in one entry', () => {
    const bad = Array.from({ length: MAX_LISTED_SKIPS + 5 }, () => '{bad').join('\n');
    const parser = new RunParser('many.jsonl');
    parser.push(enc(`${line(0)}\n${bad}\n${line(1)}\n`));
    expect(parser.progress.skipped).toBe(MAX_LISTED_SKIPS + 5);
    const run = parser.finish();
    expect(run.sampleCount).toBe(2);
    expect(run.skipped).toHaveLength(MAX_LISTED_SKIPS + 1);
    expect(run.skipped[MAX_LISTED_SKIPS]).toEqual({ line: MAX_LISTED_SKIPS + 2, reason: `5 more skipped from here on, not listed (only the first ${MAX_LISTED_SKIPS} are)`, more: { lines: 5, setAside: 0 } });
  });

  it('counts every skipped line in the error when none is usable', () => {
    const bad = Array.from({ length: MAX_LISTED_SKIPS + 5 }, () => '7').join('\n');
    expect(() => parseRun('many.jsonl', enc(bad))).toThrow(`many.jsonl: holds no usable record (${MAX_LISTED_SKIPS + 5} lines skipped; line 1: not an object)`);
  });

  it('returns the same run from a second finish() and refuses pushes after it', () => {
    const parser = new RunParser('f.jsonl');
    parser.push(enc(line(0)));
    const run = parser.finish();
    expect(parser.finish()).toBe(run);
    expect(() => parser.push(enc(line(1)))).toThrow();
  });
});

describe('RunParser ids and names', () => {
  it('derives a stable id from file name and size unless one is given', () => {
    const a = parseRun('x/a.jsonl', enc(line(0)));
    const b = parseRun('x/a.jsonl', enc(line(0)));
    const c = parseRun('x/b.jsonl', enc(line(0)));
    expect(a.id).toBe(b.id);
    expect(a.id).not.toBe(c.id);
    expect(parseRun('x/a.jsonl', enc(line(0)), { id: 'mine', name: 'Mine' })).toMatchObject({ id: 'mine', name: 'Mine' });
  });

  it('uses the base name of a Windows path as the name', () => {
    expect(parseRun('C:\\runs\\llama3_8b\\grads_gsm8k_train_with_cot.jsonl', enc(line(0))).name).toBe('grads_gsm8k_train_with_cot.jsonl');
  });
});

describe('RunParser and the WebAssembly instances it borrows', () => {
  it('gives its instance back once, however often finish() is called, so two later files never share one', () => {
    const empty = new RunParser('empty.jsonl');
    empty.push(enc('\n'));
    expect(() => empty.finish()).toThrow(RunReadError);
    expect(() => empty.finish()).toThrow(RunReadError);
    // Were the instance given back twice, these two parsers would read through one kernel and mix their keys.
    const a = new RunParser('a.jsonl');
    const b = new RunParser('b.jsonl');
    const lines = (prefix: string) => enc([0, 1, 2].map((s) => `{"${prefix}.layers.0.self_attn.q_proj.weight": {"S_sum": ${s}}}`).join('\n'));
    const aBytes = lines('model');
    const bBytes = lines('transformer');
    // Pushed in turns, as a worker reading two files at once does.
    for (let i = 0; i < Math.max(aBytes.length, bBytes.length); i += 16) {
      if (i < aBytes.length) a.push(aBytes.subarray(i, i + 16));
      if (i < bBytes.length) b.push(bBytes.subarray(i, i + 16));
    }
    const [runA, runB] = [a.finish(), b.finish()];
    expect([runA.sampleCount, runB.sampleCount]).toEqual([3, 3]);
    expect(Array.from(runA.values.get('self_attn.q_proj')?.get('S_sum') ?? [])).toEqual([0, 1, 2]);
    expect(Array.from(runB.values.get('self_attn.q_proj')?.get('S_sum') ?? [])).toEqual([0, 1, 2]);
  });
});

describe('RunParser budgets and damage', () => {
  it('stops reading at the text budget of a file, with the run built from the lines before', () => {
    const text = Array.from({ length: 10 }, (_, i) => line(i)).join('\n') + '\n';
    const budget = Math.floor(text.length * 0.55);
    const run = parseRun('big.jsonl', enc(text), { limits: { fileBytes: budget } });
    expect(run.sampleCount).toBe(5);
    expect(run.skipped).toEqual([{ line: 6, reason: `reading stopped at the limit of ${formatSize(budget)} of text per file (raise it with --budget file-gb=N); the rest of the file was not read` }]);
  });

  it('says the records may hold wrong values when a gzip inflates but its checksum does not match', () => {
    const gz = gzipSync(enc([line(0), line(1), line(2)].join('\n') + '\n'));
    gz[gz.length - 8] ^= 0xff; // the trailer's CRC
    const run = parseRun('crc.jsonl.gz', gz);
    expect(run.sampleCount).toBe(3);
    expect(run.skipped).toEqual([{ line: 4, reason: 'gzip data is damaged: its checksum does not match the text read, so records read from it may hold wrong values' }]);
    expect(parseRun('ok.jsonl.gz', gzipSync(enc(line(0)))).skipped).toEqual([]);
  });

  it('inflates a gzip bomb a bounded step at a time (at most ~4 MB of text), so a caller can stop between steps', () => {
    const bomb = gzipSync(new Uint8Array(65 << 20), { level: 9 });
    const sizes: number[] = [];
    let text = 0;
    const gzip = new GzipStream((piece) => (text += piece.length));
    for (const _ of gzip.steps(bomb)) {
      sizes.push(text);
      text = 0;
    }
    expect(Math.max(...sizes)).toBeLessThanOrEqual(4.3 * (1 << 20));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(65 << 20);
    const parser = new RunParser('bomb.jsonl.gz');
    let steps = 0;
    for (const _ of parser.steps(bomb)) steps++;
    expect(steps).toBeGreaterThan(10);
    expect(() => parser.finish()).toThrow(/longer than the limit of 64 MB per line/);
  });
});

describe('RunParser time on text cut into small chunks', () => {
  type Options = { accelerate?: boolean; limits?: { lineBytes: number } };
  const CHUNK = 256;
  /** The least time of five reads of `bytes` pushed CHUNK bytes at a time; checks the run each time. */
  function readTime(bytes: Uint8Array, check: (run: Run) => void, options: Options): number {
    let best = Infinity;
    for (let k = 0; k < 5; k++) {
      const start = performance.now();
      const parser = new RunParser('chunks.jsonl', options);
      for (let at = 0; at < bytes.length; at += CHUNK) parser.push(bytes.subarray(at, at + CHUNK));
      const run = parser.finish();
      best = Math.min(best, performance.now() - start);
      check(run);
    }
    return best;
  }
  const MB = 1 << 20;
  const long = (n: number) => `, "input": "${'x'.repeat(n)}"`;
  const cases: [string, (n: number) => string, (run: Run) => void, Options][] = [
    ['a long line (accelerator on)', (n) => `${line(0)}\n${line(1, 2, long(n))}\n${line(2)}\n`, (run) => expect(run.sampleCount).toBe(3), {}],
    ['a long line (plain path)', (n) => `${line(0)}\n${line(1, 2, long(n))}\n${line(2)}\n`, (run) => expect(run.sampleCount).toBe(3), { accelerate: false }],
    ['a line past the line budget', (n) => `${line(0)}\n{"input": "${'x'.repeat(n)}"}\n${line(2)}\n`, (run) => expect([run.sampleCount, run.skipped.length]).toEqual([2, 1]), { limits: { lineBytes: MB / 2 } }],
    ['leading whitespace', (n) => `${' \t\r\n'.repeat(n / 4)}${line(0)}\n`, (run) => expect(run.sampleCount).toBe(1), {}],
    ['a long element of a JSON array', (n) => `[${line(0)},\n${line(1, 2, long(n))}, ${line(2)}]`, (run) => expect(run.sampleCount).toBe(3), {}],
  ];

  // Each byte looked at a fixed number of times: four times the text in 256-byte chunks
  // takes about four times as long. Scanning the pending line or the leading whitespace
  // again on every chunk makes it sixteen times as long (seconds at 4 MB).
  it.each(cases)('takes time linear in the length of %s', (_, make, check, options) => {
    const small = readTime(enc(make(MB)), check, options);
    const large = readTime(enc(make(4 * MB)), check, options);
    expect(large, `1 MB: ${small.toFixed(0)} ms, 4 MB: ${large.toFixed(0)} ms`).toBeLessThan(8 * small + 150);
  }, 60_000);
});
