/**
 * A small seeded pseudo-random generator (mulberry32, public domain by Tommy
 * Ettinger) and the few draws the dataset generators need, so every built-in dataset
 * is the same on every machine for the same seed.
 */

/** A function returning uniform floats in [0, 1). */
export type Random = () => number;

/**
 * A generator seeded with the low 32 bits of `seed` (non-integers are truncated,
 * NaN counts as 0). Example: mulberry32(1)() → 0.6270739405881613.
 */
export function mulberry32(seed: number): Random {
  let a = (Number.isFinite(seed) ? Math.trunc(seed) : 0) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform integer in [lo, hi], both inclusive. Example: randomInt(r, 2, 4) ∈ {2, 3, 4}. */
export function randomInt(random: Random, lo: number, hi: number): number {
  return lo + Math.floor(random() * (hi - lo + 1));
}

/** A uniformly chosen element of a non-empty list. */
export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}
