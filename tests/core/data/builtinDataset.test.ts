import { describe, expect, it } from 'vitest';
import { builtinDataset, parseBuiltinSpec } from '../../../src/core/data/builtinDataset';
import { generateProblems } from '../../../src/core/data/builtinDatasets';
import { toDatasetRecords } from '../../../src/core/data/datasetRecords';

describe('parseBuiltinSpec', () => {
  it.each([
    ['builtin:arithmetic', { name: 'arithmetic', n: 100, seed: 1, setting: 'detailed', irrelevant: false }],
    ['builtin:weekday?n=5', { name: 'weekday', n: 5, seed: 1, setting: 'detailed', irrelevant: false }],
    ['builtin:arithmetic?n=50&seed=1&setting=detailed&irrelevant=1', { name: 'arithmetic', n: 50, seed: 1, setting: 'detailed', irrelevant: true }],
    ['builtin:mixed?setting=none&irrelevant=true&seed=-3', { name: 'mixed', n: 100, seed: -3, setting: 'none', irrelevant: true }],
    ['builtin:arithmetic?setting=no_cot', { name: 'arithmetic', n: 100, seed: 1, setting: 'none', irrelevant: false }],
    ['builtin:arithmetic?setting=with_cot&irrelevant=0', { name: 'arithmetic', n: 100, seed: 1, setting: 'simplified', irrelevant: false }],
    ['builtin:arithmetic?setting=with_cot_gpt4o&n=0', { name: 'arithmetic', n: 0, seed: 1, setting: 'detailed', irrelevant: false }],
    ['  builtin:weekday?n=3&  ', { name: 'weekday', n: 3, seed: 1, setting: 'detailed', irrelevant: false }],
  ])('reads %s', (spec, want) => {
    expect(parseBuiltinSpec(spec)).toEqual(want);
  });

  it.each([
    ['arithmetic?n=5', /not a built-in dataset spec/],
    ['builtin:', /not a built-in dataset spec/],
    ['builtin:algebra', /unknown built-in dataset "algebra"/],
    ['builtin:arithmetic?n=-1', /n must be/],
    ['builtin:arithmetic?n=1.5', /n must be/],
    ['builtin:arithmetic?n=', /n must be/],
    ['builtin:arithmetic?n=NaN', /n must be/],
    ['builtin:arithmetic?n=Infinity', /n must be/],
    ['builtin:arithmetic?n=1000001', /n must be/],
    ['builtin:arithmetic?seed=x', /seed must be/],
    ['builtin:arithmetic?setting=slow', /setting must be/],
    ['builtin:arithmetic?setting=__proto__', /setting must be/],
    ['builtin:arithmetic?irrelevant=yes', /irrelevant must be/],
    ['builtin:arithmetic?size=5', /unknown key "size"/],
  ])('rejects %s with a readable message', (spec, message) => {
    expect(() => parseBuiltinSpec(spec)).toThrow(message);
  });
});

describe('builtinDataset', () => {
  it('gives the records of the spec, the same every time', () => {
    const spec = 'builtin:arithmetic?n=20&seed=3&setting=simplified&irrelevant=1';
    const records = builtinDataset(spec);
    expect(builtinDataset(spec)).toEqual(records);
    expect(records).toEqual(toDatasetRecords(generateProblems('arithmetic', 20, 3), 'simplified', true, 3));
  });

  it('gives answer-only outputs for setting=none, the bare answer as in the study', () => {
    for (const r of builtinDataset('builtin:weekday?n=10&setting=none')) expect(r.output).toMatch(/^(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day$/);
    for (const r of builtinDataset('builtin:arithmetic?n=10&setting=none')) expect(r.output).toMatch(/^\d+$/);
  });

  it('returns [] for n=0', () => {
    expect(builtinDataset('builtin:arithmetic?n=0')).toEqual([]);
  });
});
