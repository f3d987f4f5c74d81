/**
 * The random and enumerated draws of resampling, written as weights over samples:
 * bootstrap multiplicities, sign flips of pairs, and which pooled samples a label
 * permutation gives to run A. Every draw comes from a seeded generator (mulberry32), in
 * the order documented here, so a reference loop over the same generator draws the same
 * indices.
 */
import type { Random } from '../../data/mulberry32.ts';

/**
 * Bootstrap multiplicities: `n` draws `floor(random() · n)`, counted into
 * `out[offset + i]` (i < n; zeroed first). Sum of the counts = n; n = 0 → nothing drawn.
 * Example: n = 3 and draws 2, 0, 2 → [1, 0, 2].
 */
export function drawCounts(random: Random, n: number, out: Float64Array, offset: number): void {
  out.fill(0, offset, offset + n);
  for (let j = 0; j < n; j++) out[offset + Math.floor(random() * n)]++;
}

/**
 * Sign flips of `n` pairs: `out[offset + k]` = 1 (swap pair k's A and B) or 0, from the
 * bits of 32-bit words `floor(random() · 2^32)` (mulberry32's own output), one word per
 * 32 pairs: pair k takes bit k mod 32 (lowest first) of word ⌊k / 32⌋. A draw per pair cost
 * a tenth of a comparison's time. Example: first word 5, n 3 → [1, 0, 1].
 */
export function drawFlips(random: Random, n: number, out: Float64Array, offset: number): void {
  let word = 0;
  for (let k = 0; k < n; k++) {
    if ((k & 31) === 0) word = Math.floor(random() * 4294967296);
    out[offset + k] = (word >>> (k & 31)) & 1;
  }
}

/** The flips of enumeration number `mask` (0 ≤ mask < 2^n): pair k is swapped when bit k is set. Example: mask 5, n 3 → [1, 0, 1]. */
export function maskFlips(mask: number, n: number, out: Float64Array, offset: number): void {
  for (let k = 0; k < n; k++) out[offset + k] = (mask >>> k) & 1;
}

/**
 * A label permutation: which `size` of the `order.length` pooled samples play run A.
 * A partial Fisher–Yates shuffle of `order` (kept between calls; each call draws
 * `size` times: position i swaps with i + floor(random() · (N − i))), then
 * out[offset + order[i]] = 1 for i < size and 0 for the rest.
 */
export function drawSubset(random: Random, order: Int32Array, size: number, out: Float64Array, offset: number): void {
  const n = order.length;
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(random() * (n - i));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  out.fill(0, offset, offset + n);
  for (let i = 0; i < size; i++) out[offset + order[i]] = 1;
}

/** The subset `chosen` (ascending indices into n pooled samples) as weights: 1 for chosen, 0 otherwise. */
export function subsetWeights(chosen: Int32Array, n: number, out: Float64Array, offset: number): void {
  out.fill(0, offset, offset + n);
  for (let i = 0; i < chosen.length; i++) out[offset + chosen[i]] = 1;
}

/**
 * Steps `chosen` (ascending indices, a k-subset of 0..n−1) to the next subset in
 * lexicographic order; false after the last. Start from [0, 1, …, k−1].
 * Example: n 4, [0, 3] → [1, 2]; [2, 3] → false.
 */
export function nextSubset(chosen: Int32Array, n: number): boolean {
  const k = chosen.length;
  let i = k - 1;
  while (i >= 0 && chosen[i] === n - k + i) i--;
  if (i < 0) return false;
  chosen[i]++;
  for (let j = i + 1; j < k; j++) chosen[j] = chosen[j - 1] + 1;
  return true;
}

/** Largest number of arrangements a permutation test enumerates in full (2^16). */
export const EXACT_LIMIT = 65_536;

/**
 * How many equally likely arrangements the null hypothesis allows: 2^pairs for sign
 * flips, C(nA + nB, nA) for label permutations; Infinity once past {@link EXACT_LIMIT}
 * (only whether a test is exact depends on it).
 * Example: paired 10 → 1024; unpaired 3 and 2 → 10; paired 40 → Infinity.
 */
export function arrangementCount(paired: boolean, nA: number, nB: number): number {
  if (paired) return nA > 16 ? Infinity : 2 ** nA;
  const k = Math.min(nA, nB);
  let c = 1;
  for (let i = 1; i <= k; i++) {
    c = (c * (nA + nB - k + i)) / i; // exact: C(n−k+i, i) is an integer at each step
    if (c > EXACT_LIMIT) return Infinity;
  }
  return c;
}
