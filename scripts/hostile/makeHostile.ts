/**
 * Hostile statistics files: each class of input that once cost the reader memory, time
 * or correct numbers (issue 17), and the ones handled before, with what reading it must
 * give. tests/scripts/hostile.test.ts runs the CLI on each; `npx tsx
 * scripts/hostile/makeHostile.ts OUT_DIR [--big]` writes them all (with --big, also a
 * 5 GB gzip bomb of ~5 MB, as the bench reads) for trying by hand or in the app.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'fflate';
import { toJsonlLine } from '../../src/core/format/jsonl.ts';

/** What reading a hostile file must give: the CLI's exit code, the samples kept (exit 0; exactly, or at least), stderr patterns, and a bound on the wall time. */
export interface HostileExpectation {
  exit: 0 | 1;
  samples?: number;
  atLeastSamples?: number;
  /** Records set aside for their layer set (`setAside` of the JSON summary). */
  setAside?: number;
  stderr: RegExp[];
  seconds: number;
}

/** One hostile file: its name, how it is written, what reading it must give. */
export interface HostileInput {
  name: string;
  /** What it tries. */
  what: string;
  write(path: string): Promise<void>;
  /** Options for `gradlens summarize` beyond the file and --json. */
  args?: readonly string[];
  expect: HostileExpectation;
}

const MB = 1 << 20;
const Q = 'self_attn.q_proj';

/** A study-style record: q, k of `layers` layers, S_sum and S_max, and the texts. */
function record(sample: number, layers = 4, extra: Record<string, unknown> = {}): string {
  const r: Record<string, unknown> = { instruction: `q${sample}`, output: `a${sample}`, loss: 1 + sample / 10, ...extra };
  for (let l = 0; l < layers; l++) {
    r[`model.layers.${l}.${Q}.weight`] = { S_sum: sample + l / 8, S_max: l + 1 };
    r[`model.layers.${l}.self_attn.k_proj.weight`] = { S_sum: 2 * sample + l, S_max: l + 2 };
  }
  return toJsonlLine(r);
}

function lines(count: number, make: (i: number) => string): string {
  return Array.from({ length: count }, (_, i) => make(i)).join('\n') + '\n';
}

/** Writes text or bytes produced piece by piece, without holding the whole file. */
async function stream(path: string, pieces: Iterable<string | Uint8Array>): Promise<void> {
  const out = createWriteStream(path);
  for (const piece of pieces) {
    if (!out.write(piece)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

function* repeat<T>(piece: T, times: number): Generator<T> {
  for (let i = 0; i < times; i++) yield piece;
}

/**
 * A gzip of `bytes` of one repeated byte for a few hundred KB per GB: one member of
 * 16 MB, compressed once and written again and again (gzip files may hold several
 * members, read one after another).
 */
export async function gzipBomb(path: string, byte: number, bytes: number): Promise<void> {
  const block = 16 * MB;
  const member = gzipSync(new Uint8Array(block).fill(byte), { level: 9 });
  const count = Math.floor(bytes / block);
  const rest = bytes - count * block;
  await stream(path, [...repeat(member, count), ...(rest > 0 ? [gzipSync(new Uint8Array(rest).fill(byte), { level: 9 })] : [])]);
}

const text = (path: string, content: string | Uint8Array) => stream(path, [content]);

/** Every hostile file of the test, small on disk (none over 100 MB). */
export const HOSTILE_INPUTS: readonly HostileInput[] = [
  {
    name: 'many_modules_and_stats.jsonl',
    what: '400 modules × 400 statistic names in 40 short lines (a 19 KB file once took 1.4 GB)',
    write: (path) =>
      text(
        path,
        lines(40, (i) => {
          const fields = Array.from({ length: 10 }, (_, s) => `"s${i * 10 + s}": ${s}`).join(', ');
          return `{${Array.from({ length: 10 }, (_, m) => `"model.layers.0.m${i * 10 + m}.weight": {${fields}}`).join(', ')}}`;
        }),
      ),
    args: ['--stat', 's0'],
    expect: { exit: 0, samples: 6, stderr: [/:7: module m\d+ is beyond the limit of 64 modules per file \(raise it with --budget modules=N\)/], seconds: 30 },
  },
  {
    name: 'many_stats.jsonl',
    what: 'one module with 400 statistics per record',
    write: (path) => text(path, lines(5, (i) => `{"model.layers.0.${Q}.weight": {${Array.from({ length: 400 }, (_, s) => `"s${s}": ${i}`).join(', ')}}}`)),
    expect: { exit: 1, stderr: [/holds no usable record .*statistic s32 of self_attn\.q_proj is beyond the limit of 32 statistics per module/], seconds: 30 },
  },
  {
    name: 'hundred_thousand_modules.jsonl',
    what: 'one record naming 100 000 modules (5.4 MB once passed 6 GB)',
    write: (path) => stream(path, ['{', ...Array.from({ length: 100_000 }, (_, m) => `${m ? ', ' : ''}"model.layers.0.m${m}.weight": {"S_sum": 1}`), '}\n', record(1), '\n']),
    expect: { exit: 0, samples: 1, stderr: [/:1: module m64 is beyond the limit of 64 modules per file/], seconds: 30 },
  },
  {
    name: 'layer_1000.jsonl',
    what: 'one record naming layer 1000 among ten (it once turned every curve NaN)',
    write: (path) => text(path, lines(10, (i) => (i === 4 ? record(i, 4, { [`model.layers.1000.${Q}.weight`]: { S_sum: 1 } }) : record(i)))),
    expect: { exit: 0, samples: 9, stderr: [/:5: layers 0–3, 1000, not the layers 0–3 of 9 of the file's records; set aside/], seconds: 30 },
  },
  {
    name: 'layer_beyond_budget.jsonl',
    what: 'a record naming layer 1 000 000 000',
    write: (path) => text(path, lines(3, (i) => (i === 1 ? record(i, 4, { [`model.layers.1000000000.${Q}.weight`]: { S_sum: 1 } }) : record(i)))),
    expect: { exit: 0, samples: 2, stderr: [/:2: layer 1000000000 .* is beyond the limit of 1024 layers/], seconds: 30 },
  },
  {
    name: 'one_extra_layer.jsonl',
    what: 'ten records, one with one more layer (9 of 10 samples were once dropped without a word)',
    write: (path) => text(path, lines(10, (i) => record(i, i === 6 ? 5 : 4))),
    expect: { exit: 0, samples: 9, stderr: [/:7: layers 0–4, not the layers 0–3 of 9 of the file's records; set aside/], seconds: 30 },
  },
  {
    name: 'two_runs_concatenated.jsonl',
    what: 'two runs of 4 and 5 layers in one file (1500 + 1200 records): the second set aside, counted past the 1000 lines listed',
    write: (path) => text(path, lines(2700, (i) => record(i, i < 1500 ? 4 : 5))),
    expect: {
      exit: 0,
      samples: 1500,
      setAside: 1200,
      stderr: [/:1501: layers 0–4, not the layers 0–3 of 1500 of the file's records; set aside/, /:2501: 200 more skipped from here on, 200 of them set aside for their layer set/],
      seconds: 30,
    },
  },
  {
    name: 'minority_layer_set.jsonl',
    what: 'ten records of three layer sets (4, 3, 3): the curves use the most frequent, 4 of 10, and say so',
    write: (path) => text(path, lines(10, (i) => record(i, i < 4 ? 4 : i < 7 ? 5 : 6))),
    expect: { exit: 0, samples: 4, setAside: 6, stderr: [/:5: layers 0–4, not the layers 0–3 of 4 of the file's records; set aside/, /:8: layers 0–5, not/], seconds: 30 },
  },
  {
    name: 'many_layer_sets.jsonl',
    what: '200 records, each of its own layer set, then 30 alike: the 30 are the run (but for the first, set aside while its set waited)',
    write: (path) => text(path, lines(230, (i) => record(i, i < 200 ? 5 + i : 4))),
    expect: {
      exit: 0,
      samples: 29,
      stderr: [/:17: layers 0–20: one more layer set than the 16 this file already holds; set aside/, /: a rare layer set, given up for a more frequent one/, /not the layers 0–3 of 29 of the file's records; set aside/],
      seconds: 30,
    },
  },
  {
    name: 'sparse_layer_1023.jsonl',
    what: '200 000 records of one value at layer 1023: columns 1024 wide, almost empty',
    write: (path) => stream(path, repeat(`{"model.layers.1023.${Q}.weight": {"S_sum": 1}}\n`, 200_000)),
    expect: { exit: 0, stderr: [/storing it would take the columns to .* past their budget/], seconds: 60 },
  },
  {
    name: 'rotating_modules.jsonl',
    what: 'each record a different module of 64, over 32 layers: columns mostly empty',
    write: (path) =>
      stream(
        path,
        Array.from({ length: 40_000 }, (_, i) => `{${Array.from({ length: 32 }, (_, l) => `"model.layers.${l}.m${i % 64}.weight": {"S_sum": ${l}}`).join(', ')}}\n`),
      ),
    expect: { exit: 0, stderr: [/storing it would take the columns to .* past their budget/], seconds: 60 },
  },
  {
    name: 'long_line.jsonl',
    what: 'a 70 MB line between two records (a 64 MB budget)',
    write: (path) => stream(path, [record(0), '\n{"instruction": "', ...repeat('x'.repeat(MB), 70), '"}\n', record(1), '\n']),
    expect: { exit: 0, samples: 2, stderr: [/:2: longer than the limit of 64 MB per line \(raise it with --budget line-mb=N\); not read/], seconds: 60 },
  },
  {
    name: 'long_valid_line.jsonl',
    what: 'a valid 40 MB line: an instruction of 40 MB',
    write: (path) => stream(path, [record(0, 4, { input: 'x'.repeat(40 * MB) }), '\n', record(1), '\n']),
    expect: { exit: 0, samples: 2, stderr: [], seconds: 60 },
  },
  {
    name: 'zeros.jsonl.gz',
    what: 'a gzip of 320 MB of zeros (~300 KB): one endless line',
    write: (path) => gzipBomb(path, 0, 320 * MB),
    expect: { exit: 1, stderr: [/holds no usable record .*line 1: longer than the limit of 64 MB per line/], seconds: 60 },
  },
  {
    name: 'newlines.jsonl.gz',
    what: 'a gzip of 320 MB of newlines (~300 KB)',
    write: (path) => gzipBomb(path, 0x0a, 320 * MB),
    expect: { exit: 1, stderr: [/holds no usable record \(the file is empty\)/], seconds: 60 },
  },
  {
    name: 'newlines.jsonl',
    what: '90 MB of newlines around two records',
    write: (path) => stream(path, [record(0), ...repeat('\n'.repeat(MB), 90), record(1), '\n']),
    expect: { exit: 0, samples: 2, stderr: [], seconds: 60 },
  },
  {
    name: 'damaged.jsonl.gz',
    what: 'a gzip of 2000 records damaged in the middle (the records before the damage were once lost)',
    write: async (path) => {
      const gz = gzipSync(new TextEncoder().encode(lines(2000, (i) => record(i))));
      for (let k = 0; k < 16; k++) gz[Math.floor(gz.length / 2) + k] ^= 0xa5;
      await text(path, gz);
    },
    expect: { exit: 0, atLeastSamples: 900, stderr: [/gzip data is damaged(:| or cut short after byte \d+ of the file)/, /\.gz:1\d\d\d: /], seconds: 30 },
  },
  {
    name: 'cut_short.jsonl.gz',
    what: 'a gzip of 2000 records cut at 70%',
    write: async (path) => {
      const gz = gzipSync(new TextEncoder().encode(lines(2000, (i) => record(i))));
      await text(path, gz.subarray(0, Math.floor(gz.length * 0.7)));
    },
    expect: { exit: 0, atLeastSamples: 1300, stderr: [/gzip data is damaged or cut short after byte \d+ of the file/], seconds: 30 },
  },
  {
    name: 'nan_tokens_bom_crlf.jsonl',
    what: 'Python\'s NaN / Infinity tokens, the words inside strings, a BOM and CRLF line ends',
    write: (path) =>
      text(
        path,
        '\ufeff' +
          Array.from({ length: 5 }, (_, i) => record(i, 4, { note: 'NaN and -Infinity are words here' }).replace('"S_max": 2', `"S_max": ${['NaN', 'Infinity', '-Infinity', '2', 'NaN'][i]}`)).join('\r\n') +
          '\r\n',
      ),
    expect: { exit: 0, samples: 5, stderr: [], seconds: 30 },
  },
  {
    name: 'proto_module.jsonl',
    what: 'a module named __proto__ (it once vanished from the JSON output)',
    write: (path) => text(path, lines(3, (i) => `{"__proto__": {"polluted": true}, "model.layers.0.__proto__.weight": {"S_sum": ${i}}, "model.layers.1.__proto__.weight": {"S_sum": ${i}}}`)),
    expect: { exit: 0, samples: 3, stderr: [], seconds: 30 },
  },
  {
    name: 'malformed_lines.jsonl',
    what: 'bad JSON, a non-object, no matrix, a truncated last line, among valid records',
    write: (path) => text(path, [record(0), '{"a": }', '[1, 2]', '{"instruction": "x"}', record(1), record(2).slice(0, 100)].join('\n')),
    expect: { exit: 0, samples: 2, stderr: [/:2: invalid JSON at column 7/, /:3: not an object/, /:4: no gradient matrix/, /:6: truncated/], seconds: 30 },
  },
];

/** Writes every hostile file into `dir`; with `big`, also the 5 GB gzip bomb the bench reads. */
export async function makeHostile(dir: string, big = false): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const input of HOSTILE_INPUTS) await input.write(join(dir, input.name));
  if (big) await gzipBomb(join(dir, 'zeros_5gb.jsonl.gz'), 0, 5000 * MB);
}

if (process.argv[1]?.endsWith('makeHostile.ts')) {
  const [dir, flag] = process.argv.slice(2);
  if (!dir) {
    process.stderr.write('usage: npx tsx scripts/hostile/makeHostile.ts OUT_DIR [--big]\n');
    process.exit(2);
  }
  await makeHostile(dir, flag === '--big');
}
