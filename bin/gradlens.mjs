#!/usr/bin/env node
// `npx gradlens …`: runs scripts/gradlens.ts through tsx's loader (a dependency), so the
// CLI needs no build step. Paths resolve relative to this file, not the working directory.
import { register } from 'tsx/esm/api';

register();
const { main } = await import(new URL('../scripts/gradlens.ts', import.meta.url).href);
process.exitCode = await main(process.argv.slice(2));
