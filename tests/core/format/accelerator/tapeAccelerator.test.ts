import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { syntheticStatsLines } from '../../../../src/core/data/syntheticStats.ts';
import { TapeAccelerator } from '../../../../src/core/format/accelerator/tapeAccelerator.ts';
import { toJsonlLine } from '../../../../src/core/format/jsonl.ts';
import { readLimits } from '../../../../src/core/format/limits.ts';
import { RecordStore } from '../../../../src/core/format/records.ts';
import { sampleExtra, sampleText, type Run } from '../../../../src/core/format/run.ts';
import { parseRun, RunParser, RunReadError } from '../../../../src/core/format/runParser.ts';

const enc = (text: string) => new TextEncoder().encode(text);

type Path = 'accelerated' | 'plain';

/** The reader's answer for a file along one path: the accelerator first (the default), or the plain path alone. */
function read(bytes: Uint8Array, path: Path): Run | string {
  try {
    return parseRun('cot/model/grads_gsm8k_train_no_cot.jsonl', bytes, { accelerate: path === 'accelerated' });
  } catch (error) {
    if (error instanceof RunReadError) return `RunReadError: ${error.message}`;
    throw error;
  }
}

/** The bytes of a typed array, for bit-for-bit comparison (NaN payloads and −0 included). */
const bits = (a: ArrayBufferView) => Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));

/** Fails unless two runs are the same bit for bit: every column, the loss, the texts, the order of modules and statistics, the skipped lines. */
export function expectSameBits(a: Run, b: Run): void {
  expect({ ...a, values: null, loss: null, texts: null, spectra: null, cosineSim: null }).toEqual({ ...b, values: null, loss: null, texts: null, spectra: null, cosineSim: null });
  expect([...a.values.keys()]).toEqual([...b.values.keys()]);
  for (const [module, byStat] of a.values) {
    expect([...byStat.keys()]).toEqual([...(b.values.get(module)?.keys() ?? [])]);
    for (const [stat, column] of byStat) expect(bits(column)).toEqual(bits(b.values.get(module)?.get(stat) as Float64Array));
  }
  expect(bits(a.loss)).toEqual(bits(b.loss));
  expect([...(a.spectra?.keys() ?? [])]).toEqual([...(b.spectra?.keys() ?? [])]);
  for (const [module, s] of a.spectra ?? []) {
    const t = b.spectra?.get(module);
    expect([bits(s.offsets), bits(s.values), s.longest]).toEqual([bits(t!.offsets), bits(t!.values), t!.longest]);
  }
  expect([...(a.cosineSim?.keys() ?? [])]).toEqual([...(b.cosineSim?.keys() ?? [])]);
  for (const [module, c] of a.cosineSim ?? []) expect(bits(c)).toEqual(bits(b.cosineSim!.get(module)!));
  expect(a.texts && bits(a.texts.bytes)).toEqual(b.texts && bits(b.texts.bytes));
  expect(a.texts && Array.from(a.texts.ends)).toEqual(b.texts && Array.from(b.texts.ends));
}

function expectSameRun(bytes: Uint8Array): void {
  const plain = read(bytes, 'plain');
  const fast = read(bytes, 'accelerated');
  if (typeof fast === 'string' || typeof plain === 'string') expect(fast).toEqual(plain);
  else expectSameBits(fast, plain);
}

/** How many of these lines, read in order as one file, the accelerator stores (the rest go to the plain path). */
function tapeScans(...lines: string[]): number {
  const store = new RecordStore(readLimits());
  const accelerator = TapeAccelerator.create(store);
  if (accelerator === null) throw new Error('WebAssembly is unavailable here');
  let stored = 0;
  lines.forEach((line, i) => {
    if (accelerator.tryStore(enc(line), i + 1) === true) stored++;
    else accelerator.flush();
  });
  accelerator.release();
  return stored;
}

const Q0 = 'model.layers.0.self_attn.q_proj.weight';
const K1 = 'model.layers.1.self_attn.k_proj.weight';

describe('TapeAccelerator', () => {
  it('reads a line as Python writes it, every value exact', () => {
    const line = `{"instruction": "Add 2 and 3.\\nThen stop.", "output": "5", "loss": 1.929934944945686, "${Q0}": {"M_mean": 1.304985468236325e-05, "S_sum": 36.309785818223745, "S_min": NaN, "S_max": Infinity}, "${K1}": {"S_sum": -Infinity, "frobenius_norm": null}}`;
    expect(tapeScans(line)).toBe(1);
    const run = parseRun('f.jsonl', enc(line));
    expect(sampleText(run, 0)).toEqual({ instruction: 'Add 2 and 3.\nThen stop.', input: '', output: '5' });
    expect(run.loss[0]).toBe(1.929934944945686);
    expect(run.layerCount).toBe(2);
    const q = run.values.get('self_attn.q_proj');
    expect(q?.get('M_mean')?.[0]).toBe(1.304985468236325e-5);
    expect(q?.get('S_sum')?.[0]).toBe(36.309785818223745);
    expect(q?.get('S_min')?.[0]).toBeNaN();
    expect(q?.get('S_max')?.[0]).toBe(Infinity);
    expect(q?.get('S_sum')?.[1]).toBeNaN(); // layer 1 of q was never written
    expect(run.values.get('self_attn.k_proj')?.get('S_sum')?.[1]).toBe(-Infinity);
    expect(run.values.get('self_attn.k_proj')?.get('frobenius_norm')?.[1]).toBeNaN();
  });

  it('tells apart keys of the same length at the same position of successive lines', () => {
    // S_max / S_min and the q / k names differ only inside: the cached key at a position must not match the other.
    const lines = [`{"${Q0}": {"S_max": 1, "S_min": 2}, "${K1}": {"S_sum": 5}}`, `{"${K1}": {"S_sum": 6}, "${Q0}": {"S_min": 3, "S_max": 4}}`];
    expect(tapeScans(...lines)).toBe(2);
    const run = parseRun('f.jsonl', enc(lines.join('\n')));
    const q = run.values.get('self_attn.q_proj');
    expect([q?.get('S_max')?.[0], q?.get('S_max')?.[2]]).toEqual([1, 4]);
    expect([q?.get('S_min')?.[0], q?.get('S_min')?.[2]]).toEqual([2, 3]);
    expect([run.values.get('self_attn.k_proj')?.get('S_sum')?.[1], run.values.get('self_attn.k_proj')?.get('S_sum')?.[3]]).toEqual([5, 6]);
  });

  it('derives the S_list statistics, keeps the cosine blocks as columns and other fields as parsed values', () => {
    const line = `{"${K1}": {"S_list": [1.0, null]}, "${Q0}": {"S_list": [3.0, 1.0, 0.0]}, "cosine_sim": {"q_proj": {"layer_indices": [0], "matrix": [[1.0]]}}, "uid": 7}`;
    expect(tapeScans(line)).toBe(1);
    const run = parseRun('f.jsonl', enc(line));
    expect(run.values.get('self_attn.q_proj')?.get('S_sum')?.[0]).toBe(4);
    expect(run.values.get('self_attn.q_proj')?.get('S_min')?.[0]).toBe(0);
    expect(run.values.get('self_attn.k_proj')?.get('S_sum')?.[1]).toBeNaN(); // a null (Python's NaN) in the list
    expect(sampleExtra(run, 0)).toEqual({ uid: 7 });
    expect(Array.from(run.cosineSim?.get('self_attn.q_proj') ?? [])).toEqual([1, NaN, NaN, NaN]);
    expect(Array.from(run.spectra?.get('self_attn.q_proj')?.values ?? [])).toEqual([3, 1, 0]);
    expectSameRun(enc(line));
  });

  it.each([
    ['a repeated key', `{"${Q0}": {"S_sum": 1}, "${Q0}": {"S_sum": 2}}`],
    ['a repeated statistic', `{"${Q0}": {"S_sum": 1, "S_sum": 2}}`],
    ['an escaped key', `{"${Q0}": {"S_sum": 1}, "a\\u0062": 2}`],
    ['an integer-like key (JSON.parse puts it first)', `{"${Q0}": {"S_sum": 1}, "0": 2}`],
    ['a string where a statistic should be', `{"${Q0}": {"S_sum": "1"}}`],
    ['a boolean where a statistic should be', `{"${Q0}": {"S_sum": true}}`],
    ['a matrix name holding a number', `{"${Q0}": 3}`],
    ['no matrix', `{"instruction": "x"}`],
    ['a syntax error', `{"${Q0}": {"S_sum": 1,}}`],
    ['a leading zero', `{"${Q0}": {"S_sum": 01}}`],
    ['trailing text', `{"${Q0}": {"S_sum": 1}} x`],
    ['a truncated line', `{"${Q0}": {"S_sum": 1.5`],
    ['a raw control character in a string', `{"instruction": "a\tb", "${Q0}": {"S_sum": 1}}`],
    ['-NaN', `{"${Q0}": {"S_sum": -NaN}}`],
  ])('leaves %s to the plain path, or refuses it as the plain path does, storing nothing', (_, line) => {
    const store = new RecordStore(readLimits());
    const accelerator = TapeAccelerator.create(store);
    expect(accelerator?.tryStore(enc(line), 1)).not.toBe(true);
    accelerator?.release();
    expect(store.samples).toBe(0);
    expect(store.columns.finish().modules).toEqual([]);
    expectSameRun(enc(line));
  });

  it('stores what the plain path keeps as extra fields: a text field that is no string, a matrix name holding a number, nested blocks', () => {
    const line = `{"instruction": 5, "output": ["a"], "loss": "x", "${K1}": 3, "${Q0}": {"S_sum": 1}, "cosine_sim_qkvo": {"0": {"q_proj_x_o_proj": 0.5}}}`;
    expect(tapeScans(line)).toBe(1);
    expectSameRun(enc(line));
    expect(sampleExtra(parseRun('f.jsonl', enc(line)), 0)).toEqual({ instruction: 5, output: ['a'], loss: 'x', [K1]: 3 });
    expect(Array.from(parseRun('f.jsonl', enc(line)).values.get('self_attn.q_proj_x_o_proj')?.get('cosine_sim_qkvo') ?? [])).toEqual([0.5]);
  });

  it('gives the same run as the plain path on the example lines, whichever path each takes', () => {
    const lines = [
      `{"${Q0}": {"S_sum": 1, "x": 2}}`,
      `{"instruction": "é中😀 \\"quoted\\" NaN", "input": "", "${Q0}": {"S_sum": 2, "x": null}, "__proto__": {"polluted": 1}}`,
      `{"${Q0}": {"S_sum": 1}, "${Q0}": {"x": 5}}`,
      `{"${K1}": {"new_stat": 3}}   `,
      ` \t{ "loss" :null ,"${Q0}":{ "S_sum" : -0.0 } }`,
      `{"instruction": "\uFEFFstarts with a byte order mark", "\uFEFFkey": 1, "${Q0}": {"S_sum": 3}}`,
    ];
    expectSameRun(enc(lines.join('\n')));
  });
});

// Random records of the shapes the files hold, written with varying whitespace, keys
// repeated or escaped now and then, values of every type: the two paths must agree on
// the whole run (values, sample texts, extras, modules, statistics, skipped lines).
const number = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, 1e-7, 1e16, 123456789012345680000),
);
/** Mostly what the files hold; now and then a value the scanner must leave alone. */
const scalarText = fc.oneof(
  { weight: 12, arbitrary: number.map((x) => toJsonlLine(x)) },
  { weight: 1, arbitrary: fc.constantFrom('null', 'true', '"1.5"', '[]', '{}', '01', '-NaN', '1.', '.5', '-') },
);
const oddKey = fc.constantFrom('input', 'uid', 'cosine_sim', '__proto__', '0', 'a\\u0062', 'x y', 'model.layers.99999.self_attn.v_proj.weight', 'loss', 'instruction');
const statKey = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('S_sum', 'S_max', 'S_min', 'M_mean', 'frobenius_norm') },
  { weight: 1, arbitrary: fc.constantFrom('effective_rank', 'S_list', 'new', '__proto__', '1', 'q\\"') },
);
const ws = fc.oneof({ weight: 6, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom(' ', '  ', '\t', '\r', '\n') });
const listText = fc.array(scalarText, { maxLength: 4 }).map((xs) => `[${xs.join(', ')}]`);

/** A matrix record: statistic keys mostly distinct (a repeat now and then). */
const matrixText = fc
  .tuple(
    fc.uniqueArray(fc.tuple(statKey, fc.oneof({ weight: 8, arbitrary: scalarText }, { weight: 1, arbitrary: listText }), ws), { maxLength: 5, selector: (f) => f[0] }),
    fc.boolean(),
    scalarText,
  )
  .map(([fields, repeat, other]) => {
    // A repeated statistic, now and then, with another value (JSON.parse keeps the last).
    const all = repeat && fields.length > 0 && fields.length % 3 === 0 ? [...fields, [fields[0][0], other, ''] as const] : fields;
    return `{${all.map(([k, v, w]) => `${w}"${k}"${w}:${w}${v}${w}`).join(',')}}`;
  });
/** Strings as Python writes them (non-ASCII escaped) and as other writers do (raw UTF-8, a leading U+FEFF now and then). */
const stringText = fc.oneof(
  fc.string({ maxLength: 8 }).map((s) => toJsonlLine(s)),
  fc.string({ unit: 'grapheme', maxLength: 6 }).map((s) => JSON.stringify(s)),
  fc.string({ unit: 'grapheme', maxLength: 4 }).map((s) => JSON.stringify(`\uFEFF${s}`)),
);
const anyValueText = fc.oneof(
  { weight: 4, arbitrary: matrixText },
  { weight: 2, arbitrary: scalarText },
  { weight: 2, arbitrary: stringText },
  { weight: 1, arbitrary: fc.constantFrom('"a\\nb"', '"bad \\x escape"', '{"nested": [1, {"deep": NaN}]}', '[1, [2, 3]]') },
);
/** The follow-up's blocks, with layer indices in and out of a record's layers, and odd values now and then. */
const cosineText = fc
  .tuple(fc.subarray(['q_proj', 'k_proj', 'x.y']), fc.uniqueArray(fc.constantFrom(0, 1, 2, 5, -1), { maxLength: 3 }), fc.array(scalarText, { minLength: 9, maxLength: 9 }))
  .map(([projections, layers, xs]) => {
    const matrix = layers.map((_, i) => `[${layers.map((_, j) => xs[i * 3 + j]).join(', ')}]`).join(', ');
    return `{${projections.map((p) => `"${p}": {"layer_indices": [${layers.join(', ')}], "matrix": [${matrix}]}`).join(', ')}}`;
  });
const sameLayerText = fc
  .array(fc.tuple(fc.constantFrom('0', '1', '2', '7', 'x', '01'), fc.constantFrom('q_proj_x_o_proj', 'k_proj_x_v_proj', 'bad'), scalarText), { maxLength: 4 })
  .map((cells) => `{${cells.map(([layer, pair, x]) => `"${layer}": {"${pair}": ${x}}`).join(', ')}}`);
/** One key and its value, as the files pair them most of the time. */
const entry = fc.oneof(
  { weight: 10, arbitrary: fc.tuple(fc.constantFrom(Q0, K1, 'model.layers.2.mlp.down_proj.weight'), matrixText) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom('instruction', 'output'), stringText) },
  { weight: 2, arbitrary: fc.tuple(fc.constant('loss'), scalarText) },
  { weight: 2, arbitrary: fc.tuple(oddKey, anyValueText) },
  { weight: 1, arbitrary: fc.tuple(fc.constant('cosine_sim'), cosineText) },
  { weight: 1, arbitrary: fc.tuple(fc.constant('cosine_sim_qkvo'), sameLayerText) },
);
const lineText = fc
  .tuple(fc.uniqueArray(fc.tuple(entry, ws), { minLength: 1, maxLength: 6, selector: ([[k]]) => k }), fc.nat(9), anyValueText)
  .map(([entries, dice, other]) => {
    // A repeated key, now and then, with another value (JSON.parse keeps the last).
    const all = dice === 0 ? [...entries, [[entries[0][0][0], other], ''] as const] : entries;
    return `{${all.map(([[k, v], w]) => `${w}"${k}": ${v}${w}`).join(',')}}`;
  });

describe('TapeAccelerator against the plain path', () => {
  it('agrees on random files of random records', () => {
    let taped = 0;
    let total = 0;
    fc.assert(
      fc.property(fc.array(lineText, { minLength: 1, maxLength: 6 }), (lines) => {
        taped += tapeScans(...lines);
        total += lines.length;
        expectSameRun(enc(lines.join('\n')));
      }),
      { numRuns: 1500 },
    );
    // The comparison means something only if many lines take the accelerator.
    expect(taped / total).toBeGreaterThan(0.1);
  });

  it('agrees when random bytes of a valid file are corrupted', () => {
    const valid = [
      `{"instruction": "q", "output": "a", "loss": 0.5, "${Q0}": {"S_sum": 1.25, "S_max": NaN}, "${K1}": {"S_sum": 2.5e-07, "S_list": [2.0, 1.0]}}`,
      `{"instruction": "r", "output": "b", "loss": 0.75, "${Q0}": {"S_sum": 3.5, "S_max": 1e-300}, "${K1}": {"S_sum": -Infinity, "S_list": []}}`,
    ].join('\n');
    const bytes = enc(valid);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), (edits) => {
        const copy = bytes.slice();
        for (const [at, byte] of edits) copy[at] = byte;
        expectSameRun(copy);
      }),
      { numRuns: 1500 },
    );
  });
});

// Files whose lines share one key order, as release files do: after its first line the
// tape path stores each line through a plan. Values vary line to line (numbers Python
// writes, bare tokens, null, numbers the kernel leaves to JavaScript, strings with and
// without escapes, now and then one that is not valid JSON or not of the usual type).
const planNumber = fc.oneof(
  { weight: 8, arbitrary: number.map((x) => toJsonlLine(x)) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'null',
      '1.00000000000000000000001',
      '12345678901234567890123',
      '4.9e-324',
      '2.2250738585072014e-308',
      '1.7976931348623157e308',
      '1e-400',
      '1e400',
      '0.1e-9999999',
      '-0',
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom('"1"', 'true', '01') },
);
const planString = fc.oneof(
  { weight: 6, arbitrary: stringText },
  { weight: 1, arbitrary: fc.constantFrom('"bad \\x escape"', '5', 'null') },
);
const STATS = ['M_mean', 'S_sum', 'S_max', 'S_min'];
const MATRICES = [Q0, K1, 'model.layers.2.mlp.down_proj.weight'];
// Mostly Python's separator; now and then another, so the text between two values changes.
const planSeparator = fc.oneof({ weight: 12, arbitrary: fc.constant(', ') }, { weight: 1, arbitrary: fc.constantFrom(',', ' , ') });
const planLine = fc
  .tuple(
    planString,
    planString,
    planNumber,
    fc.array(planNumber, { minLength: MATRICES.length * STATS.length, maxLength: MATRICES.length * STATS.length }),
    fc.tuple(planNumber, planNumber),
    planSeparator,
    // Now and then something after the record's closing brace: whitespace (valid) or not.
    fc.oneof({ weight: 12, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom(' ', '\r', 'x', '}', ', 1') }),
  )
  .map(([instruction, output, loss, values, [a, b], sep, tail]) => {
    const matrices = MATRICES.map((m, i) => `"${m}": {${STATS.map((s, j) => `"${s}": ${values[i * STATS.length + j]}`).join(', ')}}`);
    // A top-level object that is not a matrix (kept in `extra`): its braces move as the values before it change length.
    return `{"instruction": ${instruction}, "output": ${output}, "loss": ${loss}, "meta": {"a": ${a}${sep}"b": ${b}}, ${matrices.join(', ')}}${tail}`;
  });

/** The run of `bytes` read through a RunParser fed in chunks of the given sizes (cycled). */
function readChunked(bytes: Uint8Array, sizes: number[]): Run {
  const parser = new RunParser('cot/model/grads_gsm8k_train_no_cot.jsonl');
  for (let at = 0, k = 0; at < bytes.length; k++) {
    const size = sizes[k % sizes.length];
    parser.push(bytes.slice(at, at + size));
    at += size;
  }
  return parser.finish();
}

describe('the tape path on lines of one shape', () => {
  it('agrees with the plain path, line after line', () => {
    let taped = 0;
    let total = 0;
    fc.assert(
      fc.property(fc.array(planLine, { minLength: 2, maxLength: 8 }), fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 5 }), (lines, sizes) => {
        taped += tapeScans(...lines);
        total += lines.length;
        const bytes = enc(lines.join('\n'));
        expectSameRun(bytes);
        // Lines cut by chunk ends reach the kernel unfinished first.
        const plain = read(bytes, 'plain');
        if (typeof plain !== 'string') expectSameBits(readChunked(bytes, sizes), plain);
      }),
      { numRuns: 400 },
    );
    // About one line in five is valid throughout (13 values, each now and then of the wrong kind); 0.1 is many standard deviations below.
    expect(taped / total).toBeGreaterThan(0.1);
  });

  it('reads a line by the last line\'s template only where it differs in values alone', () => {
    const line = (r: number, { tail = '', sep = ', ', loss = `${r / 3}`, text = `q${r}`, key = 'S_sum' } = {}) =>
      `{"instruction": "${text}", "loss": ${loss}, "meta": {"n": ${r}}, "${Q0}": {"${key}": ${r * 1.5}${sep}"S_max": ${-r}}, "${K1}": {"S_sum": 1e-${r}}}${tail}`;
    const lines = [
      line(0),
      line(1),
      line(2, { tail: 'x' }), // text after the record: skipped, as JSON.parse skips it
      line(3),
      line(4, { tail: ' ' }), // whitespace after it: valid
      line(5),
      line(6, { sep: ',' }), // another separator: valid, read in full
      line(7),
      line(8, { loss: '"0.5"' }), // a string where a number was: the plain path keeps it in `extra`
      line(9),
      line(10, { text: 'a\\"quote' }), // an escaped string
      line(11, { loss: '1.00000000000000000000001' }), // a number the kernel leaves to JavaScript
      line(12, { key: 'S_min' }), // another key
      line(13),
      line(14),
    ];
    const bytes = enc(lines.join('\n') + '\n');
    expectSameRun(bytes);
    for (const sizes of [[7], [100, 3], [1000]]) expectSameBits(readChunked(bytes, sizes), read(bytes, 'plain') as Run);
    // All but the junk are stored by it (a string loss is an extra field, as on the plain path).
    expect(tapeScans(...lines)).toBe(lines.length - 1);
    const run = parseRun('f.jsonl', bytes);
    expect(run.skipped.map((s) => s.line)).toEqual([3]);
    expect(Array.from({ length: run.sampleCount }, (_, s) => (sampleExtra(run, s)?.meta as { n: number }).n)).toEqual(lines.map((_, r) => r).filter((r) => r !== 2));
  });

  it('reads every value of a release-like file exactly, the plan path included', () => {
    const rows = Array.from({ length: 50 }, (_, r) => MATRICES.map((_, m) => STATS.map((_, s) => Math.sin(r * 7919 + m * 104729 + s) * 10 ** ((r % 9) - 4))));
    const lines = rows.map(
      (row, r) =>
        `{"instruction": "q${r}", "output": "a\\"${r}", "loss": ${r / 7}, "meta": {"step": ${r}}, ${MATRICES.map((m, i) => `"${m}": {${STATS.map((s, j) => `"${s}": ${toJsonlLine(row[i][j])}`).join(', ')}}`).join(', ')}}`,
    );
    expect(tapeScans(...lines)).toBe(lines.length);
    const run = parseRun('f.jsonl', enc(lines.join('\n')));
    expect(sampleText(run, 49)).toMatchObject({ instruction: 'q49', input: '', output: 'a"49' });
    // Each line's own object, though it moves as the values before it change length.
    expect(Array.from({ length: run.sampleCount }, (_, s) => (sampleExtra(run, s)?.meta as { step: number }).step)).toEqual(rows.map((_, r) => r));
    expect(run.loss[49]).toBe(49 / 7);
    for (let r = 0; r < rows.length; r++) {
      expect(run.values.get('self_attn.q_proj')?.get('S_max')?.[r * 3 + 0]).toBe(rows[r][0][2]);
      expect(run.values.get('self_attn.k_proj')?.get('M_mean')?.[r * 3 + 1]).toBe(rows[r][1][0]);
      expect(run.values.get('mlp.down_proj')?.get('S_min')?.[r * 3 + 2]).toBe(rows[r][2][3]);
    }
  });
});

describe('one file through both paths', () => {
  const fixture = (name: string) => new Uint8Array(readFileSync(fileURLToPath(new URL(`../../../fixtures/format/${name}`, import.meta.url))));
  const release = enc([...syntheticStatsLines({ samples: 40, layers: 28, setting: 'detailed', correctness: 'correct', seed: 3, nanRate: 0.05 })].join('\n') + '\n');

  it.each([
    ['the study\'s format', fixture('study_small.jsonl')],
    ['the follow-up\'s format (S_list, cosine blocks)', fixture('followup_small.jsonl')],
    ['a release-like file with NaN rows', release],
  ])('reads %s to the same run, bit for bit, with the accelerator on and refused', (_, bytes) => {
    let stored = 0;
    const tryStore = TapeAccelerator.prototype.tryStore;
    const spy = vi.spyOn(TapeAccelerator.prototype, 'tryStore').mockImplementation(function (this: TapeAccelerator, line, n) {
      const read = tryStore.call(this, line, n);
      if (read === true) stored++;
      return read;
    });
    const accelerated = parseRun('cot/m/grads_x_no_cot.jsonl', bytes);
    spy.mockRestore();
    const refused = parseRun('cot/m/grads_x_no_cot.jsonl', bytes, { accelerate: false });
    expect(stored).toBe(accelerated.sampleCount);
    expect(accelerated.sampleCount).toBeGreaterThan(1);
    expectSameBits(accelerated, refused);
    expect(accelerated.spectra).toEqual(refused.spectra);
    expect(accelerated.cosineSim).toEqual(refused.cosineSim);
  });
});

describe('records with token_norms (gradlens compute --token-norms)', () => {
  it('loads each sample\'s cₜ per matrix on both paths, bit for bit the same run, though every sample has its own length', () => {
    const lines = Array.from({ length: 12 }, (_, r) => {
      const length = 3 + ((r * 7) % 11);
      const ids = Array.from({ length }, (_, t) => (t * 31 + r) % 256);
      const norms = (m: number) => Array.from({ length }, (_, t) => toJsonlLine(t === 0 && r === 5 ? NaN : Math.cos(r + t * m) * 10 ** ((t % 5) - 2)));
      return `{"instruction": "q${r}", "output": "a${r}", "loss": ${r / 3}, "${Q0}": {"S_sum": ${r}, "S_max": ${r / 2}}, "${K1}": {"S_sum": ${-r}}, "input_ids": [${ids.join(', ')}], "response_start": ${length >> 1}, "token_norms": {"${Q0}": [${norms(1).join(', ')}], "${K1}": [${norms(2).join(', ')}]}}`;
    });
    const bytes = enc(lines.join('\n') + '\n');
    expectSameRun(bytes);
    // The accelerator stores every line (the plain path is not its fallback here).
    expect(tapeScans(...lines)).toBe(lines.length);
    const run = parseRun('f.jsonl', bytes);
    for (let r = 0; r < lines.length; r++) {
      const extra = sampleExtra(run, r) as { token_norms: Record<string, number[]>; input_ids: number[]; response_start: number };
      const parsed = JSON.parse(lines[r].replace(/NaN/g, 'null')) as typeof extra;
      expect(extra.input_ids).toEqual(parsed.input_ids);
      expect(extra.response_start).toBe(parsed.response_start);
      expect(extra.token_norms[K1]).toEqual(parsed.token_norms[K1]);
      expect(extra.token_norms[Q0].map((x) => (Number.isNaN(x) ? null : x))).toEqual(parsed.token_norms[Q0]);
    }
  });
});
