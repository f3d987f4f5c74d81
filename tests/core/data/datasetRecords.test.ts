import { describe, expect, it } from 'vitest';
import { generateProblems } from '../../../src/core/data/builtinDatasets';
import { irrelevantPairing, toDatasetRecords } from '../../../src/core/data/datasetRecords';
import { type Problem, SETTING_KINDS } from '../../../src/core/data/problem';

describe('toDatasetRecords', () => {
  const problems = generateProblems('mixed', 120, 4);
  const before = JSON.stringify(problems);

  for (const setting of SETTING_KINDS) {
    it(`pairs each instruction with its own ${setting} response when correct`, () => {
      const records = toDatasetRecords(problems, setting, false);
      records.forEach((r, i) => {
        expect(r).toEqual({ instruction: problems[i].instruction, input: '', output: problems[i].responses[setting] });
      });
      expect(JSON.stringify(problems), 'problems unchanged').toBe(before);
    });

    it(`gives every instruction another problem's ${setting} response, never text equal to its own, when irrelevant`, () => {
      const records = toDatasetRecords(problems, setting, true, 9);
      const pool = new Set(problems.map((p) => p.responses[setting]));
      records.forEach((r, i) => {
        expect(r.instruction).toBe(problems[i].instruction);
        expect(r.output).not.toBe(problems[i].responses[setting]);
        expect(pool.has(r.output)).toBe(true);
      });
      expect(toDatasetRecords(problems, setting, true, 9), 'same seed, same pairing').toEqual(records);
    });
  }

  it('uses a permutation: every response is used exactly once (detailed responses are all distinct)', () => {
    const outputs = toDatasetRecords(problems, 'detailed', true, 3).map((r) => r.output).sort();
    expect(outputs).toEqual(problems.map((p) => p.responses.detailed).sort());
  });

  it('returns [] for no problems, irrelevant or not', () => {
    expect(toDatasetRecords([], 'none', false)).toEqual([]);
    expect(toDatasetRecords([], 'none', true)).toEqual([]);
  });

  it('throws when one problem cannot get another problem’s response', () => {
    expect(() => toDatasetRecords(problems.slice(0, 1), 'none', true)).toThrow(RangeError);
  });

  it('throws when all responses are the same text', () => {
    const same: Problem[] = problems.slice(0, 3).map((p) => ({ ...p, responses: { ...p.responses, none: 'The answer is 1.' } }));
    expect(() => toDatasetRecords(same, 'none', true)).toThrow(/identical/);
  });
});

describe('irrelevantPairing', () => {
  it.each([2, 3, 10, 57])('is a derangement avoiding equal texts for %i items with many duplicates', (n) => {
    const texts = Array.from({ length: n }, (_, i) => `answer ${i % (n < 6 ? n : Math.ceil(n / 3))}`);
    for (let seed = 0; seed < 20; seed++) {
      const perm = irrelevantPairing(texts, seed);
      expect([...perm].sort((a, b) => a - b)).toEqual(texts.map((_, i) => i));
      perm.forEach((j, i) => {
        expect(j).not.toBe(i);
        expect(texts[j]).not.toBe(texts[i]);
      });
    }
  });

  it('throws when a text is shared by more than half the items (no valid pairing exists)', () => {
    expect(() => irrelevantPairing(['a', 'b', 'a'], 1)).toThrow(/identical/);
  });
});
