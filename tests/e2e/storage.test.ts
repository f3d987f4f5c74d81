/**
 * Keeping runs across reloads, end to end: two tabs loading different files at once,
 * each run's buffers in a file of its own (OPFS) deleted with the run, a sample's texts
 * read back only when it is opened, and a storage quota too small for a run.
 */
import { describe, expect, it } from 'vitest';
import { syntheticStatsLines } from '../../src/core/data/syntheticStats.ts';
import { waitForApp, waitForSaved } from './harness.ts';
import { FAST, fixture, LABEL, LAYERS, realErrors, useAppSession, type Fixture } from './session.ts';
import { clickLayer } from './views.ts';
import type { Page } from 'playwright-core';

const app = useAppSession();

const refsOf = (page: Page) => page.locator('[data-testid="run-item"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-ref')!).sort());

function choose(page: Page, files: Fixture[]): Promise<void> {
  return page.getByLabel(LABEL, { exact: true }).setInputFiles(files.map((f) => ({ name: f.name, mimeType: 'application/x-ndjson', buffer: Buffer.from(f.text) })));
}

describe('keeping runs in the browser', () => {
  it('keeps the runs of two tabs that load different files at once: after a reload each tab shows all of them', async () => {
    const { page: tabA, context } = await app.freshPage('?run=');
    const tabB = await context.newPage();
    await tabB.goto(`${app.url()}?run=`);
    await waitForApp(tabB);
    const filesA = [fixture('grads_tab_a1_no_cot.jsonl', 6, 0), fixture('grads_tab_a2_with_cot.jsonl', 5, 1), fixture('grads_tab_a3_with_cot_gpt4o.jsonl', 4, 2)];
    const filesB = [fixture('grads_tab_b1_no_cot.jsonl', 5, 3), fixture('grads_tab_b2_with_cot.jsonl', 6, 4)];
    await Promise.all([choose(tabA, filesA), choose(tabB, filesB)]);
    await Promise.all([waitForApp(tabA), waitForApp(tabB)]);
    await Promise.all([waitForSaved(tabA), waitForSaved(tabB)]);
    // Each tab renames one of its runs afterwards: writes of display choices must not drop the other tab's runs.
    for (const [tab, name] of [
      [tabA, 'A renamed'],
      [tabB, 'B renamed'],
    ] as const) {
      await tab.getByRole('button', { name: /^Rename / }).first().click();
      await tab.getByLabel(/^Name of /).fill(name);
      await tab.getByLabel(/^Name of /).press('Enter');
    }
    await Promise.all([waitForSaved(tabA), waitForSaved(tabB)]);
    const all = [...filesA, ...filesB].map((f) => f.name).sort();
    for (const tab of [tabA, tabB]) {
      await tab.goto(app.url());
      await waitForApp(tab);
      expect(await refsOf(tab)).toEqual(all);
      expect(await tab.locator('[data-testid="orphans"]').count()).toBe(0);
      const names = await tab.getByRole('button', { name: /^Rename / }).allTextContents();
      expect(names).toContain('A renamed');
      expect(names).toContain('B renamed');
    }
  });

  it('keeps each run’s buffers in one file of its own, reads them back after a reload, and deletes the file with the run', async () => {
    const { page, errors } = await app.freshPage('?run=');
    const files = [fixture('grads_file_a_no_cot.jsonl', 6, 0), fixture('grads_file_b_with_cot.jsonl', 5, 1)];
    await choose(page, files);
    await waitForApp(page);
    await waitForSaved(page);
    const stored = () =>
      page.evaluate(async () => {
        const folder = await (await navigator.storage.getDirectory()).getDirectoryHandle('runs', { create: true });
        const names: string[] = [];
        for await (const name of (folder as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(name);
        const db = await new Promise<IDBDatabase>((ok, no) => {
          const r = indexedDB.open('gradlens');
          r.onsuccess = () => ok(r.result);
          r.onerror = () => no(r.error);
        });
        const records = await new Promise<{ id: string; numbers: unknown }[]>((ok) => {
          const r = db.transaction('runs').objectStore('runs').getAll();
          r.onsuccess = () => ok(r.result);
        });
        db.close();
        return { names: names.sort(), files: records.map((r) => (r.numbers as { file?: string }).file ?? 'not in a file').sort() };
      });
    const before = await stored();
    expect(before.names).toHaveLength(2);
    expect(before.files).toEqual(before.names);
    const curves = await page.locator('[data-testid="curve"]').count();
    await page.goto(app.url());
    await waitForApp(page);
    expect(await refsOf(page)).toEqual(files.map((f) => f.name).sort());
    await page.locator('[data-testid="curve"]').first().waitFor();
    expect(await page.locator('[data-testid="curve"]').count()).toBe(curves);
    await page.locator(`[data-testid="run-item"][data-ref="${files[0].name}"]`).getByRole('button', { name: /^Remove / }).click();
    await waitForSaved(page);
    const after = await stored();
    expect(after.names).toHaveLength(1);
    expect(after.files).toEqual(after.names);
    expect(before.names).toContain(after.names[0]);
    expect(realErrors(errors)).toEqual([]);
  });

  it('restores runs without their texts and reads a sample’s texts from storage when it is opened', async () => {
    const { page, errors } = await app.freshPage('?run=');
    await choose(page, [FAST]);
    await waitForApp(page);
    await waitForSaved(page);
    const textsOf = () =>
      page.evaluate(async () => {
        const db = await new Promise<IDBDatabase>((ok, no) => {
          const r = indexedDB.open('gradlens');
          r.onsuccess = () => ok(r.result);
          r.onerror = () => no(r.error);
        });
        const count = (store: string) =>
          new Promise<number>((ok) => {
            const r = db.transaction(store).objectStore(store).count();
            r.onsuccess = () => ok(r.result);
          });
        const counts = [await count('runs'), await count('texts')];
        db.close();
        return counts;
      });
    expect(await textsOf()).toEqual([1, 1]);
    await page.goto(app.url());
    await waitForApp(page);
    await page.locator('[data-testid="curve"]').first().waitFor();
    await clickLayer(page, 3, LAYERS);
    await page.locator('[data-testid="sample-item"]').first().click();
    const instruction = page.locator('[data-testid="sample-instruction"]');
    await instruction.waitFor();
    expect(await instruction.textContent()).toContain('<b>bold');
    expect(await page.locator('[data-testid="sample-output"]').textContent()).toContain('<i>answer</i>');
    expect(realErrors(errors)).toEqual([]);
  });

  it('names the runs a full storage could not keep, keeps them loaded, and shows the rest after a reload', async () => {
    const { page, context } = await app.freshPage('?run=');
    const cdp = await context.newCDPSession(page);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(app.url()).origin, quotaSize: 1_500_000 });
    const small = fixture('grads_small_no_cot.jsonl', 4, 0);
    // 300 samples × 32 layers × 4 modules × 7 statistics: 2.2 MB of columns, past the 1.5 MB quota.
    const big = { name: 'grads_big_with_cot.jsonl', text: [...syntheticStatsLines({ samples: 300, layers: 32, setting: 'simplified', correctness: 'correct', seed: 9 })].join('\n') + '\n' };
    await choose(page, [small, big]);
    await waitForApp(page);
    await waitForSaved(page);
    expect(await refsOf(page)).toEqual([big.name, small.name].sort());
    const notice = page.locator('[data-testid="unsaved-runs"]');
    await notice.waitFor();
    const bigLabel = await page.locator(`[data-testid="run-item"][data-ref="${big.name}"]`).getByRole('button', { name: /^Rename / }).textContent();
    const smallLabel = await page.locator(`[data-testid="run-item"][data-ref="${small.name}"]`).getByRole('button', { name: /^Rename / }).textContent();
    const text = (await notice.textContent()) ?? '';
    expect(text).toContain(bigLabel!.trim());
    expect(text).not.toContain(smallLabel!.trim());
    expect(text).toMatch(/storage for this site is full/);
    // Still in memory: its curves are drawn and its numbers export.
    const id = await page.locator(`[data-testid="run-item"][data-ref="${big.name}"]`).getAttribute('data-run');
    expect(await page.locator(`[data-testid="curve"][data-run="${id}"]`).count()).toBeGreaterThan(0);
    await page.goto(app.url());
    await waitForApp(page);
    expect(await refsOf(page)).toEqual([small.name]);
  });
});
