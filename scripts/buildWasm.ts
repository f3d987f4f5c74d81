/** `npm run build:wasm`: recompiles every WebAssembly kernel of wasm/ into its module of src/core. */
import { writeFileSync } from 'node:fs';
import { compileKernel, KERNELS, moduleText } from './lib/wasmKernels.ts';

for (const kernel of KERNELS) {
  const binary = await compileKernel(kernel);
  writeFileSync(kernel.output, moduleText(kernel, binary));
  console.log(`${kernel.output}: ${binary.length} bytes of WebAssembly`);
}
