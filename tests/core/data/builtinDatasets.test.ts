import { describe, expect, it } from 'vitest';
import { BUILTIN_DATASETS, corpusText, generateProblems } from '../../../src/core/data/builtinDatasets';
import { expectWellFormed } from './problemChecks';

describe('generateProblems', () => {
  for (const { name } of BUILTIN_DATASETS) {
    it(`gives the same ${name} problems for the same seed and different ones for another`, () => {
      const a = generateProblems(name, 30, 5);
      expect(generateProblems(name, 30, 5)).toEqual(a);
      expect(generateProblems(name, 30, 6).map((p) => p.instruction)).not.toEqual(a.map((p) => p.instruction));
    });

    it(`makes ${name} problems that are well formed, with distinct instructions and ids`, () => {
      const ps = generateProblems(name, 200, 11);
      expect(ps).toHaveLength(200);
      ps.forEach(expectWellFormed);
      expect(new Set(ps.map((p) => p.instruction)).size).toBe(200);
      expect(ps[7].id).toBe(`${name}-11-7`);
    });
  }

  it('lets a shorter list be a prefix of a longer one with the same seed', () => {
    expect(generateProblems('arithmetic', 10, 3)).toEqual(generateProblems('arithmetic', 25, 3).slice(0, 10));
  });

  it('draws from both families for the mixed dataset', () => {
    const families = new Set(generateProblems('mixed', 50, 1).map((p) => p.family));
    expect([...families].sort()).toEqual(['arithmetic', 'weekday']);
  });

  it('returns [] for count 0', () => {
    expect(generateProblems('weekday', 0, 1)).toEqual([]);
  });

  it.each(['algebra', '__proto__', 'constructor', ''])('throws on the unknown dataset name "%s", listing the known ones', (name) => {
    expect(() => generateProblems(name, 3, 1)).toThrow(/known: arithmetic, weekday, mixed/);
  });

  it.each([-1, 1.5, NaN, Infinity])('throws a RangeError for count %s', (count) => {
    expect(() => generateProblems('arithmetic', count, 1)).toThrow(RangeError);
  });

  it('describes every dataset for the UI', () => {
    for (const d of BUILTIN_DATASETS) expect(d.description.length).toBeGreaterThan(20);
  });
});

describe('corpusText', () => {
  it('gives the same documents for the same seed, each a question line then a worked solution', () => {
    const docs = corpusText(40, 2);
    expect(corpusText(40, 2)).toEqual(docs);
    expect(docs).toHaveLength(40);
    for (const d of docs) {
      const [question, ...rest] = d.split('\n');
      expect(question).toMatch(/\?$/);
      expect(rest.join('\n')).toMatch(/answer is \S+?\.?$/);
    }
    expect(docs.some((d) => d.includes('**'))).toBe(true); // some detailed
    expect(docs.some((d) => !d.includes('**'))).toBe(true); // some simplified
  });

  it('does not replay the mixed problems of the same seed', () => {
    const questions = new Set(generateProblems('mixed', 40, 2).map((p) => p.instruction));
    const replayed = corpusText(40, 2).filter((d) => questions.has(d.split('\n')[0])).length;
    expect(replayed).toBeLessThan(5);
  });

  it('returns [] for count 0', () => {
    expect(corpusText(0, 1)).toEqual([]);
  });
});
