/**
 * Pairing two runs sample by sample by their instruction text: the study's settings
 * (None / Simplified / Detailed CoT, correct / irrelevant, base / instruct) train on
 * the same instructions, so a sample of one run has a partner in the other and a
 * difference can be tested pair by pair.
 */

/** Which samples of A and B pair: `a[k]` with `b[k]`, in A's order. */
export interface SamplePairing {
  a: Int32Array;
  b: Int32Array;
  /** Samples of A with no partner in B, and of B with none in A. */
  unpairedA: number;
  unpairedB: number;
}

/**
 * Pairs samples whose keys are equal (pairingKey in sampleKeys.ts: a hash of the instruction and input). An instruction that occurs several times pairs
 * its k-th occurrence in A with its k-th occurrence in B (file order); extra occurrences
 * stay unpaired. Pairs come in A's order. Empty input → no pairs.
 * Example: A [x, y, x], B [x, z, x] → a [0, 2], b [0, 2], unpaired 1 and 1.
 */
export function pairSamples<K>(keysA: ArrayLike<K>, keysB: ArrayLike<K>): SamplePairing {
  const waiting = new Map<K, number[]>();
  for (let j = keysB.length - 1; j >= 0; j--) {
    const list = waiting.get(keysB[j]);
    if (list) list.push(j);
    else waiting.set(keysB[j], [j]);
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < keysA.length; i++) {
    const j = waiting.get(keysA[i])?.pop();
    if (j === undefined) continue;
    a.push(i);
    b.push(j);
  }
  return { a: Int32Array.from(a), b: Int32Array.from(b), unpairedA: keysA.length - a.length, unpairedB: keysB.length - b.length };
}

/**
 * Whether a comparison resamples pairs: when at least half of the smaller run's samples
 * pair and at least one pair exists (partial pairing is common when a file lost a few
 * lines). Otherwise the runs are resampled independently.
 * Example: 490 of 500 samples paired → true; 3 of 500 → false.
 */
export function usePairs(pairing: SamplePairing, sampleCountA: number, sampleCountB: number): boolean {
  const pairs = pairing.a.length;
  return pairs > 0 && 2 * pairs >= Math.min(sampleCountA, sampleCountB);
}
