// The `gradlens` command line as built JavaScript: esbuild bundles scripts/gradlens.ts
// and the sample thread it starts (scripts/lib/sampleThread.ts) into dist-cli/, one
// chunk per subcommand, so `--help`, usage errors and `summarize` load no model code and `compute` loads
// @tensorflow/tfjs-core with its gradients and the wasm and cpu backends, not the whole
// @tensorflow/tfjs (layers, converter, data, webgl: 1.2-1.4 s of import). npm runs this
// at install (`prepare`); bin/gradlens.mjs runs it again when a source is newer than the
// bundle. Plain JavaScript, so it runs before anything is compiled.
//   node scripts/cli/bundle.mjs        build dist-cli/
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Where the bundle goes (gitignored). */
export const OUT_DIR = join(ROOT, 'dist-cli');
/** The entry the bin imports. */
export const ENTRY = join(OUT_DIR, 'gradlens.mjs');
const MANIFEST = join(OUT_DIR, 'inputs.json');
const LOCK = join(ROOT, '.dist-cli.lock');

/**
 * What an ESM bundle of CommonJS and emscripten code needs from Node: `require`,
 * `__filename` and `__dirname` as the bundled modules expect them (tfjs-backend-wasm's
 * loader reads its .wasm with fs next to `__dirname` unless told a path).
 */
const BANNER = [
  "import { createRequire as __gradlensCreateRequire } from 'node:module';",
  "import { fileURLToPath as __gradlensFileURLToPath } from 'node:url';",
  "import { dirname as __gradlensDirname } from 'node:path';",
  'const require = __gradlensCreateRequire(import.meta.url);',
  'const __filename = __gradlensFileURLToPath(import.meta.url);',
  'const __dirname = __gradlensDirname(__filename);',
].join('\n');

/** `@tensorflow/tfjs` → tfjs-core with its gradients (src/core/model/tfjsCore.ts); see that file. */
const tfjsCorePlugin = {
  name: 'tfjs-core',
  setup(build) {
    build.onResolve({ filter: /^@tensorflow\/tfjs$/ }, () => ({ path: join(ROOT, 'src/core/model/tfjsCore.ts') }));
  },
};

/** Builds dist-cli/ (replacing it) and records the source files it was made from. */
export async function buildCli() {
  const { build } = await import('esbuild');
  const staging = `${OUT_DIR}.${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: ROOT,
    // The sample thread is an entry of its own: sampleThreads.ts starts it by URL, next to its chunk.
    entryPoints: { gradlens: 'scripts/gradlens.ts', sampleThread: 'scripts/lib/sampleThread.ts' },
    outdir: staging,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // ESM sources first: tree-shaken, and tfjs-core's gradients exist only there.
    mainFields: ['module', 'main'],
    external: ['esbuild'],
    banner: { js: BANNER },
    plugins: [tfjsCorePlugin],
    metafile: true,
    logLevel: 'warning',
  });
  const all = Object.keys(result.metafile.inputs);
  const inputs = all.filter((p) => !p.includes('node_modules/'));
  // The npm packages in each output file, so a test can hold `compute` to tfjs-core.
  const packages = {};
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    const names = Object.keys(output.inputs).map((p) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(p)?.[1]).filter(Boolean);
    packages[relative(staging, join(ROOT, file))] = [...new Set(names)].sort();
  }
  writeFileSync(join(staging, 'inputs.json'), JSON.stringify({ builtAt: Date.now(), inputs, packages }, null, 1));
  rmSync(OUT_DIR, { recursive: true, force: true });
  // Renaming a finished folder into place: a process never sees half a bundle.
  renameSync(staging, OUT_DIR);
}

/** Whether dist-cli/ is missing, or older than one of the sources it was built from (or one is gone). */
export function bundleIsStale() {
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

/**
 * Builds the bundle when it is stale, one process at a time: others wait for the
 * builder (a lock folder) and use its result. Returns whether this process built it.
 */
export async function ensureCli({ log = () => {} } = {}) {
  if (!bundleIsStale()) return false;
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // Another process is building; a lock older than two minutes is left over from a crash.
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > 120_000) rmSync(LOCK, { recursive: true, force: true });
      } catch {
        // gone meanwhile
      }
      if (Date.now() > deadline) throw new Error(`gradlens: gave up waiting for ${relative(process.cwd(), LOCK)} (another build of the CLI)`);
      await new Promise((r) => setTimeout(r, 50));
      if (!bundleIsStale()) return false;
    }
  }
  try {
    if (!bundleIsStale()) return false;
    log('gradlens: building the command line (dist-cli/, sources changed since the last build)');
    await buildCli();
    return true;
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const t0 = performance.now();
  await buildCli();
  console.log(`gradlens: command line built into ${relative(process.cwd(), OUT_DIR) || '.'}/ in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
