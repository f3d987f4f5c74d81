/**
 * What the views' end-to-end tests share: a generated 48-run release tree, loading it
 * through the folder input, choosing a view, clicking a layer of a panel, axe-core runs,
 * and the horizontal-scroll check.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { makeReleaseTree } from '../../scripts/makeReleaseTree.ts';
import { waitForApp } from './harness.ts';

/** Writes the release tree once per test file; returns its folder and relative paths. */
export function releaseTree(samples = 3): { dir: string; files: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'gradlens-release-'));
  return { dir, files: makeReleaseTree(dir, samples) };
}

/** Loads a whole folder through the labelled folder input and waits until every file is a run. */
export async function loadFolder(page: Page, dir: string): Promise<void> {
  await page.getByLabel('Load a folder of statistics files', { exact: true }).setInputFiles(dir);
  await waitForApp(page);
}

/** Chooses a view in the toolbar and waits for its figure. */
export async function showView(page: Page, view: 'curves' | 'overlay' | 'heatmap' | 'study'): Promise<void> {
  await page.getByLabel('View', { exact: true }).selectOption(view);
  // 48 runs' heatmaps or panels take a while to draw on a loaded machine.
  await page.locator(`[data-testid="figure"][data-kind="${view}"]`).waitFor({ timeout: 90_000 });
  // The figure's panels follow once it has measured its width.
  await page.locator(`[data-testid="figure"][data-kind="${view}"] [data-testid="panel-figure"]`).first().waitFor({ timeout: 90_000 });
}

/** Clicks layer `layer` of the first plot (on the layer axis, unzoomed) whose run has `layerCount` layers. */
export async function clickLayer(page: Page, layer: number, layerCount: number, nth = 0): Promise<void> {
  const hit = page.locator('[data-testid="plot-hit"]').nth(nth);
  await hit.scrollIntoViewIfNeeded();
  // Panels are drawn only near the viewport: one that comes into view with the scroll is
  // drawn a frame or two later, so wait until the plot stays put before clicking where it is.
  let box = await hit.boundingBox();
  for (let i = 0; i < 20; i++) {
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const next = await hit.boundingBox();
    if (box && next && next.x === box.x && next.y === box.y && next.height === box.height) break;
    box = next;
  }
  if (!box) throw new Error('no plot to click');
  await page.mouse.click(box.x + ((layer + 0.5) / layerCount) * box.width, box.y + box.height / 2);
}

/** Page width beyond the viewport (0 when nothing scrolls sideways). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

const require = createRequire(import.meta.url);

/** axe-core's serious and critical violations on the page, as "id: target" lines. */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the protocol: the app's CSP refuses inline scripts, so addScriptTag cannot inject it.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.slice(0, 5).map((n) => `${v.id}: ${n.target.join(' ')}`));
}
