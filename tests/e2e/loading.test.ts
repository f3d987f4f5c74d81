/**
 * Getting data in and keeping it, end to end: persistence across reloads, the Problems
 * panel, drag and drop, ?src URLs, the folder picker, the demo's first-open rule, and a
 * large file's progress bar and cancel.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syntheticStatsLines } from '../../src/core/data/syntheticStats.ts';
import { statsLine } from '../lib/state/statsLines.ts';
import { ROOT, screenshot, waitForApp, waitForSaved } from './harness.ts';
import { curveKeys, FAST, LABEL, LAYERS, loadFiles, MODULES, runId, SLOW, useAppSession } from './session.ts';

const app = useAppSession();

describe('loading and keeping runs in the browser', () => {
  it('keeps loaded runs, their names and the view across a reload', async () => {
    const { page } = await app.freshPage('?run=');
    await loadFiles(page, [FAST, SLOW]);
    const id = await runId(page, FAST.name);
    await page.getByRole('button', { name: /^Rename / }).first().click();
    await page.getByLabel(/^Name of /).fill('Fast thinking');
    await page.getByLabel(/^Name of /).press('Enter');
    // The new name is written to IndexedDB asynchronously: let it land before leaving the page.
    await waitForSaved(page);
    await page.goto(`${app.url()}?y=log&run=${FAST.name}&run=${SLOW.name}`);
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
    const { page } = await app.freshPage('?run=');
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
    const { page } = await app.freshPage('?run=');
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
    const src = `${app.url()}assets/${asset}`;
    const { page } = await app.freshPage(`?src=${encodeURIComponent(src)}`);
    expect(await page.locator('[data-testid="run-item"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-ref')))).toEqual([src]);
    expect(new URL(page.url()).searchParams.getAll('src')).toEqual([src]);
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
      const { page } = await app.freshPage('?run=');
      await page.getByLabel('Load a folder of statistics files').setInputFiles(join(root, 'grads_exp'));
      await page.locator('[data-testid="run-item"]').nth(1).waitFor();
      await waitForApp(page);
      const items = page.locator('[data-testid="run-item"]');
      expect(await items.count()).toBe(2);
      const refs = await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-ref')));
      expect(refs).toEqual(Object.keys(files).slice(0, 2));
      // The compact row says what the path gave in its title (hover), facts first.
      const facts = ((await items.nth(1).getAttribute('title')) ?? '').split(' · ').slice(0, 5);
      expect(facts).toEqual(['llama3_8b', 'instruct', 'gsm8k_train', 'Detailed CoT', 'irrelevant']);
      await screenshot(page, 'run-list-folder');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('does not bring the demo back after the user removed it', async () => {
    const { page } = await app.freshPage();
    const before = await page.locator('[data-testid="run-item"]').count();
    await page.getByRole('button', { name: /^Remove / }).first().click();
    await waitForSaved(page);
    await page.goto(app.url());
    await waitForApp(page);
    expect(await page.locator('[data-testid="run-item"]').count()).toBe(before - 1);
    for (let i = 0; i < before - 1; i++) await page.getByRole('button', { name: /^Remove / }).first().click();
    await waitForSaved(page);
    await page.goto(app.url());
    await waitForApp(page);
    expect(await page.locator('[data-testid="run-item"]').count()).toBe(0);
    await page.getByRole('button', { name: 'Load the demo runs' }).click();
    await waitForApp(page);
    expect(await page.locator('[data-testid="run-item"]').count()).toBe(before);
  });

  it('shows a progress bar (bytes, samples) while a large file loads, and Cancel drops the file', async () => {
    const root = mkdtempSync(join(tmpdir(), 'gradlens-e2e-'));
    const path = join(root, 'grads_large_no_cot.jsonl');
    // About 60 MB: long enough to read that the cancel lands while it is still loading.
    writeFileSync(path, [...syntheticStatsLines({ samples: 1700, layers: 32, setting: 'none', correctness: 'correct', seed: 5 })].join('\n'));
    try {
      const { page } = await app.freshPage('?run=');
      // Watch in the page, so the cancel lands at the first progress report, not after a round trip.
      await page.evaluate(() => {
        const seen: string[] = [];
        (window as unknown as { __jobTexts: string[] }).__jobTexts = seen;
        new MutationObserver(() => {
          const job = document.querySelector('[data-testid="load-job"]');
          if (!job) return;
          const text = job.textContent ?? '';
          if (seen.at(-1) !== text) seen.push(text);
          if (/[1-9]\d* samples/.test(text)) job.querySelector<HTMLButtonElement>('button')?.click();
        }).observe(document.body, { subtree: true, childList: true, characterData: true });
      });
      await page.getByLabel(LABEL, { exact: true }).setInputFiles(path);
      await page.locator('[data-testid="load-job"]').waitFor({ state: 'detached', timeout: 60_000 });
      const texts = await page.evaluate(() => (window as unknown as { __jobTexts: string[] }).__jobTexts);
      expect(texts.some((t) => /[\d.]+ (B|kB|MB) of [\d.]+ MB · [1-9]\d* samples/.test(t))).toBe(true);
      await waitForApp(page);
      expect(await page.locator('[data-testid="run-item"]').count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Problems (0)' }).count()).toBe(1);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
