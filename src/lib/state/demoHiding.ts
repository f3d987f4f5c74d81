/** When the demo steps aside: loading one's own files (or links) while demo runs are loaded hides the demo. */
import type { RunEntry } from './types.ts';

/**
 * Whether `entries` holds a run from a file or URL that `known` (the run ids before)
 * did not, while a demo run is loaded. Example: the demo, then a dropped file → true;
 * a live computation → false.
 */
export function ownRunsAdded(known: ReadonlySet<string>, entries: readonly RunEntry[]): boolean {
  const fresh = entries.some((e) => !known.has(e.run.id) && (e.source.kind === 'file' || e.source.kind === 'url'));
  return fresh && entries.some((e) => e.source.kind === 'demo');
}
