import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Writes `lines` as one JSONL file at `rel` below `outDir`, making its folders: the generated trees' one way to put a file. */
export function writeLinesFile(outDir: string, rel: string, lines: Iterable<string>): void {
  const path = join(outDir, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, [...lines].join('\n') + '\n');
}
