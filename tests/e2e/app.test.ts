/**
 * The views end to end, on the built app in headless Chromium: the demo's curves, one
 * curve per module per run, the MAD table against the core's numbers, sample text shown
 * as text, exports, the Compute live panel. Screenshots of each view go to test-output/e2e/.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRun } from '../../src/core/format/runParser.ts';
import { computeCurve } from '../../src/core/stats/computeCurve.ts';
import { computeMad } from '../../src/core/stats/mad.ts';
import { screenshot, waitForApp } from './harness.ts';
import { curveKeys, FAST, LAYERS, loadFiles, MODULES, realErrors, runId, SLOW, useAppSession } from './session.ts';
import { clickLayer } from './views.ts';

const app = useAppSession();

describe('gradlens views in the browser', () => {
  it('shows the demo’s curves on first open, one per module per run', async () => {
    const { page, errors } = await app.freshPage();
    const runs = await page.locator('[data-testid="run-item"]').count();
    expect(runs).toBeGreaterThanOrEqual(6);
    await page.locator('[data-testid="curve"]').first().waitFor();
    const keys = await curveKeys(page);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(keys.map((k) => k.split('|')[0])).size).toBe(runs);
    await screenshot(page, 'curves-demo');
    for (const view of ['overlay', 'heatmap'] as const) {
      await page.goto(`${app.url()}?view=${view}`);
      await waitForApp(page);
      await page.locator('svg').first().waitFor();
      await screenshot(page, `${view}-demo`);
    }
    expect(realErrors(errors)).toEqual([]);
  });

  it('draws one curve per module per run for files loaded through the labelled input', async () => {
    const { page, errors } = await app.freshPage('?run=');
    expect(await page.locator('[data-testid="run-item"]').count()).toBe(0);
    await loadFiles(page, [SLOW, FAST]);
    const ids = [await runId(page, FAST.name), await runId(page, SLOW.name)];
    await page.locator('[data-testid="curve"]').first().waitFor();
    const keys = (await curveKeys(page)).sort();
    expect(keys).toEqual(ids.flatMap((id) => MODULES.map((m) => `${id}|${m}`)).sort());
    await screenshot(page, 'curves-files');
    expect(realErrors(errors)).toEqual([]);
  });

  it('shows the MAD table with the core’s numbers', async () => {
    const { page } = await app.freshPage('?run=');
    await loadFiles(page, [FAST, SLOW]);
    const table = page.locator('table', { has: page.locator('caption', { hasText: 'MAD' }) }).first();
    await table.waitFor();
    await table.scrollIntoViewIfNeeded();
    await screenshot(page, 'tables');
    for (const f of [FAST, SLOW]) {
      const id = await runId(page, f.name);
      const run = parseRun(f.name, new TextEncoder().encode(f.text));
      for (const module of MODULES) {
        const mad = computeMad(computeCurve(run, module, 'S_sum'));
        for (const part of ['early', 'middle', 'late', 'all'] as const) {
          const cell = table.locator(`[data-run="${id}"][data-module="${module}"][data-part="${part}"]`);
          const text = await cell.getAttribute('data-value');
          expect(text, `${f.name} ${module} ${part}`).not.toBeNull();
          if (Number.isNaN(mad[part])) expect(Number(text), `${f.name} ${module} ${part}`).toBeNaN();
          else expect(Number(text), `${f.name} ${module} ${part}`).toBeCloseTo(mad[part], 12);
        }
      }
    }
  });

  it('shows a sample’s instruction and output as literal text in the drill-down', async () => {
    const { page, errors } = await app.freshPage('?run=');
    await loadFiles(page, [FAST]);
    await clickLayer(page, 3, LAYERS);
    await page.locator('[data-testid="sample-item"]').first().click();
    const instruction = page.locator('[data-testid="sample-instruction"]');
    await instruction.waitFor();
    expect(await instruction.textContent()).toContain('<b>bold');
    expect(await instruction.textContent()).toContain('<img src=x onerror=alert(1)>');
    expect(await instruction.locator('b, img').count()).toBe(0);
    expect(await page.locator('[data-testid="sample-output"]').textContent()).toContain('<i>answer</i>');
    await screenshot(page, 'drill-down');
    expect(realErrors(errors)).toEqual([]);
  });

  it('exports the figure as SVG and its numbers as CSV', async () => {
    const { page } = await app.freshPage('?run=');
    await loadFiles(page, [FAST]);
    await page.locator('[data-testid="curve"]').first().waitFor();

    const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export SVG' }).first().click()]);
    expect(svgDownload.suggestedFilename()).toMatch(/\.svg$/);
    const svg = readFileSync(await svgDownload.path(), 'utf8');
    expect(svg).toMatch(/<svg[\s>]/);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect((svg.match(/<path/g) ?? []).length).toBeGreaterThanOrEqual(MODULES.length);

    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).first().click()]);
    expect(csvDownload.suggestedFilename()).toMatch(/\.csv$/);
    const csv = readFileSync(await csvDownload.path(), 'utf8').trim().split(/\r?\n/);
    expect(csv.length).toBeGreaterThan(1);
    expect(csv.slice(1).some((row) => /\d/.test(row))).toBe(true);
  });

  it('opens the Compute live section on demand', async () => {
    const { page, errors } = await app.freshPage('?run=');
    await page.getByRole('button', { name: 'Compute live', exact: true }).click();
    await page.getByRole('button', { name: 'Compute', exact: true }).waitFor({ timeout: 30_000 });
    await screenshot(page, 'compute-live');
    // On a phone the form stacks, nothing scrolls sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(100);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
    await screenshot(page, 'compute-live-390');
    expect(realErrors(errors)).toEqual([]);
  });

  it('computes statistics live on a shipped model in the worker, and shows the new run with finite MADs', async () => {
    const { page, errors } = await app.freshPage('?run=');
    await page.getByRole('button', { name: 'Compute live', exact: true }).click();
    await page.getByRole('button', { name: 'Compute', exact: true }).waitFor({ timeout: 30_000 });
    await page.getByLabel('Samples').fill('2');
    await page.getByRole('region', { name: 'Compute gradient statistics' }).locator('label', { hasText: 'Response' }).locator('select').selectOption('none');
    await page.getByRole('button', { name: 'Compute', exact: true }).click();
    // The backend trial ran (webgpu, webgl, wasm, cpu measured or skipped) and one was chosen.
    await page.locator('[data-testid="active-backend"]').waitFor({ timeout: 120_000 });
    const backendNote = (await page.locator('[data-testid="active-backend"]').textContent()) ?? '';
    expect(backendNote).toMatch(/using (webgpu|webgl|wasm|cpu)/);
    // Without a usable GPU (headless Chromium here: no WebGPU adapter) the panel says why webgpu was not used.
    if (!backendNote.startsWith('using webgpu')) expect(backendNote).toMatch(/webgpu: .*(adapter|WebGPU)/);
    // Records stream into a run: its curves appear, one per attention module of the 6-layer model.
    await page.locator('[data-testid="run-item"]').first().waitFor({ timeout: 120_000 });
    await page.getByRole('button', { name: 'Compute', exact: true }).and(page.locator(':not([disabled])')).waitFor({ timeout: 180_000 });
    const keys = await curveKeys(page);
    expect(keys.length).toBe(4);
    expect(await page.locator('[data-testid="run-item"]').first().textContent()).toContain('2 samples');
    // On wasm with a second core, the compute worker shared the samples with a sample worker of its own.
    if (backendNote.startsWith('using wasm') && (await page.evaluate(() => navigator.hardwareConcurrency)) > 1) {
      expect(page.workers().map((w) => w.url()).some((url) => url.includes('sample.worker'))).toBe(true);
    }
    // Real statistics, not NaN rows: every module's MAD over the 6 layers is a finite positive number.
    const mads = await page.locator('td[data-part="all"]').evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-value'))));
    expect(mads.length).toBe(4);
    for (const mad of mads) expect(Number.isFinite(mad) && mad > 0, `MAD ${mad}`).toBe(true);
    await screenshot(page, 'compute-live-run');
    expect(realErrors(errors)).toEqual([]);
  });
});
