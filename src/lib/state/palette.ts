/**
 * Run colors: a fixed qualitative palette (Tableau 10 plus two darker hues, so the
 * study's 12-run layouts need no repeats), the same colors on every machine. Module colors (Q red, K green, …) belong to the views.
 */
export const RUN_PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#59a14f',
  '#e15759',
  '#76b7b2',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
  '#2f4b7c',
  '#8a6d1c',
] as const;

/**
 * The first palette color no run uses yet; once all are taken, cycles by `used.length`.
 * Example: `nextRunColor(['#4e79a7'])` → `'#f28e2b'`.
 */
export function nextRunColor(used: readonly string[]): string {
  const taken = new Set(used.map((c) => c.toLowerCase()));
  const free = RUN_PALETTE.find((c) => !taken.has(c));
  return free ?? RUN_PALETTE[used.length % RUN_PALETTE.length];
}

/**
 * Colors for `count` new runs, in order, after those in `used`.
 * Example: `assignRunColors(['#4e79a7'], 2)` → `['#f28e2b', '#59a14f']`.
 */
export function assignRunColors(used: readonly string[], count: number): string[] {
  const taken = used.slice();
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const color = nextRunColor(taken);
    taken.push(color);
    out.push(color);
  }
  return out;
}
