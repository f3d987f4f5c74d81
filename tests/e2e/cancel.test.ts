/**
 * A file being read, end to end: its `<progress>` while it loads, and Cancel taking
 * effect at once even while the worker inflates a gzip bomb (small on disk, hundreds of
 * megabytes of newlines inside).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticStatsLines } from '../../src/core/data/syntheticStats.ts';
import { waitForApp } from './harness.ts';
import { fixture, LABEL, useAppSession } from './session.ts';

const app = useAppSession();
let dir: string;
let bomb: string;
let large: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gradlens-cancel-'));
  // 384 MB of newlines gzip to under half a megabyte.
  bomb = join(dir, 'grads_bomb_no_cot.jsonl.gz');
  writeFileSync(bomb, gzipSync(Buffer.alloc(384 << 20, 0x0a), { level: 9 }));
  large = join(dir, 'grads_large_with_cot.jsonl');
  writeFileSync(large, [...syntheticStatsLines({ samples: 600, layers: 32, setting: 'simplified', correctness: 'correct', seed: 3 })].join('\n') + '\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a file being read', () => {
  it('has a <progress> while it loads, removed when it is done', async () => {
    const { page } = await app.freshPage('?run=');
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __progress: string[] }).__progress = seen;
      new MutationObserver(() => {
        for (const p of document.querySelectorAll('progress')) seen.push(p.getAttribute('aria-label') ?? '');
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await page.getByLabel(LABEL, { exact: true }).setInputFiles(large);
    await waitForApp(page);
    expect(await page.locator('[data-testid="run-item"]').count()).toBe(1);
    const seen = await page.evaluate(() => (window as unknown as { __progress: string[] }).__progress);
    expect(seen).toContain('Reading grads_large_with_cot.jsonl');
    expect(await page.locator('progress').count()).toBe(0);
  });

  it('cancels a gzip bomb within 200 ms of the click, and the next file still loads', async () => {
    const { page } = await app.freshPage('?run=');
    await page.getByLabel(LABEL, { exact: true }).setInputFiles(bomb);
    const job = page.locator('[data-testid="load-job"]');
    // Started (a worker has it), then well inside the inflation of its first chunk.
    await page.waitForFunction(() => /^\d.* of .* samples/.test(document.querySelector('[data-testid="load-job"] .numbers')?.textContent?.trim() ?? ''), null, { timeout: 60_000 });
    await page.waitForTimeout(500);
    const elapsed = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const button = document.querySelector<HTMLButtonElement>('[data-testid="load-job"] button')!;
          const observer = new MutationObserver(() => {
            if (document.querySelector('[data-testid="load-job"]')) return;
            observer.disconnect();
            resolve(performance.now() - t0);
          });
          observer.observe(document.body, { subtree: true, childList: true });
          const t0 = performance.now();
          button.click();
        }),
    );
    expect(elapsed).toBeLessThan(200);
    expect(await job.count()).toBe(0);
    const next = fixture('grads_after_no_cot.jsonl', 3, 0);
    const t0 = Date.now();
    await page.getByLabel(LABEL, { exact: true }).setInputFiles([{ name: next.name, mimeType: 'application/x-ndjson', buffer: Buffer.from(next.text) }]);
    await page.locator(`[data-testid="run-item"][data-ref="${next.name}"]`).waitFor({ timeout: 20_000 });
    expect(Date.now() - t0).toBeLessThan(20_000);
    await waitForApp(page);
    expect(await page.locator('[data-testid="run-item"]').count()).toBe(1);
  });
});
