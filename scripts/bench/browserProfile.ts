/**
 * Where loading spends its time, for whoever works on browserLoad.ts's figures: loads
 * generated files into the built app in headless Chromium under a Chromium trace, then
 * prints per thread (page, parse worker) the functions by self and by inclusive time,
 * the page's trace events by total time, the parse worker's idle gaps (waiting for reads
 * or storage) and the longest tasks. Not a benchmark: tracing slows everything down.
 *
 *   npx tsx scripts/bench/browserProfile.ts folder|small|reload [files]
 *     folder  N release-like files (500 samples × 32 layers) through the folder picker
 *     small   N files of 5 samples × 32 layers through the file picker
 *     reload  N release-like files loaded and saved, then the page reloaded (traced)
 *   PROFILE_OUT=dir    serve that build folder (e.g. `vite build --minify false --outDir dir`,
 *                      for readable names) instead of dist/, so a bench on dist/ is left alone
 *   PROFILE_TRACE=file also write the raw trace (open it in chrome://tracing or Perfetto)
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { syntheticStatsLines } from '../../src/core/data/syntheticStats.ts';
import { launchBrowser, startPreview, type Preview } from '../../tests/e2e/harness.ts';

type Mode = 'folder' | 'small' | 'reload';

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  id?: string;
  args?: { name?: string; data?: { startTime?: number; cpuProfile?: CpuProfile; timeDeltas?: number[] } };
}
interface CpuProfile {
  nodes?: { id: number; parent?: number; callFrame: { functionName: string; url?: string; lineNumber: number } }[];
  samples?: number[];
}

function writeLines(path: string, lines: Iterable<string>): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, [...lines].join('\n') + '\n');
}

/** The files to load, generated into `dir`. */
function makeFiles(dir: string, mode: Mode, count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    if (mode === 'small') {
      const path = join(dir, 'small', `grads_small_${String(i).padStart(4, '0')}_no_cot.jsonl`);
      writeLines(path, syntheticStatsLines({ samples: 5, layers: 32, setting: 'none', correctness: 'correct', seed: 10_000 + i }));
      return path;
    }
    const model = i % 2 ? 'llama3_8b' : 'llama3_8b_it_new';
    const path = join(dir, 'grads_exp', 'cot_500', model, `grads_gsm8k_train_${['no_cot', 'with_cot', 'with_cot_gpt4o'][i % 3]}_${i}.jsonl`);
    writeLines(path, syntheticStatsLines({ samples: 500, layers: 32, setting: 'detailed', correctness: 'correct', seed: 500 + i }));
    return path;
  });
}

/** `vite preview` of another build folder. */
async function previewOf(outDir: string): Promise<Preview> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn('node_modules/.bin/vite', ['preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--outDir', outDir], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 200; i++) {
    if (await fetch(url).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 150));
  }
  return { url, stop: async () => void child.kill('SIGTERM') };
}

const top = <K>(m: Map<K, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
const row = (ms: number, what: string) => `  ${ms.toFixed(0).padStart(7)} ms  ${what}`;

/** Prints where each thread's time went. */
function report(events: TraceEvent[]): void {
  const threadName = new Map<string, string>();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') threadName.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');
  const nameOf = (e: TraceEvent) => threadName.get(`${e.pid}:${e.tid}`) ?? `${e.pid}:${e.tid}`;

  const profiles = new Map<string, { thread: string; nodes: Map<number, { name: string; parent?: number }>; samples: number[]; deltas: number[] }>();
  for (const e of events) {
    if (e.name !== 'ProfileChunk' && e.name !== 'Profile') continue;
    const key = `${e.pid}:${e.id}`;
    let p = profiles.get(key);
    if (!p) profiles.set(key, (p = { thread: nameOf(e), nodes: new Map(), samples: [], deltas: [] }));
    const cpu = e.args?.data?.cpuProfile;
    for (const node of cpu?.nodes ?? []) {
      const f = node.callFrame;
      const fn = f.functionName || '(anonymous)';
      p.nodes.set(node.id, { name: f.url ? `${fn} ${f.url.split('/').pop()}:${f.lineNumber}` : fn, parent: node.parent });
    }
    p.samples.push(...(cpu?.samples ?? []));
    p.deltas.push(...(e.args?.data?.timeDeltas ?? []));
  }
  for (const p of profiles.values()) {
    const self = new Map<string, number>();
    const inclusive = new Map<string, number>();
    let total = 0;
    p.samples.forEach((id, i) => {
      const ms = (p.deltas[i + 1] ?? 0) / 1000;
      const leaf = p.nodes.get(id)?.name ?? String(id);
      if (leaf.startsWith('(idle)')) return;
      total += ms;
      self.set(leaf, (self.get(leaf) ?? 0) + ms);
      const stack = new Set<string>();
      for (let n = p.nodes.get(id); n; n = n.parent === undefined ? undefined : p.nodes.get(n.parent)) stack.add(n.name);
      for (const name of stack) if (!name.startsWith('(root)') && !name.startsWith('(program)')) inclusive.set(name, (inclusive.get(name) ?? 0) + ms);
    });
    if (total < 100) continue;
    console.log(`\n== ${p.thread}: ${total.toFixed(0)} ms sampled busy\n  -- self:`);
    for (const [name, ms] of top(self, 15)) console.log(row(ms, name));
    console.log('  -- inclusive:');
    for (const [name, ms] of top(inclusive, 30)) console.log(row(ms, name));
  }

  const sums = new Map<string, number>();
  for (const e of events) if (e.ph === 'X' && nameOf(e) === 'CrRendererMain') sums.set(e.name, (sums.get(e.name) ?? 0) + (e.dur ?? 0) / 1000);
  console.log('\n== page trace events (total, nested ones counted in their parents too):');
  for (const [name, ms] of top(sums, 20)) console.log(row(ms, name));

  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    if (e.ph !== 'X' || e.name !== 'ThreadControllerImpl::RunTask') continue;
    const name = nameOf(e);
    if (name === 'CrRendererMain' || name.startsWith('DedicatedWorker')) byThread.set(name, [...(byThread.get(name) ?? []), e]);
  }
  for (const [name, tasks] of byThread) {
    tasks.sort((a, b) => a.ts - b.ts);
    const busy = tasks.reduce((n, t) => n + (t.dur ?? 0), 0) / 1000;
    const span = (tasks.at(-1)!.ts + (tasks.at(-1)!.dur ?? 0) - tasks[0].ts) / 1000;
    const gaps = tasks.slice(1).map((t, i) => (t.ts - tasks[i].ts - (tasks[i].dur ?? 0)) / 1000).filter((g) => g > 5);
    const long = tasks.filter((t) => (t.dur ?? 0) > 50_000).map((t) => (t.dur ?? 0) / 1000);
    console.log(`\n== ${name}: tasks span ${span.toFixed(0)} ms, busy ${busy.toFixed(0)} ms; idle gaps over 5 ms: ${gaps.length}, ${gaps.reduce((a, b) => a + b, 0).toFixed(0)} ms`);
    console.log(`  tasks over 50 ms: ${long.length}, ${long.reduce((a, b) => a + b, 0).toFixed(0)} ms, longest ${long.sort((a, b) => b - a).slice(0, 8).map((d) => d.toFixed(0)).join(', ')} ms`);
  }
}

async function main(): Promise<void> {
  const mode = (process.argv[2] ?? 'folder') as Mode;
  if (!['folder', 'small', 'reload'].includes(mode)) throw new Error(`unknown mode ${mode}: folder, small or reload`);
  const count = Number(process.argv[3] ?? (mode === 'small' ? 300 : 12));
  const dir = mkdtempSync(join(tmpdir(), 'gradlens-profile-'));
  const paths = makeFiles(dir, mode, count);
  const preview = process.env.PROFILE_OUT ? await previewOf(process.env.PROFILE_OUT) : await startPreview();
  const browser = await launchBrowser();
  try {
    // The built app's CSP forbids eval; the in-page conditions below are compiled with Function.
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(`${preview.url}?run=`);
    await page.locator('[data-testid="app"][data-ready="true"]').waitFor();
    const listed = `document.querySelectorAll('[data-testid="run-item"]').length >= ${count} && !document.querySelector('[data-testid="load-job"], [data-testid="load-waiting"]')`;
    const saved = () => page.locator('[data-testid="app"][data-saved="true"]').waitFor({ timeout: 600_000 });
    if (mode === 'reload') {
      await page.getByLabel('Load gradient statistics', { exact: true }).setInputFiles(paths);
      await page.waitForFunction(listed, null, { timeout: 600_000, polling: 200 });
      await saved();
    }
    await browser.startTracing(page, {
      categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'disabled-by-default-v8.cpu_profiler', 'toplevel', 'blink', 'IndexedDB'],
    });
    const t0 = Date.now();
    if (mode === 'reload') {
      await page.reload();
      await page.waitForFunction(`${listed} && !!document.querySelector('[data-testid="curve"]')`, null, { timeout: 600_000, polling: 50 });
      console.log(`reload → ${count} runs listed and a curve drawn: ${Date.now() - t0} ms (as the driver saw it)`);
    } else {
      const label = mode === 'folder' ? 'Load a folder of statistics files' : 'Load gradient statistics';
      await page.getByLabel(label, { exact: true }).setInputFiles(mode === 'folder' ? join(dir, 'grads_exp') : paths);
      await page.waitForFunction(listed, null, { timeout: 600_000, polling: 50 });
      console.log(`${count} files chosen → all listed: ${Date.now() - t0} ms`);
      await saved();
      console.log(`  all saved: ${Date.now() - t0} ms`);
    }
    const raw = String(await browser.stopTracing());
    if (process.env.PROFILE_TRACE) writeFileSync(process.env.PROFILE_TRACE, raw);
    report((JSON.parse(raw) as { traceEvents: TraceEvent[] }).traceEvents);
    await context.close();
  } finally {
    await browser.close();
    await preview.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
