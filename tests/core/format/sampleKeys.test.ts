import { describe, expect, it } from 'vitest';
import { keysOfTexts, pairingKey, responseKey, sampleKeys } from '../../../src/core/format/sampleKeys.ts';
import { packTexts } from '../../../src/core/format/texts.ts';
import type { Run } from '../../../src/core/format/run.ts';

const samples = [
  { instruction: 'Add 2 and 3', input: '', output: '5' },
  { instruction: 'Übersetze «Grad»', input: 'ε → 0 🙂', output: 'gradient' },
  { instruction: 'ab', input: '', output: '' },
  { instruction: 'a', input: 'b', output: '' },
];

describe('sample keys', () => {
  it('hashes packed texts to the same keys as their strings, wide characters included', () => {
    const keys = keysOfTexts(packTexts(samples), samples.length);
    expect(Array.from(keys.prompt)).toEqual(samples.map((s) => pairingKey(s.instruction, s.input)));
    expect(Array.from(keys.response)).toEqual(samples.map((s) => responseKey(s.output)));
  });

  it('keeps instruction and input apart, and gives whole numbers below 2^53', () => {
    const keys = keysOfTexts(packTexts(samples), samples.length);
    expect(keys.prompt[2]).not.toBe(keys.prompt[3]);
    expect(new Set(keys.prompt).size).toBe(samples.length);
    for (const k of [...keys.prompt, ...keys.response]) expect(Number.isSafeInteger(k) && k >= 0).toBe(true);
  });

  it('uses the keys a run carries, else hashes its texts, and refuses a run with neither', () => {
    const carried = { prompt: new Float64Array([7]), response: new Float64Array([8]) };
    const base = { id: 'r', name: 'r', file: 'r', meta: {}, sampleCount: 1, layerCount: 1, modules: [], stats: [], values: new Map(), loss: new Float64Array(1), skipped: [], bytes: 0 } satisfies Run;
    expect(sampleKeys({ ...base, keys: carried })).toBe(carried);
    expect(Array.from(sampleKeys({ ...base, texts: packTexts(samples.slice(0, 1)) }).prompt)).toEqual([pairingKey('Add 2 and 3', '')]);
    expect(() => sampleKeys(base)).toThrow(/neither sample keys nor texts/);
  });
});
