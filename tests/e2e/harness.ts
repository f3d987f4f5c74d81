/**
 * End-to-end harness: serves the built app with `vite preview` on 127.0.0.1 (a free
 * port), launches headless Chromium through playwright-core, and gives each test a
 * fresh browser context. Screenshots go to `test-output/e2e/`.
 *
 * Chromium comes from the `@sparticuz/chromium` package (so `npm install && npm test`
 * needs nothing else); Debian's /usr/bin/chromium is the fallback.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Repository root (tests run from it). */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Where screenshots and other artifacts go (gitignored). */
export const OUTPUT_DIR = resolve(ROOT, 'test-output/e2e');

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => ok(port));
    });
  });
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const start = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`vite preview exited with code ${child.exitCode}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() - start > timeoutMs) throw new Error(`vite preview did not answer at ${url} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** A running `vite preview` of dist/. */
export interface Preview {
  url: string;
  stop(): Promise<void>;
}

/** Serves dist/ (building it first when missing) and resolves once it answers. */
export async function startPreview(): Promise<Preview> {
  if (!existsSync(resolve(ROOT, 'dist/index.html'))) {
    const build = spawnSync(resolve(ROOT, 'node_modules/.bin/vite'), ['build'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('vite build failed');
  }
  const port = await freePort();
  // Started through node_modules/.bin/vite, so the process stopped below is the server itself.
  // (vite is pinned to 8.3.x, which has no preview lock, so no --bypass-lock.)
  const child = spawn(
    resolve(ROOT, 'node_modules/.bin/vite'),
    ['preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stdout?.on('data', (d) => (log += String(d)));
  child.stderr?.on('data', (d) => (log += String(d)));
  const url = `http://127.0.0.1:${port}/`;
  try {
    await waitForHttp(url, child, 30_000);
  } catch (error) {
    child.kill('SIGTERM');
    throw new Error(`${(error as Error).message}\n${log}`);
  }
  return {
    url,
    stop: () =>
      new Promise<void>((ok) => {
        if (child.exitCode !== null) return ok();
        child.once('exit', () => ok());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}

const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** Launches headless Chromium: the packaged one, else Debian's. */
export async function launchBrowser(): Promise<Browser> {
  try {
    const packaged = (await import('@sparticuz/chromium')).default;
    const executablePath = await packaged.executablePath();
    // `--single-process` (meant for AWS Lambda) makes every context share one storage
    // partition, so IndexedDB would leak from test to test; measured here: without it,
    // contexts are isolated and workers still run.
    const args = packaged.args.filter((a) => a !== '--single-process');
    return await chromium.launch({ executablePath, args, headless: true });
  } catch (error) {
    if (!existsSync(DEBIAN_CHROMIUM)) throw error;
    return chromium.launch({
      executablePath: DEBIAN_CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }
}

/** One test's page in its own context (fresh storage), with page errors collected. */
export interface TestPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors and console errors seen on the page. */
  errors: string[];
}

/** A fresh context and page; uncaught page errors are recorded for the test to check. */
export async function newTestPage(browser: Browser): Promise<TestPage> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return { context, page, errors };
}

/**
 * Saves a full-page screenshot as `test-output/e2e/<name>.png`, once the page has drawn
 * two frames. The page draws figure panels only near the viewport, and every panel in
 * print: the capture is taken with print media emulated, so every panel shows. (Tables
 * off screen are left unrendered by the page, content-visibility: auto, and show blank
 * below a figure; the tables' own screenshots scroll to them.)
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const path = resolve(OUTPUT_DIR, `${name}.png`);
  await page.emulateMedia({ media: 'print' });
  try {
    await page.waitForFunction(() => !document.querySelector('[data-testid="panel-placeholder"]'), null, { timeout: 120_000 });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    // A 48-run page at 390 px is ~20,000 px tall: capturing it takes long on a loaded machine.
    await page.screenshot({ path, fullPage: true, timeout: 120_000 });
  } finally {
    await page.emulateMedia({ media: null });
  }
  return path;
}

/** Waits until the app has restored, loaded and saved everything it was asked to. */
export async function waitForApp(page: Page): Promise<void> {
  await page.locator('[data-testid="app"][data-ready="true"]').waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="load-job"], [data-testid="load-waiting"]').length === 0, null, { timeout: 60_000 });
}

/** Waits until every write to IndexedDB has finished (so a reload sees it). */
export async function waitForSaved(page: Page): Promise<void> {
  await page.locator('[data-testid="app"][data-saved="true"]').waitFor({ timeout: 30_000 });
}
