/**
 * The Compute live panel on a user's Hugging Face folder, in the built app: picked with
 * the folder picker, described (architecture, parameters, dtype, tokenizer, estimate)
 * before computing, then computed in the worker into a run with finite statistics.
 * Screenshots at 1440×900 and 390×844 go to test-output/e2e/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKPOINTS, writeCheckpoint } from '../../scripts/fixtures/makeCheckpoints.ts';
import { screenshot } from './harness.ts';
import { curveKeys, realErrors, useAppSession } from './session.ts';

const app = useAppSession();
const spec = CHECKPOINTS.find((c) => c.folder === 'Qwen2.5-tiny-Instruct')!;
let root: string;
let dir: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'gradlens-e2e-ckpt-'));
  dir = join(root, spec.folder);
  await writeCheckpoint(dir, spec);
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a Hugging Face folder in the Compute live panel', () => {
  it('is described before computing, then computed into a run with finite MADs', async () => {
    const { page, errors } = await app.freshPage('?run=');
    await page.getByText('Compute live', { exact: true }).first().click();
    const panel = page.getByRole('region', { name: 'Compute gradient statistics' });
    await panel.locator('label', { hasText: 'Model' }).locator('select').first().selectOption('upload');
    await panel.getByTestId('model-folder-input').setInputFiles(dir);
    const info = panel.getByTestId('model-info');
    await info.waitFor({ timeout: 120_000 });
    expect(await info.textContent()).toMatch(/Qwen2\.5-tiny-Instruct.*Qwen2ForCausalLM, 2\.43 M parameters \(BF16\), 2 layers × 16, BPE \(tokenizer\.json\) tokenizer of 151,669 tokens, chat template, up to 32768 tokens/);
    expect(await panel.getByTestId('model-estimate').textContent()).toMatch(/at 1024 tokens: weights 9\.74 MB \+ activations .* \(budget 4.29 GB\)/);
    await screenshot(page, 'compute-checkpoint-described');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'compute-checkpoint-described-phone');
    await page.setViewportSize({ width: 1440, height: 900 });

    await panel.getByLabel('Samples').fill('2');
    await panel.getByLabel('Max length').fill('128');
    await panel.locator('label', { hasText: 'Response' }).locator('select').selectOption('none');
    await panel.getByRole('button', { name: 'Compute', exact: true }).click();
    await page.locator('[data-testid="compute-progress"][data-status="done"]').waitFor({ timeout: 170_000 });
    const keys = await curveKeys(page);
    expect(keys.length).toBe(4);
    expect(await page.locator('[data-testid="run-item"]').first().textContent()).toContain('2 samples');
    const mads = await page.locator('td[data-part="all"]').evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-value'))));
    expect(mads.length).toBe(4);
    for (const mad of mads) expect(Number.isFinite(mad) && mad > 0, `MAD ${mad}`).toBe(true);
    await screenshot(page, 'compute-checkpoint-run');
    expect(realErrors(errors)).toEqual([]);
  });

  it('says in one line why a maximum length above the model is refused', async () => {
    const { page } = await app.freshPage('?run=');
    await page.getByText('Compute live', { exact: true }).first().click();
    const panel = page.getByRole('region', { name: 'Compute gradient statistics' });
    await panel.locator('label', { hasText: 'Model' }).locator('select').first().selectOption('upload');
    await panel.getByTestId('model-folder-input').setInputFiles(dir);
    await panel.getByTestId('model-info').waitFor({ timeout: 120_000 });
    await panel.getByLabel('Max length').fill('100000');
    await panel.getByRole('button', { name: 'Compute', exact: true }).click();
    expect(await panel.getByRole('alert').textContent()).toBe('the maximum length must be a whole number from 1 to 32768 (what the model takes)');
  });
});
