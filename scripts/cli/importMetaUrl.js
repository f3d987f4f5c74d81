// Injected into each file of the CommonJS command-line bundle (scripts/cli/bundle.mjs)
// for `import.meta.url`, which CommonJS lacks: the bundled file's own URL.
import { pathToFileURL } from 'node:url';

export const importMetaUrl = pathToFileURL(__filename).href;
