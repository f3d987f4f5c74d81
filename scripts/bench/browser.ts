/**
 * Browser figures for `npm run bench`, against the built app in headless Chromium:
 *
 * - first chart: from choosing a generated 17 MB file (500 samples × 32 layers) in the
 *   labelled file input to its first curve in the DOM, measured in the page
 *   (performance.now at the input's change event → first `[data-testid=curve]` of the
 *   run). Baseline: the core's `parseRun` on the same bytes in Node, this run. Also the
 *   longest gap between frames meanwhile (the page must stay responsive).
 * - hover: with 12 runs of 42 layers × 7 modules on screen, the time from a pointer
 *   moving onto a layer to the crosshair being in the DOM and laid out (goal < 16 ms),
 *   and to the next frame. Baseline: a requestAnimationFrame round trip on an empty page.
 * - 48 release runs: hover to the next frame in the curves and the overlay (goal p95
 *   < 16 ms), and the time to switch the statistic.
 *
 *   npx tsx scripts/bench/browser.ts     (builds dist/ first when it is missing)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRun } from '../../src/core/format/runParser.ts';
import { poolSize } from '../../src/lib/loading/parsePool.ts';
import { syntheticStatsLines } from '../../src/core/data/syntheticStats.ts';
import { launchBrowser, startPreview } from '../../tests/e2e/harness.ts';
import { makeReleaseTree } from '../makeReleaseTree.ts';
import type { Page } from 'playwright-core';

const LABEL = 'Load gradient statistics';
const MODULES_7 = [
  'self_attn.q_proj',
  'self_attn.k_proj',
  'self_attn.v_proj',
  'self_attn.o_proj',
  'mlp.gate_proj',
  'mlp.up_proj',
  'mlp.down_proj',
];

function statsFile(samples: number, layers: number, seed: number, modules?: string[]): Buffer {
  const lines = [...syntheticStatsLines({ samples, layers, modules, setting: 'detailed', correctness: 'correct', seed })];
  return Buffer.from(lines.join('\n') + '\n');
}

/** tsx compiles with esbuild's keepNames, which wraps functions in `__name(...)`; functions sent to the page need it there too. */
const KEEP_NAMES_SHIM = 'globalThis.__name = (fn) => fn;';

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
}
function percentile(xs: number[], p: number): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : NaN;
}
const ms = (x: number) => `${x.toFixed(1)} ms`;

/** In-page times from the input's change event: a curve of every chosen file's run on screen, and the longest gap between frames meanwhile. */
async function timeFirstChart(page: Page, url: string, files: { name: string; bytes: Buffer }[]): Promise<{ firstChart: number; longestFrame: number }> {
  await page.goto(`${url}?${files.map((f) => `run=${encodeURIComponent(f.name)}`).join('&')}`);
  await page.locator('[data-testid="app"][data-ready="true"]').waitFor();
  await page.evaluate(
    ({ label, refs }) => {
      const input = document.querySelector<HTMLInputElement>(`input[aria-label="${label}"]`)!;
      (window as unknown as { __firstChart: Promise<unknown> }).__firstChart = new Promise((resolve) => {
        input.addEventListener(
          'change',
          () => {
            const t0 = performance.now();
            let last = t0;
            let longestFrame = 0;
            const tick = () => {
              const now = performance.now();
              longestFrame = Math.max(longestFrame, now - last);
              last = now;
              const charted = (ref: string) => {
                const id = document.querySelector<HTMLElement>(`[data-testid="run-item"][data-ref="${CSS.escape(ref)}"]`)?.dataset.run;
                return id !== undefined && document.querySelector(`[data-testid="curve"][data-run="${CSS.escape(id)}"]`) !== null;
              };
              if (refs.every(charted)) resolve({ firstChart: now - t0, longestFrame });
              else requestAnimationFrame(tick);
            };
            requestAnimationFrame(tick);
          },
          { once: true, capture: true },
        );
      });
    },
    { label: LABEL, refs: files.map((f) => f.name) },
  );
  // From a file on disk: a local browser reads it directly (a buffer would be sent base64
  // over the protocol, ~1 MB/s). The file must outlive the read: the page reads it lazily.
  const dir = mkdtempSync(join(tmpdir(), 'gradlens-bench-'));
  const paths = files.map((f) => join(dir, f.name));
  files.forEach((f, i) => writeFileSync(paths[i], f.bytes));
  try {
    await page.getByLabel(LABEL, { exact: true }).setInputFiles(paths);
    return await page.evaluate(() => (window as unknown as { __firstChart: Promise<{ firstChart: number; longestFrame: number }> }).__firstChart);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One hover: the pointer moves onto a layer of a plot; time until the crosshair is in the DOM and laid out, and until the next frame. */
async function timeHovers(page: Page, count: number): Promise<{ update: number[]; frame: number[] }> {
  return page.evaluate(async (n) => {
    const update: number[] = [];
    const frame: number[] = [];
    const hit = document.querySelector<SVGRectElement>('[data-testid="plot-hit"]');
    if (!hit) throw new Error('no plot to hover');
    hit.scrollIntoView({ block: 'center' });
    const box = hit.getBoundingClientRect();
    for (let i = 0; i < n; i++) {
      hit.dispatchEvent(new PointerEvent('pointerleave', { pointerId: 1 }));
      await new Promise((r) => setTimeout(r, 0));
      const changed = new Promise<number>((resolve) => {
        const observer = new MutationObserver(() => {
          observer.disconnect();
          document.querySelector('[data-testid="crosshair"]')?.getBoundingClientRect();
          resolve(performance.now());
        });
        observer.observe(document.body, { childList: true, subtree: true, attributes: true, characterData: true });
      });
      const x = box.left + (((i * 7) % 40) + 0.5) / 42 * box.width;
      const t0 = performance.now();
      hit.dispatchEvent(new PointerEvent('pointermove', { pointerId: 1, clientX: x, clientY: box.top + box.height / 2, bubbles: true }));
      const t1 = await changed;
      const t2 = await new Promise<number>((r) => requestAnimationFrame(() => r(performance.now())));
      if (!document.querySelector('[data-testid="crosshair"]')) throw new Error('no crosshair after hover');
      update.push(t1 - t0);
      frame.push(t2 - t0);
    }
    return { update, frame };
  }, count);
}

/** Switching the statistic: from the select's change to the new curves in the DOM, and to the next frame. */
async function timeStatSwitches(page: Page, stats: string[]): Promise<{ update: number[]; frame: number[] }> {
  return page.evaluate(async (list) => {
    const update: number[] = [];
    const frame: number[] = [];
    const select = document.querySelector<HTMLSelectElement>('select[id$="-statistic"]');
    if (!select) throw new Error('no statistic select');
    for (const stat of list) {
      await new Promise((r) => setTimeout(r, 50));
      const changed = new Promise<number>((resolve) => {
        const observer = new MutationObserver(() => {
          observer.disconnect();
          document.querySelector('[data-testid="curve"]')?.getBoundingClientRect();
          resolve(performance.now());
        });
        observer.observe(document.body, { childList: true, subtree: true, attributes: true, characterData: true });
      });
      const t0 = performance.now();
      select.value = stat;
      select.dispatchEvent(new Event('change', { bubbles: true }));
      const t1 = await changed;
      const t2 = await new Promise<number>((r) => requestAnimationFrame(() => r(performance.now())));
      update.push(t1 - t0);
      frame.push(t2 - t0);
    }
    return { update, frame };
  }, stats);
}

async function rafBaseline(page: Page, count: number): Promise<number[]> {
  await page.goto('about:blank');
  return page.evaluate(async (n) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      await new Promise((r) => setTimeout(r, 0));
      const t0 = performance.now();
      await new Promise((r) => requestAnimationFrame(r));
      out.push(performance.now() - t0);
    }
    return out;
  }, count);
}

/**
 * 48 release runs (two models of 32 and 42 layers, base and instruct, two datasets, three
 * settings, correct and irrelevant; 20 samples each), loaded as a folder: hover to the
 * next frame in the layer curves (48 panels) and the overlay (48 lines per panel), and
 * switching the statistic (first time: curves computed; back again: cached).
 */
async function benchRelease(browser: Awaited<ReturnType<typeof launchBrowser>>, url: string, rafMedian: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gradlens-release-'));
  makeReleaseTree(dir, Number(process.env.BENCH_RELEASE_SAMPLES ?? 20));
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.addInitScript(KEEP_NAMES_SHIM);
  const page = await context.newPage();
  try {
    await page.goto(`${url}?run=`);
    await page.locator('[data-testid="app"][data-ready="true"]').waitFor();
    await page.getByLabel('Load a folder of statistics files', { exact: true }).setInputFiles(dir);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="run-item"]').length === 48, null, { timeout: 300_000 });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="panel-figure"]').length === 48, null, { timeout: 120_000 });
    console.log('48 release runs (20 samples each; 32- and 42-layer models):');
    for (const view of ['curves', 'overlay'] as const) {
      await page.getByLabel('View', { exact: true }).selectOption(view);
      await page.locator(`[data-testid="figure"][data-kind="${view}"]`).waitFor();
      const curves = await page.locator('[data-testid="curve"]').count();
      await timeHovers(page, 5);
      const hover = await timeHovers(page, 60);
      console.log(`  hover, ${view} (${curves} curves): to the next frame median ${ms(median(hover.frame))}, p95 ${ms(percentile(hover.frame, 0.95))} (goal p95 < 16 ms); DOM updated p95 ${ms(percentile(hover.update, 0.95))}; ${(median(hover.frame) / rafMedian).toFixed(2)}× an empty page's rAF`);
    }
    await page.getByLabel('View', { exact: true }).selectOption('curves');
    const first = await timeStatSwitches(page, ['S_max', 'frobenius_norm']);
    const again = await timeStatSwitches(page, ['S_sum', 'S_max', 'S_sum', 'S_max', 'S_sum']);
    console.log(`  switch statistic, 48 runs × 4 modules: first time (curves computed) ${first.frame.map(ms).join(', ')}; back to one seen before (cached) median ${ms(median(again.frame))}`);
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the browser benchmarks and prints their figures. */
export async function benchBrowser(): Promise<void> {
  const preview = await startPreview();
  const browser = await launchBrowser();
  try {
    console.log('\n## Browser (headless Chromium, built app)');
    const big = statsFile(Number(process.env.BENCH_SAMPLES ?? 500), 32, 17);
    const name = 'bench_500x32.jsonl';
    const t = performance.now();
    parseRun(name, new Uint8Array(big.buffer, big.byteOffset, big.byteLength));
    const nodeMs = performance.now() - t;

    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.addInitScript(KEEP_NAMES_SHIM);
    const page = await context.newPage();
    page.on('crash', () => console.error('the page crashed'));
    page.on('pageerror', (e) => console.error('page error:', e.message));
    const { firstChart, longestFrame } = await timeFirstChart(page, preview.url, [{ name, bytes: big }]);
    const mb = big.byteLength / 1e6;
    console.log(`first chart, ${mb.toFixed(1)} MB file: ${ms(firstChart)} (${(mb / (firstChart / 1000)).toFixed(1)} MB/s)`);
    console.log(`  longest frame on the page while it loaded (parsing is in a worker): ${ms(longestFrame)}`);
    console.log(`  baseline, core parseRun in Node on the same bytes: ${ms(nodeMs)}; ratio ${(firstChart / nodeMs).toFixed(2)}×`);
    // Six such files chosen together (a release folder): read by the pool of parse workers.
    const six = Array.from({ length: 6 }, (_, i) => ({ name: `bench_500x32_${i + 1}.jsonl`, bytes: statsFile(Number(process.env.BENCH_SAMPLES ?? 500), 32, 40 + i) }));
    const together = await timeFirstChart(page, preview.url, six);
    console.log(`all charted, 6 such files chosen together: ${ms(together.firstChart)}; ratio to 6 × one file ${(together.firstChart / (6 * firstChart)).toFixed(2)}× (parse workers: ${poolSize(await page.evaluate(() => navigator.hardwareConcurrency))})`);
    console.log(`  longest frame meanwhile: ${ms(together.longestFrame)}`);
    await context.close();

    const hoverContext = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await hoverContext.addInitScript(KEEP_NAMES_SHIM);
    const hoverPage = await hoverContext.newPage();
    const names = Array.from({ length: 12 }, (_, i) => `hover_${String(i + 1).padStart(2, '0')}.jsonl`);
    await hoverPage.goto(`${preview.url}?${names.map((n) => `run=${n}`).join('&')}`);
    await hoverPage.locator('[data-testid="app"][data-ready="true"]').waitFor();
    await hoverPage
      .getByLabel(LABEL, { exact: true })
      .setInputFiles(names.map((n, i) => ({ name: n, mimeType: 'application/x-ndjson', buffer: statsFile(20, 42, 100 + i, MODULES_7) })));
    // The module filter shows Q, K, V, O by default: 12 × 4 curves of the 7 modules.
    await hoverPage.waitForFunction(() => document.querySelectorAll('[data-testid="curve"]').length >= 12 * 4, null, { timeout: 120_000 });
    const curves = await hoverPage.locator('[data-testid="curve"]').count();
    await timeHovers(hoverPage, 5); // warm-up
    const hover = await timeHovers(hoverPage, 60);
    const baseline = await rafBaseline(hoverPage, 60);
    const b = median(baseline);
    console.log(`hover, 12 runs × 42 layers × 7 modules (${curves} curves):`);
    console.log(`  crosshair in the DOM and laid out: median ${ms(median(hover.update))}, p95 ${ms(percentile(hover.update, 0.95))} (goal < 16 ms)`);
    console.log(`  to the next frame: median ${ms(median(hover.frame))}, p95 ${ms(percentile(hover.frame, 0.95))}`);
    console.log(`  baseline, empty-page rAF round trip: median ${ms(b)}; ratio ${(median(hover.frame) / b).toFixed(2)}×`);
    await hoverContext.close();
    await benchRelease(browser, preview.url, b);
  } finally {
    await browser.close();
    await preview.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchBrowser().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
