/**
 * What the end-to-end tests share: one `vite preview` and one Chromium per test file,
 * a fresh context (fresh storage) per test, small fixture files, and DOM queries by the
 * test ids the views and the shell agree on.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { statsLine } from '../lib/state/statsLines.ts';
import { launchBrowser, newTestPage, startPreview, waitForApp, type Preview, type TestPage } from './harness.ts';

/** Accessible name of the file input. */
export const LABEL = 'Load gradient statistics';
export const LAYERS = 8;
export const MODULES = ['self_attn.q_proj', 'self_attn.k_proj', 'self_attn.v_proj', 'self_attn.o_proj'];

/** A fixture file's name and text. */
export interface Fixture {
  name: string;
  text: string;
}

/** A small fixture file; every instruction holds markup that must show as text. */
export function fixture(name: string, samples: number, shift: number): Fixture {
  const lines = Array.from({ length: samples }, (_, i) =>
    statsLine(i + shift, LAYERS, { instruction: `<b>bold ${i}</b> & <img src=x onerror=alert(1)>`, output: `<i>answer</i> ${i}` }),
  );
  return { name, text: lines.join('\n') + '\n' };
}

export const FAST = fixture('grads_fixture_no_cot.jsonl', 5, 3);
export const SLOW = fixture('grads_fixture_with_cot_gpt4o.jsonl', 4, 0);

/** The served app of a test file. */
export interface AppSession {
  /** Base URL of the preview (ends with `/`). */
  url(): string;
  /** A page in a fresh context, opened at `url() + query`, once the app is ready. */
  freshPage(query?: string): Promise<TestPage>;
}

/** Starts the preview and the browser before the file's tests and stops them after. */
export function useAppSession(): AppSession {
  let preview: Preview;
  let browser: Browser;
  const open: TestPage[] = [];
  beforeAll(async () => {
    [preview, browser] = await Promise.all([startPreview(), launchBrowser()]);
  });
  afterAll(async () => {
    for (const t of open) await t.context.close().catch(() => undefined);
    await browser?.close();
    await preview?.stop();
  });
  return {
    url: () => preview.url,
    async freshPage(query = '') {
      const t = await newTestPage(browser);
      open.push(t);
      await t.page.goto(preview.url + query);
      await waitForApp(t.page);
      return t;
    },
  };
}

/** Loads files through the labelled input and waits until they are runs. */
export async function loadFiles(page: Page, files: Fixture[]): Promise<void> {
  await page.getByLabel(LABEL, { exact: true }).setInputFiles(
    files.map((f) => ({ name: f.name, mimeType: 'application/x-ndjson', buffer: Buffer.from(f.text) })),
  );
  await waitForApp(page);
}

/** The id of the run loaded from `ref`, read from the run list. */
export async function runId(page: Page, ref: string): Promise<string> {
  const id = await page.locator(`[data-testid="run-item"][data-ref="${ref}"]`).getAttribute('data-run');
  if (!id) throw new Error(`no run for ${ref}`);
  return id;
}

/**
 * `data-run|data-module` of the elements with test id `testId` in each panel of the page's
 * figure, by panel. Panels are drawn only near the viewport, so each is scrolled to in
 * turn and read once its drawing has replaced its placeholder.
 */
export async function panelLines(page: Page, testId = 'curve'): Promise<string[][]> {
  const panels = page.locator('[data-testid="panel-figure"]');
  const out: string[][] = [];
  for (let i = 0, n = await panels.count(); i < n; i++) {
    const panel = panels.nth(i);
    await panel.scrollIntoViewIfNeeded();
    await panel.locator('[data-testid="panel-placeholder"]').waitFor({ state: 'detached' });
    out.push(await panel.locator(`[data-testid="${testId}"]`).evaluateAll((els) => els.map((e) => `${e.getAttribute('data-run')}|${e.getAttribute('data-module')}`)));
  }
  return out;
}

/** `run|module` of every curve of every panel (each panel scrolled into view to be drawn). */
export async function curveKeys(page: Page): Promise<string[]> {
  return (await panelLines(page)).flat();
}

/** Page errors other than the browser's own favicon request. */
export const realErrors = (errors: string[]) => errors.filter((e) => !/favicon/i.test(e));
