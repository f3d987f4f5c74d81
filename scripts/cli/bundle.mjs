// The `gradlens` command line as built JavaScript: esbuild bundles scripts/gradlens.ts
// and each subcommand (and the sample thread `compute` starts) into dist-cli/ as
// CommonJS, one file per command, so `--help`, usage errors and `summarize` load no
// model code and `compute` loads @tensorflow/tfjs-core with its gradients and the wasm
// and cpu backends, not the whole @tensorflow/tfjs (layers, converter, data, webgl:
// 1.2-1.4 s of import). CommonJS, not ES modules: Node starts its ES module loader
// for the first ES module a process imports, and each module of a graph costs its own
// resolve, read and link; `summarize` loads two CommonJS files.
// npm runs this at install (`prepare`); bin/gradlens.cjs runs it again when a source is
// newer than the bundle. Plain JavaScript, so it runs before anything is compiled.
//   node scripts/cli/bundle.mjs        build dist-cli/
import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import bundleState from './bundleState.cjs';

const { ROOT, OUT_DIR, bundleIsStale } = bundleState;
const LOCK = join(ROOT, '.dist-cli.lock');

/**
 * The commands' files: each a bundle of its own (CommonJS has no shared chunks), loaded
 * by the one that imports it only when it runs. The sample thread is a file of its own:
 * sampleThreads.ts starts it by URL, next to the bundle.
 */
const ENTRIES = {
  gradlens: 'scripts/gradlens.ts',
  summarize: 'scripts/cli/summarize.ts',
  compare: 'scripts/cli/compare.ts',
  pairs: 'scripts/cli/pairs.ts',
  compute: 'scripts/cli/compute.ts',
  computeJob: 'scripts/cli/computeJob.ts',
  sampleThread: 'scripts/lib/sampleThread.ts',
};

/** `@tensorflow/tfjs` → tfjs-core with its gradients (src/core/model/tfjsCore.ts); see that file. */
const tfjsCorePlugin = {
  name: 'tfjs-core',
  setup(build) {
    build.onResolve({ filter: /^@tensorflow\/tfjs$/ }, () => ({ path: join(ROOT, 'src/core/model/tfjsCore.ts') }));
  },
};

/** A dynamic import() of another entry's source stays an import of that entry's built file, not a second copy. */
const entriesPlugin = {
  name: 'entries',
  setup(build) {
    const byPath = new Map(Object.entries(ENTRIES).map(([name, source]) => [join(ROOT, source).replace(/\.ts$/, ''), name]));
    build.onResolve({ filter: /^\./ }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      const name = byPath.get(resolve(args.resolveDir, args.path).replace(/\.ts$/, ''));
      return name === undefined ? undefined : { path: `./${name}.cjs`, external: true };
    });
  },
};

/** Builds dist-cli/ (replacing it) and records the source files it was made from. */
export async function buildCli() {
  const { build } = await import('esbuild');
  const staging = `${OUT_DIR}.${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ENTRIES,
    outdir: staging,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    format: 'cjs',
    // import() of a command's file as require(): an import() would start Node's ES module loader and lex the file for its exports.
    supported: { 'dynamic-import': false },
    platform: 'node',
    target: 'node20',
    // ESM sources first: tree-shaken, and tfjs-core's gradients exist only there.
    mainFields: ['module', 'main'],
    external: ['esbuild'],
    // CommonJS has no import.meta: its url is the bundled file's own (importMetaUrl.js).
    inject: [join(ROOT, 'scripts/cli/importMetaUrl.js')],
    define: { 'import.meta.url': 'importMetaUrl' },
    plugins: [tfjsCorePlugin, entriesPlugin],
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
