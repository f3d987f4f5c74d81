/**
 * The app end to end, built and served, in headless Chromium: the demo, loading files
 * through the labelled input, the MAD table against the core's numbers, text shown as
 * text, exports, persistence across reloads, and the Problems panel. Screenshots of
 * each view go to test-output/e2e/.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRun } from '../../src/core/format/runParser.ts';
import { computeCurve } from '../../src/core/stats/computeCurve.ts';
import { computeMad } from '../../src/core/stats/mad.ts';
import { statsLine } from '../lib/state/statsLines.ts';
import { launchBrowser, newTestPage, ROOT, screenshot, startPreview, waitForApp, waitForSaved, type Preview, type TestPage } from './harness.ts';

const LABEL = 'Load gradient statistics';
const LAYERS = 8;
const MODULES = ['self_attn.q_proj', 'self_attn.k_proj', 'self_attn.v_proj', 'self_attn.o_proj'];

/** A small fixture file; every instruction holds markup that must show as text. */
function fixture(name: string, samples: number, shift: number): { name: string; text: string } {
  const lines = Array.from({ length: samples }, (_, i) =>
    statsLine(i + shift, LAYERS, { instruction: `<b>bold ${i}</b> & <img src=x onerror=alert(1)>`, output: `<i>answer</i> ${i}` }),
  );
  return { name, text: lines.join('\n') + '\n' };
}

const FAST = fixture('grads_fixture_no_cot.jsonl', 5, 3);
const SLOW = fixture('grads_fixture_with_cot_gpt4o.jsonl', 4, 0);

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

async function freshPage(query = ''): Promise<TestPage> {
  const t = await newTestPage(browser);
  open.push(t);
  await t.page.goto(preview.url + query);
  await waitForApp(t.page);
  return t;
}

/** Loads files through the labelled input and waits until they are runs. */
async function loadFiles(page: Page, files: { name: string; text: string }[]): Promise<void> {
  await page.getByLabel(LABEL, { exact: true }).setInputFiles(
    files.map((f) => ({ name: f.name, mimeType: 'application/x-ndjson', buffer: Buffer.from(f.text) })),
  );
  await waitForApp(page);
}

async function runId(page: Page, ref: string): Promise<string> {
  const id = await page.locator(`[data-testid="run-item"][data-ref="${ref}"]`).getAttribute('data-run');
  if (!id) throw new Error(`no run for ${ref}`);
  return id;
}

async function curveKeys(page: Page): Promise<string[]> {
  return page.locator('[data-testid="curve"]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-run')}|${e.getAttribute('data-module')}`));
}

const realErrors = (errors: string[]) => errors.filter((e) => !/favicon/i.test(e));

describe('gradlens in the browser', () => {
  it('shows the demo’s curves on first open, one per module per run', async () => {
    const { page, errors } = await freshPage();
    const runs = await page.locator('[data-testid="run-item"]').count();
    expect(runs).toBeGreaterThanOrEqual(6);
    await page.locator('[data-testid="curve"]').first().waitFor();
    const keys = await curveKeys(page);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(keys.map((k) => k.split('|')[0])).size).toBe(runs);
    await screenshot(page, 'curves-demo');
    for (const view of ['overlay', 'heatmap'] as const) {
      await page.goto(`${preview.url}?view=${view}`);
      await waitForApp(page);
      await page.locator('svg').first().waitFor();
      await screenshot(page, `${view}-demo`);
    }
    expect(realErrors(errors)).toEqual([]);
  });

  it('draws one curve per module per run for files loaded through the labelled input', async () => {
    const { page, errors } = await freshPage('?run=');
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
    const { page } = await freshPage('?run=');
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
    const { page, errors } = await freshPage('?run=');
    await loadFiles(page, [FAST]);
    await page.locator('[data-testid="layer-hit"][data-layer="3"]').first().click();
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
    const { page } = await freshPage('?run=');
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

  it('keeps loaded runs, their names and the view across a reload', async () => {
    const { page } = await freshPage('?run=');
    await loadFiles(page, [FAST, SLOW]);
    const id = await runId(page, FAST.name);
    await page.getByRole('button', { name: /^Rename / }).first().click();
    await page.getByLabel(/^Name of /).fill('Fast thinking');
    await page.getByLabel(/^Name of /).press('Enter');
    await page.goto(`${preview.url}?y=log&run=${FAST.name}&run=${SLOW.name}`);
    await waitForApp(page);
    await waitForSaved(page);
    await page.reload();
    await waitForApp(page);
    expect(await page.locator('[data-testid="run-item"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-ref')))).toEqual([FAST.name, SLOW.name]);
    expect(await runId(page, FAST.name)).toBe(id);
    expect(await page.getByRole('button', { name: /^Rename / }).first().textContent()).toBe('Fast thinking');
    expect(new URL(page.url()).searchParams.get('y')).toBe('log');
    await page.locator('[data-testid="curve"]').first().waitFor();
    expect((await curveKeys(page)).length).toBe(2 * MODULES.length);
  });

  it('lists a malformed line in the Problems panel with its line number, and loads the rest', async () => {
    const { page } = await freshPage('?run=');
    const broken = { name: 'grads_broken_no_cot.jsonl', text: [statsLine(0, LAYERS), statsLine(1, LAYERS), '{"instruction": "cut', statsLine(2, LAYERS)].join('\n') };
    await loadFiles(page, [broken]);
    expect(await page.locator('[data-testid="run-item"]').count()).toBe(1);
    await page.getByRole('button', { name: 'Problems (1)' }).click();
    const problem = page.locator('[data-testid="problems-panel"] [data-testid="problem"]');
    expect(await problem.getAttribute('data-line')).toBe('3');
    expect(await problem.textContent()).toContain('Line 3');
    await screenshot(page, 'problems');
  });

  it('loads files dropped anywhere on the page', async () => {
    const { page } = await freshPage('?run=');
    await page.evaluate(
      ({ name, text }) => {
        const data = new DataTransfer();
        data.items.add(new File([text], name));
        const target = document.querySelector('main') ?? document.body;
        for (const type of ['dragenter', 'dragover', 'drop']) target.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
      },
      { name: FAST.name, text: FAST.text },
    );
    await page.locator(`[data-testid="run-item"][data-ref="${FAST.name}"]`).waitFor();
    await waitForApp(page);
    expect(await page.locator('[data-testid="run-item"]').count()).toBe(1);
  });

  it('loads ?src URLs (and not the demo), and keeps them in the URL', async () => {
    const asset = readdirSync(resolve(ROOT, 'dist/assets')).find((f) => f.endsWith('.jsonl'));
    expect(asset).toBeDefined();
    const src = `${preview.url}assets/${asset}`;
    const { page } = await freshPage(`?src=${encodeURIComponent(src)}`);
    expect(await page.locator('[data-testid="run-item"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-ref')))).toEqual([src]);
    expect(new URL(page.url()).searchParams.getAll('src')).toEqual([src]);
  });

  it('opens the Compute live section on demand', async () => {
    const { page, errors } = await freshPage('?run=');
    await page.getByText('Compute live', { exact: true }).first().click();
    await page.getByRole('button', { name: 'Compute', exact: true }).waitFor({ timeout: 30_000 });
    await screenshot(page, 'compute-live');
    expect(realErrors(errors)).toEqual([]);
  });

  it('loads a release folder through the folder picker, reading each run’s metadata from its path', async () => {
    const root = mkdtempSync(join(tmpdir(), 'gradlens-e2e-'));
    const files = {
      'grads_exp/cot_500/llama3_8b_it_new/grads_gsm8k_train_no_cot.jsonl': FAST.text,
      'grads_exp/cot_500_wrong_answer_shuffle/llama3_8b_it_new/grads_gsm8k_train_with_cot_gpt4o.jsonl': SLOW.text,
      'grads_exp/README.md': '# not statistics',
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    try {
      const { page } = await freshPage('?run=');
      await page.getByLabel('Load a folder of statistics files').setInputFiles(join(root, 'grads_exp'));
      await page.locator('[data-testid="run-item"]').nth(1).waitFor();
      await waitForApp(page);
      const items = page.locator('[data-testid="run-item"]');
      expect(await items.count()).toBe(2);
      const refs = await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-ref')));
      expect(refs).toEqual(Object.keys(files).slice(0, 2));
      const facts = await items.nth(1).locator('[data-fact]').allTextContents();
      expect(facts).toEqual(['llama3_8b', 'instruct', 'gsm8k_train', 'Detailed CoT', 'irrelevant']);
      await screenshot(page, 'run-list-folder');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('does not bring the demo back after the user removed it', async () => {
    const { page } = await freshPage();
    const before = await page.locator('[data-testid="run-item"]').count();
    await page.getByRole('button', { name: /^Remove / }).first().click();
    await waitForSaved(page);
    await page.goto(preview.url);
    await waitForApp(page);
    expect(await page.locator('[data-testid="run-item"]').count()).toBe(before - 1);
    for (let i = 0; i < before - 1; i++) await page.getByRole('button', { name: /^Remove / }).first().click();
    await waitForSaved(page);
    await page.goto(preview.url);
    await waitForApp(page);
    expect(await page.locator('[data-testid="run-item"]').count()).toBe(0);
    await page.getByRole('button', { name: 'Load the demo runs' }).click();
    await waitForApp(page);
    expect(await page.locator('[data-testid="run-item"]').count()).toBe(before);
  });
});
