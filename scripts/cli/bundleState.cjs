// Where the command line's bundle lives and whether it is older than its sources: what
// bin/gradlens.cjs checks before every command, so CommonJS (loaded without Node's ES
// module loader) and nothing else; scripts/cli/bundle.mjs builds the bundle.
'use strict';
const { existsSync, readFileSync, statSync } = require('node:fs');
const { join, resolve } = require('node:path');

/** The package's root folder. */
const ROOT = resolve(__dirname, '../..');
/** Where the bundle goes (gitignored). */
const OUT_DIR = join(ROOT, 'dist-cli');
/** The entry the bin loads. */
const ENTRY = join(OUT_DIR, 'gradlens.cjs');
/** The source files the bundle was made from, and when (written by the build). */
const MANIFEST = join(OUT_DIR, 'inputs.json');

/** Whether dist-cli/ is missing, or older than one of the sources it was built from (or one is gone). */
function bundleIsStale() {
  if (!existsSync(ENTRY) || !existsSync(MANIFEST)) return true;
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
  } catch {
    return true;
  }
  for (const input of manifest.inputs) {
    let mtime;
    try {
      mtime = statSync(join(ROOT, input)).mtimeMs;
    } catch {
      return true;
    }
    if (mtime > manifest.builtAt) return true;
  }
  return false;
}

module.exports = { ROOT, OUT_DIR, ENTRY, MANIFEST, bundleIsStale };
