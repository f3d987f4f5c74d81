/**
 * The drill-down of a live sample end to end: which positions drive each layer (the
 * positions × layers heatmap of cₜ) and the what-if that recomputes the sample with an
 * edited response in the compute worker. Screenshots at 1440×900 and 390×844.
 */
import { describe, expect, it } from 'vitest';
import { ByteTokenizer, DEFAULT_SPECIAL_TOKENS } from '../../src/core/model/tokenizer.ts';
import { encodeSample } from '../../src/core/model/template.ts';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { OUTPUT_DIR, screenshot } from './harness.ts';
import { realErrors, useAppSession } from './session.ts';
import { clickLayer } from './views.ts';

const app = useAppSession();

/** The viewport with the drill-down scrolled to the attribution section (it scrolls inside its panel, out of a full-page shot). */
async function shoot(page: Page, name: string): Promise<void> {
  const section = page.locator('[data-testid="sample-attribution"]');
  await section.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: resolve(OUTPUT_DIR, `${name}.png`) });
}
/** The shipped models' layers. */
const LAYERS = 6;
const visible = (t: string) => t.replace(/␣/g, ' ').replace(/↵/g, '\n').replace(/⇥/g, '\t');

describe('the drill-down of a live sample', () => {
  it('shows a heatmap of one row per layer and one column per position, then overlays the curve of the sample with a span of its response deleted', async () => {
    const { page, errors } = await app.freshPage('?run=');
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByRole('button', { name: 'Compute live', exact: true }).click();
    await page.getByRole('button', { name: 'Compute', exact: true }).waitFor({ timeout: 30_000 });
    await page.getByLabel('Samples').fill('2');
    await page.getByRole('button', { name: 'Compute', exact: true }).click();
    await page.locator('[data-testid="run-item"]').first().waitFor({ timeout: 120_000 });
    await page.getByRole('button', { name: 'Compute', exact: true }).and(page.locator(':not([disabled])')).waitFor({ timeout: 180_000 });
    expect(await page.locator('[data-testid="run-item"]').first().textContent()).toContain('2 samples');

    await clickLayer(page, 2, LAYERS);
    await page.locator('[data-testid="sample-item"]').first().click();
    const heatmap = page.locator('[data-testid="positions-heatmap"]');
    await heatmap.waitFor({ timeout: 30_000 });
    const instruction = (await page.locator('[data-testid="sample-instruction"]').textContent()) ?? '';
    const output = (await page.locator('[data-testid="sample-output"]').textContent()) ?? '';
    // The ids the core gives this sample with the shipped model's byte tokenizer and template (the run is labelled by its model).
    const label = (await page.locator('[data-testid="run-item"]').first().textContent()) ?? '';
    const template = /instruct/i.test(label) ? 'chat' : 'base';
    const expected = encodeSample(new ByteTokenizer(DEFAULT_SPECIAL_TOKENS), { instruction, input: '', output }, { template, maxLength: 1024 });
    const positions = expected.ids.length;
    const rows = heatmap.locator('[data-testid="positions-heatmap-row"]');
    expect(await rows.count()).toBe(LAYERS);
    const cellsPerRow = await rows.evaluateAll((gs) => gs.map((g) => g.querySelectorAll(':scope > rect:not(.selected)').length));
    expect(cellsPerRow).toEqual(new Array(LAYERS).fill(positions));
    // Tokens label the columns as text, decoded by the model's tokenizer; the response is marked from its first token on.
    await heatmap.locator('[data-testid="positions-heatmap-token"]').nth(1).waitFor();
    const tokens = await heatmap.locator('[data-testid="positions-heatmap-token"]').allTextContents();
    expect(tokens.length).toBe(positions);
    expect(tokens[0]).toBe('<|bos|>');
    const ascii = expected.ids.map((id, t) => (id >= 32 && id < 127) || id === 10 ? t : -1).filter((t) => t >= 0);
    expect(ascii.length).toBeGreaterThan(positions / 2);
    for (const t of ascii) expect(visible(tokens[t])).toBe(String.fromCharCode(expected.ids[t]));
    const marked = await heatmap.locator('[data-testid="positions-heatmap-token"]').evaluateAll((ts) => ts.map((t) => t.classList.contains('response')));
    expect(marked.indexOf(true)).toBe(expected.responseStart);
    // The top positions of the layer, and the toggle to each layer's shares.
    expect(await page.locator('[data-testid="top-position"]').count()).toBe(10);
    await page.locator('[data-testid="positions-share"]').click();
    await expect.poll(() => page.locator('[data-testid="positions-share"]').getAttribute('aria-pressed')).toBe('true');
    await screenshot(page, 'attribution-1440');
    await shoot(page, 'attribution-panel-1440');

    // Delete a span of the response (its first half), recompute, and see both curves.
    const textarea = page.locator('[data-testid="whatif-response"]');
    const cut = Math.floor(output.length / 2);
    await textarea.evaluate((el, n) => {
      (el as HTMLTextAreaElement).focus();
      (el as HTMLTextAreaElement).setSelectionRange(0, n);
    }, cut);
    await page.locator('[data-testid="whatif-delete"]').click();
    expect(await textarea.inputValue()).toBe(output.slice(cut));
    await page.locator('[data-testid="whatif-recompute"]').click();
    await page.locator('[data-testid="whatif-time"]').waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-testid="whatif-curve"]').count()).toBe(2);
    const edited = page.locator('[data-testid="whatif-heatmap"]');
    expect(await edited.locator('[data-testid="whatif-heatmap-row"]').count()).toBe(LAYERS);
    const editedCells = await edited.locator('[data-testid="whatif-heatmap-row"]').first().evaluate((g) => g.querySelectorAll(':scope > rect:not(.selected)').length);
    expect(editedCells).toBe(encodeSample(new ByteTokenizer(DEFAULT_SPECIAL_TOKENS), { instruction, input: '', output: output.slice(cut) }, { template, maxLength: 1024 }).ids.length);
    const time = (await page.locator('[data-testid="whatif-time"]').textContent()) ?? '';
    console.log(`what-if (delete a span): ${time}`);

    // "Shuffle the answer": the other sample's response, recomputed.
    await page.locator('[data-testid="whatif-shuffle"]').click();
    expect(await textarea.inputValue()).not.toBe(output.slice(cut));
    // Two samples: the other one's response.
    expect(await page.locator('[data-testid="whatif-note"]').textContent()).toMatch(/^response of sample [01] \(seed 1\)/);
    expect(await textarea.inputValue()).not.toBe(output);
    await page.locator('[data-testid="whatif-recompute"]').click();
    await expect.poll(async () => (await page.locator('[data-testid="whatif-time"]').textContent()) !== time, { timeout: 60_000 }).toBe(true);
    console.log(`what-if (shuffle): ${await page.locator('[data-testid="whatif-time"]').textContent()}`);
    await screenshot(page, 'attribution-whatif-1440');
    await shoot(page, 'attribution-whatif-panel-1440');

    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('[data-testid="positions-heatmap"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'attribution-whatif-390');
    await shoot(page, 'attribution-whatif-panel-390');
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    expect(realErrors(errors)).toEqual([]);
  });
});
