import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileKernel, KERNELS, moduleText } from '../../scripts/lib/wasmKernels.ts';

describe('the WebAssembly kernels', () => {
  for (const kernel of KERNELS) {
    it(`${kernel.source} is checked in exactly as it compiles today (run \`npm run build:wasm\` after editing it)`, async () => {
      const fresh = moduleText(kernel, await compileKernel(kernel));
      expect(readFileSync(kernel.output, 'utf8')).toBe(fresh);
    });
  }
});
