#!/usr/bin/env node
// `npx gradlens …`: runs the command line bundled into dist-cli/ by npm's `prepare` step
// (scripts/cli/bundle.mjs), so nothing is compiled at run time. When the bundle is
// missing or a source is newer (a checkout that changed since `npm install`), it is
// rebuilt first. CommonJS, as the bundle is (see bundle.mjs for why).
'use strict';
const { bundleIsStale, ENTRY } = require('../scripts/cli/bundleState.cjs');

(async () => {
  if (bundleIsStale()) {
    const { ensureCli } = await import('../scripts/cli/bundle.mjs');
    await ensureCli({ log: (line) => process.stderr.write(`${line}\n`) });
  }
  process.exitCode = await require(ENTRY).main(process.argv.slice(2));
})();
