/**
 * `npm run bench [-- SECTION...]`: runs the benchmark sections in order, each a module
 * in scripts/bench exporting an async function that prints its own table (figures as
 * ratios against a baseline measured in the same run, where one exists). A section
 * whose file does not exist yet is skipped with a note; one that throws is reported and
 * makes the exit code 1, and the others still run. Unknown section names exit 2.
 *   npm run bench              every section
 *   npm run bench -- read svd  only these, in the order below
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface Section {
  name: string;
  /** Path relative to this file. */
  file: string;
  /** The exported async function that runs the section. */
  entry: string;
  about: string;
  /** Also run when this other section is asked for (`npm run bench -- compute` runs checkpoint too). */
  partOf?: string;
}

const SECTIONS: readonly Section[] = [
  { name: 'read', file: './bench/read.ts', entry: 'benchRead', about: 'reading statistics files (vs Python json + numpy)' },
  { name: 'summarize', file: './bench/summarize.ts', entry: 'benchSummarize', about: 'curves + MAD of a loaded run (vs d3-array)' },
  { name: 'svd', file: './bench/svd.ts', entry: 'benchSvd', about: 'singular values of per-sample gradients (vs ml-matrix SVD)' },
  { name: 'paired', file: './bench/paired.ts', entry: 'benchPaired', about: 'paired bootstrap + permutation tests, 500 × 42 × 4 (vs numpy)' },
  { name: 'compute', file: './bench/compute.ts', entry: 'benchCompute', about: 'live statistics on small models, per backend' },
  { name: 'checkpoint', file: './bench/checkpoint.ts', entry: 'benchCheckpoint', about: 'a SmolLM2-135M-shaped checkpoint at T = 256, Node and Chromium (also run by compute)', partOf: 'compute' },
  { name: 'unified', file: './bench/unified.ts', entry: 'benchUnified', about: "--format unified (S_list + cosine maps) against the default, per sample and whole command (also run by compute)", partOf: 'compute' },
  { name: 'browser', file: './bench/browser.ts', entry: 'benchBrowser', about: 'the built app in headless Chromium' },
];

async function runSection(section: Section): Promise<'ok' | 'skipped' | 'failed'> {
  const url = new URL(section.file, import.meta.url);
  const path = `scripts/${section.file.slice(2)}`;
  if (!existsSync(fileURLToPath(url))) {
    console.log(`\n## ${section.name}: skipped (${path} does not exist yet)`);
    return 'skipped';
  }
  const t0 = performance.now();
  try {
    const mod = (await import(url.href)) as Record<string, unknown>;
    const entry = mod[section.entry];
    if (typeof entry !== 'function') {
      console.log(`\n## ${section.name}: skipped (${path} does not export ${section.entry})`);
      return 'skipped';
    }
    await (entry as () => Promise<void>)();
    console.log(`(${section.name}: ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    return 'ok';
  } catch (e) {
    console.error(`\n## ${section.name}: failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return 'failed';
  }
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log('usage: npm run bench [-- SECTION...]\n\nsections, run in this order:');
    for (const s of SECTIONS) console.log(`  ${s.name.padEnd(10)} ${s.about}`);
    return 0;
  }
  const unknown = argv.filter((a) => !SECTIONS.some((s) => s.name === a));
  if (unknown.length > 0) {
    console.error(`bench: unknown section ${unknown.join(', ')}; sections: ${SECTIONS.map((s) => s.name).join(', ')}`);
    return 2;
  }
  const chosen = argv.length === 0 ? SECTIONS : SECTIONS.filter((s) => argv.includes(s.name) || (s.partOf !== undefined && argv.includes(s.partOf)));
  console.log(`# gradlens benchmarks (${new Date().toISOString()}, Node ${process.version})`);
  const results: string[] = [];
  for (const section of chosen) results.push(`${section.name} ${await runSection(section)}`);
  console.log(`\n${results.join(', ')}`);
  return results.some((r) => r.endsWith('failed')) ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
