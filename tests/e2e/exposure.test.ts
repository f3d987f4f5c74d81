/**
 * What the served app lets a page or a link do: its Content-Security-Policy, and `?src=`
 * URLs of other sites fetched only after the user agrees.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForApp } from './harness.ts';
import { realErrors, useAppSession } from './session.ts';

const app = useAppSession();

/** A server on another local port that counts every request it gets (what a silent probe would hit). */
let probe: Server;
let probeHits = 0;
beforeAll(async () => {
  probe = createServer((_req, res) => {
    probeHits++;
    res.writeHead(200, { 'access-control-allow-origin': '*' });
    res.end('{}\n');
  });
  await new Promise<void>((ok) => probe.listen(0, '127.0.0.1', ok));
});
afterAll(() => new Promise<void>((ok) => probe.close(() => ok())));

describe('exposure of the served app', () => {
  it('sends a Content-Security-Policy with no inline script, and the app runs under it (workers, wasm, PNG export)', async () => {
    const html = await (await fetch(app.url())).text();
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1].replaceAll('&#39;', "'");
    expect(policy).toBeDefined();
    const directives = new Map(policy!.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    expect(directives.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(directives.get('connect-src')).not.toContain('http:');
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);

    // The demo is read by the parse worker (and its wasm kernel) under the policy; PNG export draws through an image.
    const { page, context, errors } = await app.freshPage();
    await context.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { __csp: string[] }).__csp = seen;
      document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    await page.reload();
    await waitForApp(page);
    await page.locator('[data-testid="curve"]').first().waitFor();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export PNG' }).first().click();
    expect((await download).suggestedFilename()).toMatch(/\.png$/);
    expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
    expect(realErrors(errors).filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
  });

  it('asks before fetching a ?src URL on another site, and fetches nothing when the user declines', async () => {
    const other = 'https://gradlens-other-site.invalid/grads_x_no_cot.jsonl';
    const { page, context } = await app.freshPage('?run=');
    const requested: string[] = [];
    context.on('request', (r) => requested.push(r.url()));
    await page.goto(`${app.url()}?src=${encodeURIComponent(other)}`);
    await waitForApp(page);
    const dialog = page.getByRole('dialog', { name: /Fetch files from another site/ });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('https://gradlens-other-site.invalid');
    expect(requested.filter((u) => new URL(u).hostname === 'gradlens-other-site.invalid')).toEqual([]);
    await dialog.getByRole('button', { name: 'Don’t fetch' }).click();
    await waitForApp(page);
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(requested.filter((u) => new URL(u).hostname === 'gradlens-other-site.invalid')).toEqual([]);
    expect(await page.locator('[data-testid="run-item"]').count()).toBe(0);
  });

  it('never requests a ?src URL on another local port, and says why in Problems', async () => {
    const port = (probe.address() as AddressInfo).port;
    const local = `http://127.0.0.1:${port}/grads_probe_no_cot.jsonl`;
    const { page } = await app.freshPage(`?src=${encodeURIComponent(local)}`);
    await waitForApp(page);
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(probeHits).toBe(0);
    await page.getByRole('button', { name: 'Problems (1)' }).click();
    expect(await page.locator('[data-testid="problems-panel"]').textContent()).toContain('Not fetched');
  });
});
