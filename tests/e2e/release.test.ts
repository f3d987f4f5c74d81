/**
 * The views at release scale, in Chromium: a generated 48-run tree (two models of 32 and
 * 42 layers, base and instruct, two datasets, three settings, correct and irrelevant)
 * loaded as a folder. Facets hide runs from every figure, every visible run has its own
 * colour and dash, nothing scrolls sideways on a phone, axe-core finds no serious
 * violation, the MAD LaTeX compiles, and a link restores the whole view. Screenshots of
 * every view at 1440×900 and 390×844 go to test-output/e2e/.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { screenshot, waitForApp } from './harness.ts';
import { panelLines, realErrors, useAppSession } from './session.ts';
import { axeViolations, clickLayer, horizontalOverflow, loadFolder, releaseTree, showView } from './views.ts';

const app = useAppSession();
const tree = releaseTree();
const VIEWS = ['curves', 'overlay', 'heatmap', 'study'] as const;

/** Run ids by the refs' setting, read from the run list. */
async function runIdsWhere(page: import('playwright-core').Page, match: (ref: string) => boolean): Promise<string[]> {
  const items = await page.locator('[data-testid="run-item"]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-ref') ?? '', e.getAttribute('data-run') ?? '']));
  return items.filter(([ref]) => match(ref)).map(([, id]) => id);
}

/** Downloads a table's LaTeX export by its button's name. */
async function latexExport(page: import('playwright-core').Page, name: string): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: `Export LaTeX: ${name}` }).click()]);
  return readFileSync(await download.path(), 'utf8');
}

/**
 * Compiles a table with pdflatex inside the article class with booktabs and graphicx and
 * expects no error and no overfull box; fails under CI when pdflatex is missing, returns
 * quietly on a developer machine without TeX.
 */
function expectCompiles(table: string, name: string): void {
  expect(/[^\x00-\x7f]/.test(table), `${name}: non-ASCII`).toBe(false);
  const have = spawnSync('pdflatex', ['--version']).status === 0;
  if (!have && process.env.CI) throw new Error('pdflatex is missing under CI: .ci/run installs texlive-latex-base and texlive-latex-recommended');
  if (!have) return; // a developer machine without TeX: the CI run is the one that must compile it
  const dir = mkdtempSync(join(tmpdir(), 'gradlens-tex-'));
  writeFileSync(join(dir, 'table.tex'), `\\documentclass{article}\n\\usepackage{booktabs,graphicx}\n\\begin{document}\n${table}\\end{document}\n`);
  const run = spawnSync('pdflatex', ['-interaction=nonstopmode', '-halt-on-error', 'table.tex'], { cwd: dir, encoding: 'utf8' });
  const log = readFileSync(join(dir, 'table.log'), 'utf8');
  expect(run.status, `${name}: ${log.slice(-2000)}`).toBe(0);
  expect(log, name).not.toMatch(/Overfull \\hbox/);
}

describe('48 release runs in the browser', () => {
  it('hides the demo when the folder loads, and brings it back in one click', async () => {
    const { page, errors } = await app.freshPage();
    const demo = await page.locator('[data-testid="run-item"]').count();
    expect(demo).toBeGreaterThan(0);
    await loadFolder(page, tree.dir);
    // The list shows the 48 loaded runs; the demo's are hidden from it and from every figure.
    await page.getByRole('button', { name: 'Show the demo runs' }).waitFor();
    expect(await page.locator('[data-testid="run-item"]').count()).toBe(48);
    expect(await page.getByRole('group', { name: 'Source' }).getByRole('checkbox', { name: 'demo' }).isChecked()).toBe(false);
    await page.getByRole('button', { name: 'Show the demo runs' }).click();
    expect(await page.locator('[data-testid="run-item"]').count()).toBe(48 + demo);
    expect(realErrors(errors)).toEqual([]);
  });

  it('unchecking "None CoT" under "Setting" removes every None CoT panel and line from every view', async () => {
    const { page, errors } = await app.freshPage('?run=');
    await loadFolder(page, tree.dir);
    const none = new Set(await runIdsWhere(page, (ref) => ref.includes('_no_cot')));
    expect(none.size).toBe(16);
    const setting = page.getByRole('group', { name: 'Setting' });
    await setting.getByRole('checkbox', { name: 'None CoT' }).uncheck();
    for (const view of VIEWS) {
      await showView(page, view);
      const panels = await page.locator('[data-testid="panel-figure"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-key')));
      // Panels far from the viewport wait undrawn (32 runs' panels do not fit a screen); each
      // is drawn, with lines, once scrolled near it.
      if (view === 'curves') expect(await page.locator('[data-testid="panel-placeholder"]').count(), view).toBeGreaterThan(0);
      const perPanel = await panelLines(page, view === 'heatmap' ? 'heatmap-cell' : 'curve');
      // (The study's grid may hold a cell with nothing loaded.)
      if (view !== 'study') expect(perPanel.filter((l) => l.length === 0).length, view).toBe(0);
      const lines = [...new Set(perPanel.flat().map((k) => k.split('|')[0]))];
      expect(panels.length, view).toBeGreaterThan(0);
      expect(lines.length, view).toBeGreaterThan(0);
      expect(panels.filter((k) => none.has(k ?? '')), view).toEqual([]);
      expect(lines.filter((k) => none.has(k ?? '')), view).toEqual([]);
      expect(await page.getByRole('columnheader', { name: 'None CoT' }).count(), view).toBe(0);
    }
    // The tables too: no MAD row of a None CoT run.
    const madRuns = await page.locator('[data-testid="mad-table"] td[data-run]').evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('data-run')))]);
    expect(madRuns.length).toBe(32);
    expect(madRuns.filter((k) => none.has(k ?? ''))).toEqual([]);
    // "only" and "all": only irrelevant leaves 16 runs, all brings the 32 back.
    await page.getByRole('group', { name: 'Correctness' }).getByRole('button', { name: 'Only irrelevant' }).click();
    expect(await page.locator('[data-testid="run-item"]').count()).toBe(16);
    await page.getByRole('group', { name: 'Correctness' }).getByRole('button', { name: 'All Correctness' }).click();
    expect(await page.locator('[data-testid="run-item"]').count()).toBe(32);
    expect(realErrors(errors)).toEqual([]);
  });

  it('gives every visible run its own colour and dash in the overlay, and the text filter narrows the plots', async () => {
    const { page } = await app.freshPage('?run=&view=overlay');
    await loadFolder(page, tree.dir);
    await page.locator('[data-testid="figure"][data-kind="overlay"]').waitFor();
    const styles = await page
      .locator('[data-testid="panel-figure"]')
      .first()
      .locator('[data-testid="curve"]')
      .evaluateAll((els) => els.map((e) => [e.getAttribute('data-run'), `${e.getAttribute('data-color')}|${e.getAttribute('data-dash')}`]));
    expect(new Set(styles.map(([run]) => run)).size).toBe(48);
    expect(new Set(styles.map(([, style]) => style)).size).toBe(48);
    // Irrelevant runs are dashed, correct ones solid (the default encoding).
    const irrelevant = new Set(await runIdsWhere(page, (ref) => ref.includes('wrong_answer_shuffle')));
    for (const [run, style] of styles) expect((style ?? '').endsWith('|'), `${run}`).toBe(!irrelevant.has(run ?? ''));
    await page.getByLabel('Filter runs', { exact: true }).fill('gemma aqua detailed');
    await page.waitForFunction(() => new Set([...document.querySelectorAll('[data-testid="curve"]')].map((e) => e.getAttribute('data-run'))).size === 4);

    // How sure is a difference (resampled in a worker): the difference strip shows each
    // run's 95% interval against the reference as a band, with real coordinates.
    await page.getByLabel('Strip', { exact: true }).selectOption('difference');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="strip-band"]').length === 3 * 4, null, { timeout: 90_000 });
    const bands = await page.locator('[data-testid="strip-band"]').evaluateAll((els) => els.map((e) => e.getAttribute('d') ?? ''));
    expect(bands.length).toBe(3 * 4); // 3 runs against the reference × Q, K, V, O
    for (const d of bands) expect(d).toMatch(/^M-?[\d.]+,-?[\d.]+L/);
    for (const d of bands) expect(d).not.toMatch(/NaN/);
    // The tables (resampled once they come into view): each pair's interval and p beside
    // the relative difference and the MAD difference.
    await page.locator('[data-testid="mad-table"]').scrollIntoViewIfNeeded();
    const finite = (cells: (string | null)[][]) => cells.every(([lo, hi, p]) => Number(lo) <= Number(hi) && Number(p) > 0 && Number(p) <= 1);
    await page.locator('[data-testid="rd-interval"]').first().waitFor({ timeout: 60_000 });
    const rd = await page.locator('[data-testid="rd-interval"]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-lo'), e.getAttribute('data-hi'), e.getAttribute('data-p')]));
    expect(rd.length).toBeGreaterThanOrEqual(4);
    expect(finite(rd), JSON.stringify(rd)).toBe(true);
    await page.locator('[data-testid="mad-diff"]').first().waitFor({ timeout: 60_000 });
    const mad = await page.locator('[data-testid="mad-diff"]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-lo'), e.getAttribute('data-hi'), e.getAttribute('data-p')]));
    expect(mad.length).toBeGreaterThanOrEqual(4);
    expect(finite(mad), JSON.stringify(mad)).toBe(true);
    expect(await page.getByRole('columnheader', { name: 'Against' }).count()).toBeGreaterThan(0);
    // Their LaTeX exports carry the interval and p, and compile like the MAD table's.
    for (const name of ['Relative difference table', 'MAD differences']) {
      const table = await latexExport(page, name);
      expect(table, name).toMatch(/\blo\b[\s\S]*\bhi\b[\s\S]*\bp\b/);
      expectCompiles(table, name);
    }
    // The drill-down says how each run pairs with the reference (these runs hold different
    // instructions: unpaired resampling) and, resampled already, its difference at the layer.
    await clickLayer(page, 12, 42);
    await page.locator('[data-testid="drill-comparison"]').first().waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-testid="drill-comparison"]').count()).toBe(3);
    const how = await page.locator('[data-testid="drill-comparison"]').first().textContent();
    expect(how).toMatch(/unpaired resampling against .*: 3 and 3 samples/);
    expect(how).toMatch(/minus the reference: \S+ \[\S+, \S+\], q = \S+/);
    await screenshot(page, 'release-overlay-intervals-1440');
  });

  it('keeps every view inside a 390 px wide screen, and takes screenshots of each at 1440×900 and 390×844', async () => {
    const { page, errors } = await app.freshPage('?run=');
    await loadFolder(page, tree.dir);
    for (const size of [
      { width: 1440, height: 900 },
      { width: 390, height: 844 },
    ]) {
      await page.setViewportSize(size);
      for (const view of VIEWS) {
        await showView(page, view);
        await page.waitForTimeout(200);
        expect(await horizontalOverflow(page), `${view} at ${size.width}`).toBe(0);
        await screenshot(page, `release-${view}-${size.width}`);
      }
      await clickLayer(page, 12, 42);
      await page.locator('[data-testid="drilldown"]').waitFor();
      expect(await page.locator('#drill-heading').evaluate((h) => h.getBoundingClientRect().top >= 0 && h.getBoundingClientRect().top < innerHeight)).toBe(true);
      await screenshot(page, `release-drilldown-${size.width}`);
      await page.keyboard.press('Escape');
      await page.locator('[data-testid="drilldown"]').waitFor({ state: 'detached' });
      await page.locator('[data-testid="mad-table"]').scrollIntoViewIfNeeded();
      expect(await horizontalOverflow(page), `tables at ${size.width}`).toBe(0);
      await screenshot(page, `release-tables-${size.width}`);
    }
    expect(realErrors(errors)).toEqual([]);
  }, 360_000); // every view at two sizes (or axe on each) over 48 runs: minutes on a loaded 2-core machine

  it('has no serious or critical axe-core violation on any view, the drill-down or the tables', async () => {
    const { page } = await app.freshPage('?run=');
    await loadFolder(page, tree.dir);
    const found: string[] = [];
    for (const view of VIEWS) {
      await showView(page, view);
      found.push(...(await axeViolations(page)).map((v) => `${view} ${v}`));
    }
    await showView(page, 'curves');
    await clickLayer(page, 3, 42);
    await page.locator('[data-testid="sample-item"]').first().click();
    await page.locator('[data-testid="sample-view"]').waitFor();
    found.push(...(await axeViolations(page)).map((v) => `drill-down ${v}`));
    expect(found).toEqual([]);
  }, 360_000); // every view at two sizes (or axe on each) over 48 runs: minutes on a loaded 2-core machine

  it('writes a MAD LaTeX table that pdflatex compiles with booktabs and graphicx, without an overfull box', async () => {
    const { page } = await app.freshPage('?run=');
    await loadFolder(page, tree.dir);
    const table = await latexExport(page, 'MAD table');
    expect(table).toMatch(/\\multicolumn\{4\}\{c\}\{Q\}/);
    expectCompiles(table, 'MAD table');
  });

  it('restores facets, the module filter, the drill-down layer and its sample from a link', async () => {
    const { page, context } = await app.freshPage('?run=');
    await loadFolder(page, tree.dir);
    await page.getByRole('group', { name: 'Setting' }).getByRole('checkbox', { name: 'Simplified CoT' }).uncheck();
    await page.getByRole('group', { name: 'Modules' }).getByRole('checkbox', { name: 'K' }).uncheck();
    await clickLayer(page, 7, 42);
    await page.locator('[data-testid="sample-item"]').first().click();
    const sample = await page.locator('[data-testid="sample-instruction"]').textContent();
    const link = page.url();
    expect(link).toContain('layer=7');
    const other = await context.newPage();
    await other.goto(link);
    await waitForApp(other);
    expect(await other.getByRole('group', { name: 'Setting' }).getByRole('checkbox', { name: 'Simplified CoT' }).isChecked()).toBe(false);
    expect(await other.getByRole('group', { name: 'Setting' }).getByRole('checkbox', { name: 'None CoT' }).isChecked()).toBe(true);
    expect(await other.getByRole('group', { name: 'Modules' }).getByRole('checkbox', { name: 'K' }).isChecked()).toBe(false);
    await other.locator('[data-testid="curve"]').first().waitFor();
    expect(await other.locator('[data-testid="curve"][data-module="self_attn.q_proj"]').count()).toBeGreaterThan(0);
    expect(await other.locator('[data-testid="curve"][data-module="self_attn.k_proj"]').count()).toBe(0);
    expect(await other.locator('#drill-heading').textContent()).toContain('Layer 7');
    expect(await other.locator('[data-testid="sample-instruction"]').textContent()).toBe(sample);
  });
});
