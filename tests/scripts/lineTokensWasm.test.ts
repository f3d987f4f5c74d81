import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileLineTokens, moduleText, OUTPUT } from '../../scripts/lib/lineTokensWasm.ts';

describe('the WebAssembly line tokenizer', () => {
  it('is checked in exactly as wasm/lineTokens.ts compiles today (run `npm run build:wasm` after editing it)', async () => {
    const fresh = moduleText(await compileLineTokens());
    expect(readFileSync(OUTPUT, 'utf8')).toBe(fresh);
  });
});
