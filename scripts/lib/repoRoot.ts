/**
 * The repository's root folder, found from this module's own location, so the same
 * code finds data/models whether it runs from scripts/ (tsx) or from the CLI bundle in
 * dist-cli/: the nearest folder above holding gradlens's package.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The folder with gradlens's package.json above this module; throws when there is none. */
export function repoRoot(): string {
  if (root !== undefined) return root;
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'gradlens') return (root = dir);
    if (dirname(dir) === dir) throw new Error(`gradlens: no gradlens package.json above ${fileURLToPath(import.meta.url)}`);
  }
}
