/** Run labels without the leading " · "-separated parts they all share, for tight spaces like heatmap rows. */

/**
 * Drops the leading segments (split on " · ") common to every label, keeping at least
 * one segment of each. Example: ["m · arith · None CoT", "m · arith · Detailed CoT"]
 * → ["None CoT", "Detailed CoT"]; a single label is kept whole.
 */
export function shortLabels(labels: readonly string[]): string[] {
  if (labels.length < 2) return labels.slice();
  const parts = labels.map((l) => l.split(' · '));
  const minLen = Math.min(...parts.map((p) => p.length));
  let common = 0;
  while (common < minLen - 1 && parts.every((p) => p[common] === parts[0][common])) common++;
  return parts.map((p) => p.slice(common).join(' · '));
}
