import { describe, expect, it } from 'vitest';
import { pairingKey } from '../../../../src/core/format/sampleKeys.ts';
import { pairSamples, usePairs } from '../../../../src/core/stats/resampling/pairSamples.ts';

describe('pairSamples', () => {
  it('pairs equal instructions whatever their position, in A order, and counts the rest', () => {
    const p = pairSamples(['a', 'b', 'c', 'd'], ['c', 'x', 'a', 'b']);
    expect(Array.from(p.a)).toEqual([0, 1, 2]);
    expect(Array.from(p.b)).toEqual([2, 3, 0]);
    expect([p.unpairedA, p.unpairedB]).toEqual([1, 1]);
  });

  it('pairs the k-th repeat of an instruction in A with its k-th repeat in B', () => {
    const p = pairSamples(['x', 'y', 'x', 'x'], ['x', 'z', 'x']);
    expect(Array.from(p.a)).toEqual([0, 2]);
    expect(Array.from(p.b)).toEqual([0, 2]);
    expect([p.unpairedA, p.unpairedB]).toEqual([2, 1]);
  });

  it('pairs nothing when either run is empty', () => {
    expect(pairSamples([], ['a']).a.length).toBe(0);
    expect(pairSamples([], []).unpairedA).toBe(0);
    expect(pairSamples(['a'], []).unpairedA).toBe(1);
  });

  it('keys on instruction and input together, so the same instruction with another input does not pair', () => {
    expect(pairingKey('Solve', 'x = 1')).not.toBe(pairingKey('Solve', 'x = 2'));
    expect(pairingKey('ab', '')).not.toBe(pairingKey('a', 'b'));
  });
});

describe('usePairs', () => {
  const pairing = (n: number) => ({ a: new Int32Array(n), b: new Int32Array(n), unpairedA: 0, unpairedB: 0 });
  it.each([
    [500, 500, 500, true],
    [250, 500, 500, true],
    [249, 500, 500, false],
    [10, 10, 500, true],
    [0, 0, 0, false],
    [1, 1, 1, true],
  ])('with %i pairs among %i and %i samples: %s', (pairs, nA, nB, expected) => {
    expect(usePairs(pairing(pairs), nA, nB)).toBe(expected);
  });
});
