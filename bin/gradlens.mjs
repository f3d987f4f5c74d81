#!/usr/bin/env node
// `npx gradlens …`: runs the command line bundled into dist-cli/ by npm's `prepare` step
// (scripts/cli/bundle.mjs), so nothing is compiled at run time. When the bundle is
// missing or a source is newer (a checkout that changed since `npm install`), it is
// rebuilt first. Paths resolve relative to this file, not the working directory.
import { bundleIsStale, ENTRY, ensureCli } from '../scripts/cli/bundle.mjs';
import { pathToFileURL } from 'node:url';

if (bundleIsStale()) {
  await ensureCli({ log: (line) => process.stderr.write(`${line}\n`) });
}
const { main } = await import(pathToFileURL(ENTRY).href);
process.exitCode = await main(process.argv.slice(2));
