/**
 * Imports flow one way (components → app state → worker client → worker → core):
 * nothing in src/core or src/workers imports from src/lib.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LIB = join(ROOT, 'src/lib');

/** Every module specifier a source file names: imports (type-only and side-effect ones too), re-exports, import(). */
function specifiers(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(/(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;(])import\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|[\s;])import\s*['"]([^'"]+)['"]/gm)) {
    out.push(m[1] ?? m[2] ?? m[3]);
  }
  return out;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && /\.(ts|svelte)$/.test(d.name))
    .map((d) => join(d.parentPath, d.name));
}

describe('the direction of imports', () => {
  it('finds the imports of a file, static, re-exported and dynamic', () => {
    expect(specifiers(`import a from './a.ts';\nimport { b } from "../b";\nexport { c } from './c.ts';\nconst d = await import('./d.ts');\nimport './e.css';`)).toEqual(['./a.ts', '../b', './c.ts', './d.ts', './e.css']);
  });

  it.each(['src/core', 'src/workers'])('%s imports nothing from src/lib', (folder) => {
    const files = sources(join(ROOT, folder));
    expect(files.length).toBeGreaterThan(0);
    const upward: string[] = [];
    for (const file of files) {
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        const target = resolve(dirname(file), spec);
        if (target === LIB || target.startsWith(LIB + '/')) upward.push(`${relative(ROOT, file)} → ${spec}`);
      }
    }
    expect(upward).toEqual([]);
  });
});
