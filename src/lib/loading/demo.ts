/**
 * The demo statistics shipped with the app (`data/demo/**`), as URLs of the app's own
 * origin. The ref of each is its path below `data/demo/`, which follows the release
 * layout, so the run list and pairing read their metadata from it.
 */
// Eager: the values are just URL strings, so there is no reason for a chunk per file.
const files = import.meta.glob<string>('/data/demo/**/*.jsonl', { query: '?url', import: 'default', eager: true });

/** A demo file: its ref (release-layout path) and a URL to fetch it from. */
export interface DemoFile {
  ref: string;
  url: string;
}

/** Every demo file, sorted by ref. */
export async function demoFiles(): Promise<DemoFile[]> {
  return Object.entries(files)
    .map(([path, url]) => ({ ref: path.replace(/^\/data\/demo\//, ''), url: new URL(url, location.href).href }))
    .sort((a, b) => a.ref.localeCompare(b.ref));
}
