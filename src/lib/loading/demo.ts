/**
 * The demo statistics shipped with the app (`data/demo/**`), as URLs of the app's own
 * origin. The ref of each is its path below `data/demo/`, which follows the release
 * layout, so the run list and pairing read their metadata from it.
 */
const files = import.meta.glob<string>('/data/demo/**/*.jsonl', { query: '?url', import: 'default' });

/** A demo file: its ref (release-layout path) and a URL to fetch it from. */
export interface DemoFile {
  ref: string;
  url: string;
}

/** Every demo file, sorted by ref. */
export async function demoFiles(): Promise<DemoFile[]> {
  const entries = await Promise.all(
    Object.entries(files).map(async ([path, load]) => ({
      ref: path.replace(/^\/data\/demo\//, ''),
      url: new URL(await load(), location.href).href,
    })),
  );
  return entries.sort((a, b) => a.ref.localeCompare(b.ref));
}
