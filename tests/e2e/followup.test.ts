/**
 * The follow-up study's views in Chromium, on a generated follow-up-format tree
 * (scripts/makeFollowupTree.ts: 4 runs, 12 layers, S_list and the cosine blocks): the
 * spectrum and the cosine heatmaps show, their numbers are the file's, and the
 * adjacent-layer cosine curve of the curves view is the mean of the files'
 * cosine_sim matrix[i][i+1]. Screenshots at 1440×900 and 390×844 go to test-output/e2e/.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { makeFollowupTree } from '../../scripts/makeFollowupTree.ts';
import { parsePythonJson } from '../../src/core/format/jsonl.ts';
import { screenshot } from './harness.ts';
import { realErrors, useAppSession } from './session.ts';
import { horizontalOverflow, loadFolder } from './views.ts';

const app = useAppSession();
const dir = mkdtempSync(join(tmpdir(), 'gradlens-followup-'));
const LAYERS = 12;
const SAMPLES = 16;
const files = makeFollowupTree(dir, SAMPLES, LAYERS);

type Line = Record<string, unknown> & { cosine_sim: Record<string, { matrix: number[][] }> };
const records = files.map((f) =>
  readFileSync(join(dir, f), 'utf8')
    .trim()
    .split('\n')
    .map((l) => parsePythonJson(l) as Line),
);
/** Per file, the mean over samples of cosine_sim.q_proj.matrix[i][j], in file order (the curve's summation order). */
const meanCell = (lines: Line[], i: number, j: number) => lines.reduce((s, r) => s + r.cosine_sim.q_proj.matrix[i][j], 0) / lines.length;
const adjacent = records.map((lines) => Array.from({ length: LAYERS - 1 }, (_, i) => meanCell(lines, i, i + 1)));

/** Chooses a view and waits for its figure's first panel (panels are laid out once the width is measured). */
async function show(page: Page, view: 'spectrum' | 'cosine' | 'curves', kind: string): Promise<void> {
  await page.getByLabel('View', { exact: true }).selectOption(view);
  await page.locator(`[data-testid="figure"][data-kind="${kind}"] [data-testid="panel-figure"] svg`).first().waitFor();
}

async function csvRows(page: Page): Promise<Record<string, string>[]> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).first().click()]);
  const [head, ...rows] = readFileSync(await download.path(), 'utf8').trim().split(/\r?\n/);
  const keys = head.split(',');
  // No cell here holds a comma inside quotes except run labels, which come first or are not read.
  return rows.map((r) => {
    const cells = r.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, '').replace(/^"|"$/g, ''));
    return Object.fromEntries(keys.map((k, i) => [k, cells[i]]));
  });
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 1440, height: 900 });
  await screenshot(page, `${name}-1440`);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  expect(await horizontalOverflow(page), name).toBe(0);
  await screenshot(page, `${name}-390`);
  await page.setViewportSize({ width: 1400, height: 900 });
}

describe("a follow-up-format tree in the browser", () => {
  it('shows the singular-value spectrum of a layer, runs overlaid, with the file’s mean σ₁, and the layers × rank heatmap', async () => {
    const { page, errors } = await app.freshPage('?run=');
    await loadFolder(page, dir);
    await show(page, 'spectrum', 'spectrum');
    expect(await page.locator('[data-testid="spectrum-line"]').count()).toBe(4);
    const rows = (await csvRows(page)).filter((r) => r.module === 'self_attn.q_proj' && r.rank === '1');
    expect(rows).toHaveLength(4);
    // σ₁ of q_proj at layer 0, mean over samples; S_list is kept as float32.
    const expected = records.map((lines) => lines.reduce((s, r) => s + (r['model.layers.0.self_attn.q_proj.weight'] as { S_list: number[] }).S_list[0], 0) / lines.length);
    for (const r of rows) expect(expected.some((e) => Math.abs(Number(r.mean) - e) <= 1e-6 * e), r.run).toBe(true);
    await shoot(page, 'followup-spectrum');
    await page.getByLabel('Values', { exact: true }).selectOption('normalised');
    await page.getByLabel('Show', { exact: true }).selectOption('heatmap');
    await page.locator('[data-testid="figure"][data-kind="spectrum-grid"] [data-testid="matrix-heatmap"]').first().waitFor();
    expect(await page.locator('[data-testid="matrix-heatmap"]').count()).toBe(4);
    expect(await page.locator('[data-testid="matrix-heatmap"]').first().locator('[data-testid="matrix-cell"]').count()).toBe(LAYERS * 16);
    await shoot(page, 'followup-spectrum-grid');
    expect(realErrors(errors)).toEqual([]);
  });

  it("shows each run's layers × layers cosine heatmap, symmetric with a unit diagonal, equal to the file's means, and their differences", async () => {
    const { page, errors } = await app.freshPage('?run=');
    await loadFolder(page, dir);
    await show(page, 'cosine', 'cosine');
    expect(await page.locator('[data-testid="matrix-heatmap"]').count()).toBe(4);
    expect(await page.locator('[data-testid="matrix-cell"]').count()).toBe(4 * LAYERS * LAYERS);
    const rows = await csvRows(page);
    const panels = [...new Set(rows.map((r) => r.panel))];
    expect(panels).toHaveLength(4);
    for (const panel of panels) {
      const cell = (i: number, j: number) => Number(rows.find((r) => r.panel === panel && r.layer_i === String(i) && r.layer_j === String(j))!.value);
      for (let i = 0; i < LAYERS; i++) {
        expect(Math.abs(cell(i, i) - 1)).toBeLessThan(1e-8);
        for (let j = 0; j < i; j++) expect(cell(i, j)).toBe(cell(j, i));
      }
      // Which file this panel is: the one whose adjacent means it matches.
      const mine = adjacent.filter((a) => a.every((x, i) => Math.abs(cell(i, i + 1) - x) <= 1e-12));
      expect(mine, panel).toHaveLength(1);
    }
    // The diverging colours: a positive cell is red-ish, the colour bar is centred on 0.
    const fill = await page.locator('[data-testid="matrix-cell"][data-row="0"][data-column="1"]').first().getAttribute('fill');
    expect(fill).toMatch(/^rgb\((\d+), (\d+), (\d+)\)$/);
    const [r, , b] = fill!.match(/\d+/g)!.map(Number);
    expect(r).toBeGreaterThan(b);
    await shoot(page, 'followup-cosine');

    await page.getByLabel('Show', { exact: true }).selectOption('difference');
    await page.getByLabel('Reference run', { exact: true }).waitFor();
    await expect.poll(() => page.locator('[data-testid="matrix-heatmap"]').count()).toBe(3);
    const diff = await csvRows(page);
    // A run minus the reference: the diagonal is 1 − 1 (to the 1e-9 guard).
    for (const r of diff.filter((x) => x.layer_i === x.layer_j)) expect(Math.abs(Number(r.value))).toBeLessThan(1e-8);
    await shoot(page, 'followup-cosine-difference');
    expect(realErrors(errors)).toEqual([]);
  });

  it('draws the maps of a 42-layer tree as one image each, and reads a hovered cell out', async () => {
    const deep = mkdtempSync(join(tmpdir(), 'gradlens-followup42-'));
    makeFollowupTree(deep, 8, 42);
    const { page, errors } = await app.freshPage('?run=');
    await loadFolder(page, deep);
    const t0 = Date.now();
    await show(page, 'cosine', 'cosine');
    await page.locator('[data-testid="matrix-image"]').first().waitFor();
    console.log(`cosine maps of 4 runs × 42 × 42 layers drawn in ${Date.now() - t0} ms (view chosen → images shown)`);
    expect(await page.locator('[data-testid="matrix-image"]').count()).toBe(4);
    expect(await page.locator('[data-testid="matrix-cell"]').count()).toBe(0);
    expect(await page.locator('[data-testid="matrix-image"]').first().getAttribute('data-rows')).toBe('42');
    // Hover the cell (row 0, column 1) of the first map: the readout names it and its samples.
    const box = (await page.locator('[data-testid="matrix-heatmap"] rect[role="presentation"]').first().boundingBox())!;
    await page.mouse.move(box.x + (1.5 / 42) * box.width, box.y + (0.5 / 42) * box.height);
    await expect.poll(() => page.locator('[data-testid="cosine-readout"]').first().textContent()).toMatch(/layer 0 × layer 1: [-\d.e]+\s+\(8 samples\)/);
    await shoot(page, 'followup-cosine-42');
    expect(realErrors(errors)).toEqual([]);
  });

  it("draws the adjacent-layer cosine as a layer curve equal to the files' matrix[i][i+1] means", async () => {
    const { page, errors } = await app.freshPage('?run=');
    await loadFolder(page, dir);
    await show(page, 'curves', 'curves');
    await page.getByLabel('Statistic', { exact: true }).selectOption('cosine_sim_adjacent');
    await page.locator('[data-testid="curve"]').first().waitFor();
    const rows = (await csvRows(page)).filter((r) => r.module === 'self_attn.q_proj');
    const byRun = new Map<string, number[]>();
    for (const r of rows) {
      const values = byRun.get(r.run) ?? [];
      values[Number(r.layer)] = r.value === '' ? NaN : Number(r.value);
      byRun.set(r.run, values);
    }
    expect(byRun.size).toBe(4);
    for (const [run, values] of byRun) {
      // L − 1 adjacent pairs; the last layer has none.
      expect(values[LAYERS - 1], run).toBeNaN();
      const mine = adjacent.filter((a) => a.every((x, i) => Math.abs(values[i] - x) <= 1e-12));
      expect(mine, run).toHaveLength(1);
    }
    // The same-layer cosines are a statistic of their own pair modules.
    await page.getByLabel('Statistic', { exact: true }).selectOption('cosine_sim_qkvo');
    await page.locator('[data-testid="curve"][data-module="self_attn.q_proj_x_o_proj"]').first().waitFor();
    await shoot(page, 'followup-adjacent-curve');
    expect(realErrors(errors)).toEqual([]);
  });

  it('computes a shipped model live in the follow-up format and shows its spectrum and cosine maps', async () => {
    const { page, errors } = await app.freshPage('?run=');
    await page.getByRole('button', { name: 'Compute live', exact: true }).click();
    await page.getByRole('button', { name: 'Compute', exact: true }).waitFor({ timeout: 30_000 });
    await page.getByLabel('Samples').fill('2');
    await page.getByLabel('Follow-up format (spectra, cosine maps)').check();
    await page.getByRole('button', { name: 'Compute', exact: true }).click();
    await page.locator('[data-testid="run-item"]').first().waitFor({ timeout: 120_000 });
    await page.getByRole('button', { name: 'Compute', exact: true }).and(page.locator(':not([disabled])')).waitFor({ timeout: 180_000 });
    await show(page, 'cosine', 'cosine');
    // The shipped model has 6 layers: one 6 × 6 map, symmetric with a unit diagonal.
    expect(await page.locator('[data-testid="matrix-cell"]').count()).toBe(36);
    const rows = await csvRows(page);
    const cell = (i: number, j: number) => Number(rows.find((r) => r.layer_i === String(i) && r.layer_j === String(j))!.value);
    for (let i = 0; i < 6; i++) {
      expect(Math.abs(cell(i, i) - 1)).toBeLessThan(1e-6);
      for (let j = 0; j < i; j++) expect(cell(i, j)).toBe(cell(j, i));
    }
    expect(Math.abs(cell(0, 1))).toBeLessThan(1);
    await show(page, 'spectrum', 'spectrum');
    expect(await page.locator('[data-testid="spectrum-line"]').count()).toBe(1);
    await screenshot(page, 'followup-live-spectrum');
    expect(realErrors(errors)).toEqual([]);
  });
});
