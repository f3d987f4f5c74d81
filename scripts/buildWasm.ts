/** `npm run build:wasm`: recompiles the reader's WebAssembly kernel into src/core/format/lineTokensWasm.ts. */
import { writeFileSync } from 'node:fs';
import { compileLineTokens, moduleText, OUTPUT } from './lib/lineTokensWasm.ts';

const binary = await compileLineTokens();
writeFileSync(OUTPUT, moduleText(binary));
console.log(`${OUTPUT}: ${binary.length} bytes of WebAssembly`);
