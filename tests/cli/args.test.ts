import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  alignTable,
  expandInputs,
  FileError,
  formatNumber,
  listOption,
  parseCommandArgs,
  parseSplitsOption,
  selectModules,
  toJsonOutput,
  UsageError,
} from '../../scripts/cli/args.ts';
import { sparkline } from '../../scripts/cli/summarize.ts';
import { makeRun } from '../core/stats/makeRun.ts';

describe('parseSplitsOption', () => {
  it.each([
    ['10,20', [10, 20]],
    [' 3 , 9 ', [3, 9]],
  ])('reads %j as %j', (text, expected) => {
    expect(parseSplitsOption(text)).toEqual(expected);
  });

  it.each(['', '10', '10,20,30', 'a,b', '1.5,3', '-1,4', '10;20'])('rejects %j as a usage error', (text) => {
    expect(() => parseSplitsOption(text)).toThrow(UsageError);
  });
});

describe('listOption', () => {
  it.each([
    [undefined, []],
    [true, []],
    ['q', ['q']],
    [['q,k', 'v', ''], ['q', 'k', 'v']],
  ] as const)('reads %j as %j', (value, expected) => {
    expect(listOption(value as string | string[] | boolean | undefined)).toEqual(expected);
  });
});

describe('selectModules', () => {
  const run = makeRun({
    values: {
      'self_attn.q_proj': { S_sum: [[1]] },
      'self_attn.k_proj': { S_sum: [[1]] },
      'mlp.up_proj': { S_sum: [[1]] },
      'other.up_proj': { S_sum: [[1]] },
    },
  });
  const cases: { names: string[]; expected: string[] }[] = [
    { names: [], expected: ['self_attn.q_proj', 'self_attn.k_proj', 'mlp.up_proj', 'other.up_proj'] },
    { names: ['k', 'q'], expected: ['self_attn.q_proj', 'self_attn.k_proj'] },
    { names: ['q_proj'], expected: ['self_attn.q_proj'] },
    { names: ['mlp.up_proj'], expected: ['mlp.up_proj'] },
  ];
  it.each(cases)('selects $names in run order', ({ names, expected }) => {
    expect(selectModules(run, names)).toEqual(expected);
  });

  it.each([
    ['up', /ambiguous module "up"/],
    ['z', /unknown module "z"/],
  ])('rejects %j', (name, reason) => {
    expect(() => selectModules(run, [name])).toThrow(reason);
  });
});

describe('toJsonOutput', () => {
  it('writes NaN and both infinities as null, and typed arrays as arrays', () => {
    const text = toJsonOutput({ a: NaN, b: [Infinity, -Infinity, 0], c: new Float64Array([1.5, NaN]) });
    expect(text).toBe('{"a":null,"b":[null,null,0],"c":[1.5,null]}');
  });
});

describe('text formatting', () => {
  it.each([
    [0, '0.000'],
    [14, '14.00'],
    [NaN, 'NaN'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
  ])('formats %s as %s', (x, expected) => {
    expect(formatNumber(x)).toBe(expected);
  });

  it.each([
    [[], ''],
    [[0, 7], '▁█'],
    [[3, 3, 3], '▅▅▅'],
    [[0, NaN, Infinity, 1], '▁··█'],
    [[NaN, NaN], '··'],
  ])('draws %j as %j', (curve, expected) => {
    expect(sparkline(curve)).toBe(expected);
  });

  it('aligns text left and numbers right', () => {
    expect(alignTable(['name', 'n'], [['a', '1'], ['bbb', '10']], [false, true])).toBe('name   n\na      1\nbbb   10\n');
  });
});

describe('parseCommandArgs', () => {
  const spec = { usage: '', summary: '', options: [{ name: 'stat', type: 'string', description: '' }] } as const;
  it('turns node:util parse errors into usage errors', () => {
    expect(() => parseCommandArgs(['--nope'], spec)).toThrow(UsageError);
    expect(() => parseCommandArgs(['--stat'], spec)).toThrow(UsageError);
  });

  it('reads positionals, options and --help', () => {
    expect(parseCommandArgs(['a', '--stat=S_max', 'b', '--help'], spec)).toEqual({
      positionals: ['a', 'b'],
      values: { stat: 'S_max', help: true },
      help: true,
    });
  });

  it('takes a value that looks like a negative number as the option\'s value, long and short', () => {
    const withShort = { usage: '', summary: '', options: [{ name: 'limit', type: 'string', description: '' }, { name: 'n', short: 'n', type: 'string', description: '' }] } as const;
    expect(parseCommandArgs(['--limit', '-3', '-n', '-2.5', 'x'], withShort)).toEqual({
      positionals: ['x'],
      values: { limit: '-3', n: '-2.5' },
      help: false,
    });
    expect(() => parseCommandArgs(['--limit', '-x'], withShort)).toThrow(UsageError);
  });
});

describe('expandInputs', () => {
  it('replaces a folder by the statistics files below it, in path order, and keeps files as given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gradlens-expand-'));
    try {
      mkdirSync(join(dir, 'tree/b'), { recursive: true });
      mkdirSync(join(dir, 'tree/a'));
      for (const f of ['tree/b/grads_x.jsonl', 'tree/a/grads_y.jsonl.gz', 'tree/a/README.md', 'tree/notes.txt', 'tree/run.json', 'plain.txt']) writeFileSync(join(dir, f), '');
      mkdirSync(join(dir, 'empty'));
      writeFileSync(join(dir, 'empty/README.md'), '');
      expect(await expandInputs([join(dir, 'plain.txt'), join(dir, 'tree'), join(dir, 'missing.jsonl')])).toEqual([
        join(dir, 'plain.txt'),
        join(dir, 'tree/a/grads_y.jsonl.gz'),
        join(dir, 'tree/b/grads_x.jsonl'),
        join(dir, 'tree/run.json'),
        join(dir, 'missing.jsonl'),
      ]);
      await expect(expandInputs([join(dir, 'empty')])).rejects.toThrow(FileError);
      await expect(expandInputs([join(dir, 'empty')])).rejects.toThrow(/empty: no statistics file/);
      expect(await expandInputs([])).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
