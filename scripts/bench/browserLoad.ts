/**
 * Loading figures for `npm run bench -- browser`, against the built app in headless
 * Chromium, each beside a baseline measured in the same run:
 *
 * - a release folder of 12 files (~215 MB: llama3_8b base and instruct, None /
 *   Simplified / Detailed CoT, correct and irrelevant; 500 samples × 32 layers each)
 *   chosen in "Load a folder of statistics files" → every run listed and no file being
 *   read. Baseline: the CLI's whole `gradlens summarize` of the same files (start-up
 *   included). Goal ≤ 1.2×.
 * - one 182 MB file (5100 samples) → its first curve. Baseline: the core's parseRun in
 *   this Node process on the same bytes. Goal ≤ 1.5×.
 * - a 170 MB file whose samples carry ~260 KB of text each → listed and charted.
 * - for each: the longest main-thread task (PerformanceObserver 'longtask'; goal
 *   ≤ 50 ms) and the page's heap growth (CDP, after a collection: JS heap plus
 *   ArrayBuffer backing stores) against the bytes of the runs' numbers (goal ≤ 1.5× +
 *   20 MB).
 * - reload with all of those runs saved (plus two more 182 MB files, ~1 GB of files)
 *   → every run listed and curves drawn (goal < 2 s), beside the bytes read from
 *   storage and the driver's own wait; twice (the machine is shared).
 * - 300 and 1000 small files (5 samples × 32 layers) chosen at once → all listed, and
 *   → all saved.
 *
 * Files are generated here (seeded: syntheticStats) into a temporary folder.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { syntheticStatsLines } from '../../src/core/data/syntheticStats.ts';
import { parseRun } from '../../src/core/format/runParser.ts';
import { poolSize } from '../../src/lib/loading/parsePool.ts';
import { runBytes } from '../../src/storage/runStore.ts';
import { ROOT } from '../../tests/e2e/harness.ts';

const FILES_LABEL = 'Load gradient statistics';
const FOLDER_LABEL = 'Load a folder of statistics files';
/** tsx compiles with esbuild's keepNames, which wraps functions in `__name(...)`; functions sent to the page need it there too. */
const KEEP_NAMES_SHIM = 'globalThis.__name = (fn) => fn;';
/** Records long tasks from the page's start, for `longestTask`. */
const LONG_TASKS = `globalThis.__longTasks = []; try { new PerformanceObserver((l) => { for (const e of l.getEntries()) globalThis.__longTasks.push([e.startTime, e.duration]); }).observe({ type: 'longtask', buffered: true }); } catch {}`;

const ms = (x: number) => `${Math.round(x)} ms`;
const mb = (x: number) => `${(x / 1e6).toFixed(1)} MB`;
const s = (x: number) => `${(x / 1000).toFixed(2)} s`;

type Setting = 'none' | 'simplified' | 'detailed';
const SETTINGS: [string, Setting][] = [
  ['no_cot', 'none'],
  ['with_cot', 'simplified'],
  ['with_cot_gpt4o', 'detailed'],
];

/** Writes `lines` to `path` (folders made). */
function writeLines(path: string, lines: Iterable<string>): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, [...lines].join('\n') + '\n');
}

/** The 12-file release folder; returns the files' paths. */
function writeRelease(root: string, samples: number): string[] {
  const paths: string[] = [];
  let seed = 500;
  for (const [task, correctness] of [
    ['cot_500', 'correct'],
    ['cot_500_wrong_answer_shuffle', 'irrelevant'],
  ] as const) {
    for (const model of ['llama3_8b', 'llama3_8b_it_new']) {
      for (const [suffix, setting] of SETTINGS) {
        const path = join(root, 'grads_exp', task, model, `grads_gsm8k_train_${suffix}.jsonl`);
        writeLines(path, syntheticStatsLines({ samples, layers: 32, setting, correctness, seed: seed++ }));
        paths.push(path);
      }
    }
  }
  return paths;
}

/** Plain words, seeded, `bytes` long: a sample text with nothing to escape. */
function longText(bytes: number, seed: number): string {
  const words = ['gradient', 'layer', 'norm', 'answer', 'because', 'therefore', 'step', 'the', 'of', 'value', 'so', 'then'];
  let x = seed;
  const out: string[] = [];
  let n = 0;
  while (n < bytes) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    const w = words[x % words.length];
    out.push(w);
    n += w.length + 1;
  }
  return out.join(' ').slice(0, bytes);
}

/** A file whose samples each carry `textBytes` of instruction and output (half each). */
function writeLongTexts(path: string, samples: number, textBytes: number): void {
  const lines = [...syntheticStatsLines({ samples, layers: 32, setting: 'detailed', correctness: 'correct', seed: 77 })].map((line, i) => {
    const rest = line.indexOf(', "loss": ');
    return `{"instruction": "${longText(textBytes / 2, i)}", "output": "${longText(textBytes / 2, i + 1e6)}"${line.slice(rest)}`;
  });
  writeLines(path, lines);
}

/** Bytes of the numbers of the runs in `paths` (parsed here), and the time the core's parser took. */
function nodeParse(paths: string[]): { numbers: number; parseMs: number } {
  let numbers = 0;
  let parseMs = 0;
  for (const path of paths) {
    const bytes = readFileSync(path);
    const t = performance.now();
    const run = parseRun(path, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    parseMs += performance.now() - t;
    numbers += runBytes(run);
  }
  return { numbers, parseMs };
}

/** JS heap plus ArrayBuffer backing stores of the page, after a full collection. */
async function heap(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number };
  return usage.usedSize + (usage.backingStorageSize ?? 0);
}

interface Timed {
  /** From the input's change event to the condition. */
  elapsed: number;
  /** The longest main-thread task meanwhile (0: none over 50 ms). */
  longestTask: number;
}

/**
 * Arms a timer on the input labelled `label`: from its change event until `until()`
 * holds in the page (checked every frame), with the longest task meanwhile.
 */
async function armTimer(page: Page, label: string, until: string): Promise<void> {
  await page.evaluate(
    ({ label, until }) => {
      const done = new Function(`return (${until})`) as () => boolean;
      const input = document.querySelector<HTMLInputElement>(`input[aria-label="${label}"]`)!;
      (window as unknown as { __timed: Promise<unknown> }).__timed = new Promise((resolveTimed) => {
        input.addEventListener(
          'change',
          () => {
            const t0 = performance.now();
            const tick = () => {
              if (!done()) return void requestAnimationFrame(tick);
              const t1 = performance.now();
              // Long tasks are reported a task after they end: the one just before t1 is read after a pause.
              setTimeout(() => {
                const tasks = (globalThis as unknown as { __longTasks: [number, number][] }).__longTasks;
                const longest = tasks.filter(([start]) => start >= t0 && start <= t1).reduce((m, [, d]) => Math.max(m, d), 0);
                resolveTimed({ elapsed: t1 - t0, longestTask: longest });
              }, 200);
            };
            requestAnimationFrame(tick);
          },
          { once: true, capture: true },
        );
      });
    },
    { label, until },
  );
}

const timed = (page: Page) => page.evaluate(() => (window as unknown as { __timed: Promise<Timed> }).__timed);

/** In-page condition: `n` runs listed and no file being read or waiting. */
const listed = (n: number) => `document.querySelectorAll('[data-testid="run-item"]').length >= ${n} && !document.querySelector('[data-testid="load-job"], [data-testid="load-waiting"]')`;
/** In-page condition: a curve of the run loaded from `ref` is drawn. */
const charted = (ref: string) =>
  `(() => { const id = document.querySelector('[data-testid="run-item"][data-ref="${ref}"]')?.dataset.run; return !!id && !!document.querySelector('[data-testid="curve"][data-run="' + id + '"]'); })()`;

async function openApp(browser: Browser, url: string): Promise<{ page: Page; cdp: CDPSession; close: () => Promise<void> }> {
  // CSP of the built app forbids eval on the page; the bench's in-page conditions are compiled with Function.
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, bypassCSP: true });
  await context.addInitScript(KEEP_NAMES_SHIM);
  await context.addInitScript(LONG_TASKS);
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  page.on('crash', () => console.error('the page crashed'));
  await page.goto(`${url}?run=`);
  await page.locator('[data-testid="app"][data-ready="true"]').waitFor();
  const cdp = await context.newCDPSession(page);
  return { page, cdp, close: () => context.close() };
}

/** A reload timed in phases (ms): from page.reload() to navigation start, then from navigation start to the runs read, listed, and a curve drawn. */
interface ReloadTimes {
  driver: number;
  reloadReturned: number;
  navigationAfterCall: number;
  read: number;
  readRuns: number;
  bytesRead: number;
  listed: number;
  curves: number;
  longest: number;
}

/** Reloads `page` (holding `runs` saved runs) and times it; the app marks `gradlens:runs-read` with the bytes it read from storage. */
async function timeReload(page: Page, runs: number): Promise<ReloadTimes> {
  const called = Date.now();
  await page.reload();
  const reloadReturned = Date.now() - called;
  const inPage = await page.evaluate(
    ({ n }) =>
      new Promise<Omit<ReloadTimes, 'driver' | 'reloadReturned' | 'navigationAfterCall'> & { origin: number }>((resolveReload, rejectReload) => {
        let listedAt = 0;
        const tick = () => {
          const items = document.querySelectorAll('[data-testid="run-item"]').length;
          if (items >= n && !listedAt) listedAt = performance.now();
          if (listedAt && document.querySelector('[data-testid="curve"]')) {
            const tasks = (globalThis as unknown as { __longTasks: [number, number][] }).__longTasks;
            const mark = performance.getEntriesByName('gradlens:runs-read')[0] as PerformanceMark | undefined;
            const detail = (mark?.detail ?? {}) as { runs?: number; bytes?: number };
            resolveReload({
              origin: performance.timeOrigin,
              read: mark?.startTime ?? NaN,
              readRuns: detail.runs ?? NaN,
              bytesRead: detail.bytes ?? NaN,
              listed: listedAt,
              curves: performance.now(),
              longest: tasks.reduce((m, [, d]) => Math.max(m, d), 0),
            });
          } else requestAnimationFrame(tick);
        };
        tick();
        setTimeout(() => rejectReload(new Error('no curves 120 s after the reload')), 120_000);
      }),
    { n: runs },
  );
  const { origin, ...times } = inPage;
  return { ...times, driver: Date.now() - called, reloadReturned, navigationAfterCall: origin - called };
}

const saved = (page: Page) => page.locator('[data-testid="app"][data-saved="true"]').waitFor({ timeout: 600_000 });

/** The loading section of the browser bench. */
export async function benchLoading(browser: Browser, url: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gradlens-bench-load-'));
  try {
    console.log('\n### Loading (parse workers, storage)');
    const release = writeRelease(join(dir, 'release'), Number(process.env.BENCH_RELEASE_SAMPLES ?? 500));
    const big = join(dir, 'single', 'grads_gsm8k_train_with_cot_gpt4o.jsonl');
    writeLines(big, syntheticStatsLines({ samples: Number(process.env.BENCH_BIG_SAMPLES ?? 5100), layers: 32, setting: 'detailed', correctness: 'correct', seed: 182 }));
    const texts = join(dir, 'texts', 'grads_wiki_long_texts.jsonl');
    writeLongTexts(texts, Number(process.env.BENCH_TEXT_SAMPLES ?? 600), 260_000);
    const sizeOf = (paths: string[]) => paths.reduce((n, p) => n + readFileSync(p).byteLength, 0);

    // Baselines.
    const cli = performance.now();
    const out = spawnSync(process.execPath, [resolve(ROOT, 'bin/gradlens.cjs'), 'summarize', ...release], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
    const cliMs = performance.now() - cli;
    if (out.status !== 0) throw new Error(`gradlens summarize failed: ${out.stderr}`);
    nodeParse([release[0]]); // warm the parser
    const releaseNode = nodeParse(release);
    const bigNode = nodeParse([big]);
    const textsNode = nodeParse([texts]);

    const { page, cdp, close } = await openApp(browser, url);
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    console.log(`(navigator.hardwareConcurrency ${cores}: ${poolSize(cores)} parse workers)`);

    let before = await heap(cdp);
    await armTimer(page, FOLDER_LABEL, listed(release.length));
    await page.getByLabel(FOLDER_LABEL).setInputFiles(join(dir, 'release', 'grads_exp'));
    const folder = await timed(page);
    let grown = (await heap(cdp)) - before;
    console.log(`release folder, 12 files (${mb(sizeOf(release))}) chosen → every run listed: ${s(folder.elapsed)}`);
    console.log(`  baseline, CLI \`gradlens summarize\` of the same files (whole process): ${s(cliMs)}; ratio ${(folder.elapsed / cliMs).toFixed(2)}× (goal ≤ 1.2×)`);
    console.log(`  longest main-thread task: ${ms(folder.longestTask)} (goal ≤ 50 ms)`);
    console.log(`  page heap growth ${mb(grown)} against ${mb(releaseNode.numbers)} of numbers: ${(grown / releaseNode.numbers).toFixed(2)}× (goal ≤ 1.5× + 20 MB, i.e. ≤ ${mb(1.5 * releaseNode.numbers + 20e6)})`);

    before = await heap(cdp);
    await armTimer(page, FILES_LABEL, charted('grads_gsm8k_train_with_cot_gpt4o.jsonl'));
    await page.getByLabel(FILES_LABEL, { exact: true }).setInputFiles(big);
    const single = await timed(page);
    grown = (await heap(cdp)) - before;
    console.log(`one ${mb(sizeOf([big]))} file chosen → its first curve: ${s(single.elapsed)}`);
    console.log(`  baseline, the core's parseRun in Node on the same bytes: ${s(bigNode.parseMs)}; ratio ${(single.elapsed / bigNode.parseMs).toFixed(2)}× (goal ≤ 1.5×)`);
    console.log(`  longest main-thread task: ${ms(single.longestTask)}; heap growth ${mb(grown)} against ${mb(bigNode.numbers)} of numbers`);

    before = await heap(cdp);
    await armTimer(page, FILES_LABEL, `${listed(release.length + 2)} && ${charted('grads_wiki_long_texts.jsonl')}`);
    await page.getByLabel(FILES_LABEL, { exact: true }).setInputFiles(texts);
    const long = await timed(page);
    grown = (await heap(cdp)) - before;
    console.log(`a ${mb(sizeOf([texts]))} file with ~260 KB of text per sample → listed and charted: ${s(long.elapsed)} (core parseRun in Node: ${s(textsNode.parseMs)})`);
    console.log(`  longest main-thread task: ${ms(long.longestTask)}; heap growth ${mb(grown)} (its texts are ${mb(sizeOf([texts]) - 0)} of the file, kept as bytes until a sample is opened)`);

    // More runs, so the reload restores about a gigabyte of files' runs.
    const extra: string[] = [];
    for (let i = 0; i < Number(process.env.BENCH_RELOAD_EXTRA ?? 2); i++) {
      const path = join(dir, `extra${i}`, `grads_math_train_no_cot_${i}.jsonl`);
      writeLines(path, syntheticStatsLines({ samples: 5100, layers: 32, setting: 'none', correctness: 'correct', seed: 900 + i }));
      extra.push(path);
    }
    if (extra.length) {
      await page.getByLabel(FILES_LABEL, { exact: true }).setInputFiles(extra);
      await page.waitForFunction(listed(release.length + 2 + extra.length), null, { timeout: 600_000, polling: 200 });
    }
    const savedAt = performance.now();
    await saved(page);
    const all = [...release, big, texts, ...extra];
    const notSaved = await page.locator('[data-testid="unsaved-runs"] li').allTextContents();
    if (notSaved.length) console.log(`  not saved: ${notSaved.join(', ')} (${await page.locator('[data-testid="unsaved-runs"] p').textContent()})`);
    const runs = all.length - notSaved.length;
    console.log(`  (every run saved ${s(performance.now() - savedAt)} after the last was listed)`);
    const numbers = nodeParse(all).numbers;
    for (let i = 0; i < 2; i++) {
      const reload = await timeReload(page, runs);
      console.log(`reload with ${runs} runs saved (${mb(sizeOf(all))} of files, ${mb(numbers)} of numbers) → curves ${s(reload.curves)} after navigation start (goal < 2 s)`);
      console.log(
        `  read from storage: ${mb(reload.bytesRead)} in ${reload.readRuns} runs, done at ${s(reload.read)}; all listed ${s(reload.listed)}; longest task ${ms(reload.longest)}`,
      );
      console.log(
        `  as the test driver saw it: ${s(reload.driver)} (navigation started ${s(reload.navigationAfterCall)} after page.reload() was called; page.reload() returned after ${s(reload.reloadReturned)})`,
      );
    }
    await close();

    for (const count of (process.env.BENCH_SMALL ?? '300,1000').split(',').filter(Boolean).map(Number)) {
      const folder = join(dir, `small${count}`);
      const paths = Array.from({ length: count }, (_, i) => {
        const path = join(folder, `grads_small_${String(i).padStart(4, '0')}_no_cot.jsonl`);
        writeLines(path, syntheticStatsLines({ samples: 5, layers: 32, setting: 'none', correctness: 'correct', seed: 10_000 + i }));
        return path;
      });
      const app = await openApp(browser, url);
      await armTimer(app.page, FILES_LABEL, listed(count));
      const start = performance.now();
      await app.page.getByLabel(FILES_LABEL, { exact: true }).setInputFiles(paths);
      const small = await timed(app.page);
      await saved(app.page);
      const savedMs = performance.now() - start;
      console.log(`${count} small files (${mb(sizeOf(paths))}, 5 samples × 32 layers each) chosen → all listed ${s(small.elapsed)}, all saved ${s(savedMs)}; longest task ${ms(small.longestTask)}`);
      await app.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `npx tsx scripts/bench/browserLoad.ts`: the loading section alone (builds dist/ first when it is missing). */
if (import.meta.url === `file://${process.argv[1]}`) {
  const { launchBrowser, startPreview } = await import('../../tests/e2e/harness.ts');
  const preview = await startPreview();
  const browser = await launchBrowser();
  try {
    await benchLoading(browser, preview.url);
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  } finally {
    await browser.close();
    await preview.stop();
  }
}
