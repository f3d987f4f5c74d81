/** Optional shading of table cells: a light blue whose depth follows a value's place in its column. */

/**
 * A CSS background for `value` among `column` (its column's values): transparent at the
 * smallest, a blue of at most 45% opacity at the largest; none for a constant column.
 * Example: 5 in [0, 5, 10] → `rgba(47, 111, 219, 0.225)`.
 */
export function shadeOf(value: number, column: readonly number[]): string | undefined {
  const finite = column.filter(Number.isFinite);
  if (!Number.isFinite(value) || finite.length < 2) return undefined;
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  if (hi === lo) return undefined;
  const t = (value - lo) / (hi - lo);
  return `rgba(47, 111, 219, ${+(t * 0.45).toFixed(3)})`;
}
