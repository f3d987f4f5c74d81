import { describe, expect, it } from 'vitest';
import type { Run } from '../../../src/core/format/run.ts';
import type { ParseService } from '../../../src/lib/loading/parsePool.ts';
import { AppState, DEMO_REMOVED_FLAG } from '../../../src/lib/state/AppState.svelte.ts';
import { RUN_PALETTE } from '../../../src/lib/state/palette.ts';
import { memoryRunStore, type RunStore } from '../../../src/storage/runStore.ts';
import { parseHandler, type StoreOutcome } from '../../../src/workers/parseHandler.ts';
import { statsFile, statsLine } from './statsLines.ts';

const DEMO = [
  'cot_demo_wrong_answer_shuffle/tiny/grads_arith_no_cot.jsonl',
  'cot_demo/tiny/grads_arith_with_cot_gpt4o.jsonl',
  'cot_demo/tiny/grads_arith_no_cot.jsonl',
  'cot_demo/tiny/grads_arith_with_cot.jsonl',
];

/** The real handler, in-process; URLs are served from `served`. */
function handlerParser(served: Record<string, string>): ParseService {
  return {
    parse(request, onProgress) {
      const source = request.source;
      if (source.kind === 'url') {
        const text = served[source.url];
        if (text === undefined) return Promise.resolve({ ok: false, cancelled: false, message: 'HTTP 404', line: null });
        return parseHandler.parse({ ...request, source: { kind: 'blob', blob: new Blob([text]) } }, onProgress);
      }
      return parseHandler.parse(request, onProgress);
    },
    cancel: parseHandler.cancel,
    stored: parseHandler.stored,
    saveNow: parseHandler.saveNow,
  };
}

function makeApp(store: RunStore = memoryRunStore(), served: Record<string, string> = {}, fetched: string[] = []) {
  const demoServed = Object.fromEntries(DEMO.map((ref) => [`demo:${ref}`, statsFile(3, 4)]));
  const parser = handlerParser({ ...demoServed, ...served });
  return new AppState({
    parser: {
      ...parser,
      parse(request, onProgress) {
        if (request.source.kind === 'url') fetched.push(request.source.url);
        return parser.parse(request, onProgress);
      },
    },
    store,
    demo: async () => DEMO.map((ref) => ({ ref, url: `demo:${ref}` })),
    origin: 'https://data.test',
  });
}

/** An app on the real handler that records whether each parse asked the worker to save, and answers the save as told (default: as the handler did). */
function appAskingWorker(store: RunStore, outcome?: StoreOutcome) {
  const asked: boolean[] = [];
  const parser = handlerParser({});
  const app = new AppState({
    parser: {
      parse: async (request, onProgress) => {
        asked.push(request.save !== undefined);
        return parser.parse(request, onProgress);
      },
      cancel: parser.cancel,
      stored: async (runId) => outcome ?? parser.stored(runId),
      saveNow: parser.saveNow,
    },
    store,
    demo: async () => [],
  });
  return { app, asked };
}

const file = (path: string, text: string) => ({ file: new File([text], path.split('/').pop()!), path });
const refs = (app: AppState) => app.entries.map((e) => e.source.ref);

describe('AppState', () => {
  it('opens on the demo when nothing is saved or asked for, laid out as the study does', async () => {
    const app = makeApp();
    await app.start('');
    expect(refs(app)).toEqual([
      'cot_demo/tiny/grads_arith_no_cot.jsonl',
      'cot_demo/tiny/grads_arith_with_cot.jsonl',
      'cot_demo/tiny/grads_arith_with_cot_gpt4o.jsonl',
      'cot_demo_wrong_answer_shuffle/tiny/grads_arith_no_cot.jsonl',
    ]);
    expect(app.entries.every((e) => e.source.kind === 'demo')).toBe(true);
    expect(app.entries.map((e) => e.color)).toEqual(RUN_PALETTE.slice(0, 4));
    expect(new Set(app.entries.map((e) => e.label)).size).toBe(4);
    expect(app.ready).toBe(true);
    expect(app.jobs).toEqual([]);
  });

  it('loads ?src URLs instead of the demo, and keeps them in the URL', async () => {
    const url = 'https://data.test/cot_500/llama3_8b/grads_gsm8k_train_no_cot.jsonl';
    const app = makeApp(memoryRunStore(), { [url]: statsFile(2, 3) });
    await app.start(`?src=${encodeURIComponent(url)}&view=overlay`);
    expect(refs(app)).toEqual([url]);
    expect(app.settings.view).toBe('overlay');
    expect(new URLSearchParams(app.urlSearch).getAll('src')).toEqual([url]);
  });

  it('asks before fetching ?src URLs of other https sites, and never fetches plain http ones elsewhere', async () => {
    const other = 'https://elsewhere.test/grads_x_no_cot.jsonl';
    const local = 'http://127.0.0.1:8080/grads_y_no_cot.jsonl';
    const fetched: string[] = [];
    const app = makeApp(memoryRunStore(), { [other]: statsFile(2, 3), [local]: statsFile(2, 3) }, fetched);
    await app.start(`?src=${encodeURIComponent(other)}&src=${encodeURIComponent(local)}`);
    expect(fetched).toEqual([]);
    expect(app.askSources).toEqual([other]);
    expect(new URLSearchParams(app.urlSearch).getAll('src')).toEqual([other]);
    expect(app.problems.map((p) => [p.file, p.fatal?.message])).toEqual([[local, 'Not fetched: only this site’s own files or https URLs are fetched']]);
    await app.answerSources(true);
    expect(fetched).toEqual([other]);
    expect(refs(app)).toEqual([other]);
    expect(app.askSources).toEqual([]);
  });

  it('fetches nothing when the user declines other sites’ ?src URLs', async () => {
    const other = 'https://elsewhere.test/grads_x_no_cot.jsonl';
    const fetched: string[] = [];
    const app = makeApp(memoryRunStore(), { [other]: statsFile(2, 3) }, fetched);
    await app.start(`?src=${encodeURIComponent(other)}`);
    await app.answerSources(false);
    expect(fetched).toEqual([]);
    expect(refs(app)).toEqual([]);
  });

  it('names the runs a full store could not keep, with the reason, and keeps them loaded', async () => {
    const store = memoryRunStore({ quotaBytes: 2000 });
    const app = makeApp(store);
    await app.start('?run=');
    await app.loadFiles([file('small.jsonl', statsFile(2, 2)), file('big.jsonl', statsFile(40, 8))]);
    await app.flushed();
    expect(refs(app).sort()).toEqual(['big.jsonl', 'small.jsonl']);
    expect(app.unsaved.map((u) => u.name)).toEqual([app.entries.find((e) => e.source.ref === 'big.jsonl')!.label]);
    expect(app.unsaved[0].reason).toMatch(/storage for this site is full/);
    expect(app.unsaved[0].quota).toBe(true);
    expect((await store.loadAll()).saved.map((s) => s.entry.source.ref)).toEqual(['small.jsonl']);
    // Removing the unsaved run clears its notice.
    app.remove(app.entries.find((e) => e.source.ref === 'big.jsonl')!.run.id);
    expect(app.unsaved).toEqual([]);
  });

  it('does not bring back a run removed while its save was still under way', async () => {
    let release: () => void = () => {};
    const inner = memoryRunStore();
    const store: RunStore = {
      ...inner,
      async putRuns(items) {
        await new Promise<void>((r) => (release = r));
        await inner.putRuns(items);
      },
    };
    const app = makeApp(store);
    await app.start('?run=');
    await app.loadFiles([file('mine.jsonl', statsFile(2, 2))]);
    app.remove(app.entries[0].run.id);
    release();
    await app.flushed();
    expect(await inner.loadAll()).toEqual({ saved: [], orphans: [] });
  });

  it('offers runs stored without an entry at start, and shows them when asked', async () => {
    const store = memoryRunStore();
    const first = makeApp(store);
    await first.start('?run=');
    await first.loadFiles([file('a.jsonl', statsFile(2, 2)), file('b.jsonl', statsFile(2, 2))]);
    await first.flushed();
    const lost = first.entries.find((e) => e.source.ref === 'b.jsonl')!.run;
    // An entry lost the way version 1 lost them: the run stays, its entry does not.
    const { saved } = await store.loadAll();
    await store.remove([lost.id]);
    await store.putRuns([{ run: lost, entry: saved.find((s) => s.run.id === lost.id)!.entry }]);
    const withoutEntry: RunStore = { ...store, loadAll: async () => ({ saved: saved.filter((s) => s.run.id !== lost.id), orphans: [{ kind: 'run', run: lost }] }) };
    const second = makeApp(withoutEntry);
    await second.start('');
    expect(refs(second)).toEqual(['a.jsonl']);
    expect(second.orphans).toHaveLength(1);
    second.recoverOrphans();
    expect(refs(second).sort()).toEqual(['a.jsonl', 'b.jsonl']);
    expect(second.orphans).toEqual([]);
  });

  it('lists saved runs a few per drawn frame at start, in their saved order, and makes the tables once after the last', async () => {
    const store = memoryRunStore();
    const first = makeApp(store, {}, []);
    await first.start('?run=');
    await first.loadFiles(Array.from({ length: 10 }, (_, i) => file(`run${i}.jsonl`, statsFile(2, 2))));
    await first.flushed();
    const saved = refs(first);
    expect(saved).toHaveLength(10);

    const second = makeApp(store);
    const seen: { listed: number; loading: boolean }[] = [];
    let started = false;
    const starting = second.start('').then(() => (started = true));
    while (!started) {
      const last = seen.at(-1);
      if (last?.listed !== second.entries.length) seen.push({ listed: second.entries.length, loading: second.loading });
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    await starting;
    seen.push({ listed: second.entries.length, loading: second.loading });
    expect(refs(second)).toEqual(saved);
    const steps = seen.map((s) => s.listed).filter((n) => n > 0);
    expect(steps.length).toBeGreaterThan(2);
    for (let i = 1; i < steps.length; i++) expect(steps[i] - steps[i - 1]).toBeLessThanOrEqual(4);
    // Tables wait for `loading` to end: it holds until the last run is listed.
    expect(seen.filter((s) => s.listed > 0 && s.listed < 10).every((s) => s.loading)).toBe(true);
    expect(second.loading).toBe(false);
  });

  it('keeps runs and the user’s choices across a restart, and does not bring back a removed demo', async () => {
    const store = memoryRunStore();
    const first = makeApp(store);
    await first.start('');
    await first.loadFiles([file('mine.jsonl', statsFile(2, 2))]);
    const mine = first.entries.find((e) => e.source.ref === 'mine.jsonl')!;
    first.rename(mine.run.id, 'My run');
    first.recolor(mine.run.id, '#123456');
    for (const e of first.entries.filter((x) => x.source.kind === 'demo')) first.remove(e.run.id);
    first.setHidden(mine.run.id, true);
    await first.flushed();
    expect(first.pendingWrites).toBe(0);
    expect(await store.getFlag(DEMO_REMOVED_FLAG)).toBe(true);

    const second = makeApp(store);
    await second.start('');
    expect(second.entries.map((e) => [e.label, e.color, e.hidden, e.run.sampleCount])).toEqual([['My run', '#123456', true, 2]]);
    expect(second.entries[0].run.values).toBeInstanceOf(Map);
  });

  it('leaves saving to the parse worker when the store is shared with workers, and saves itself when the worker could not', async () => {
    for (const workerSaved of [true, false]) {
      const putRuns: string[] = [];
      const store: RunStore = { ...memoryRunStore(), sharedWithWorkers: true, putRuns: async (items) => void putRuns.push(...items.map((i) => i.run.name)) };
      const { app, asked } = appAskingWorker(store, workerSaved ? { ok: true } : { ok: false, message: 'no IndexedDB here', quota: false, retry: true });
      await app.start('');
      await app.loadFiles([file('mine.jsonl', statsFile(2, 2))]);
      await app.flushed();
      expect(asked).toEqual([true]);
      expect(putRuns).toEqual(workerSaved ? [] : ['mine.jsonl']);
      expect(app.entries.map((e) => e.source.ref)).toEqual(['mine.jsonl']);
    }
  });

  it('asks no worker to save when the store lives in the page (memory)', async () => {
    const store = memoryRunStore();
    const { app, asked } = appAskingWorker(store);
    await app.start('');
    await app.loadFiles([file('mine.jsonl', statsFile(2, 2))]);
    await app.flushed();
    expect(asked).toEqual([false]);
    expect((await store.loadAll()).saved.map((e) => e.run.name)).toEqual(['mine.jsonl']);
  });

  it('brings the demo back when the user asks for it', async () => {
    const store = memoryRunStore();
    await store.setFlag(DEMO_REMOVED_FLAG, true);
    const app = makeApp(store);
    await app.start('');
    expect(app.entries).toEqual([]);
    await app.loadDemo();
    expect(app.entries).toHaveLength(DEMO.length);
  });

  it('lists skipped lines per file with their line numbers, and a failing file leaves loaded runs alone', async () => {
    const app = makeApp();
    await app.start('?run=');
    const before = app.entries;
    await app.loadFiles([
      file('bad-lines.jsonl', [statsLine(0, 2), '{oops', statsLine(1, 2), 'NaN garbage'].join('\n')),
      file('empty.jsonl', '\n\n'),
    ]);
    expect(app.entries.slice(0, before.length)).toEqual(before);
    expect(refs(app)).toContain('bad-lines.jsonl');
    expect(refs(app)).not.toContain('empty.jsonl');
    const bad = app.problems.find((p) => p.file === 'bad-lines.jsonl')!;
    expect(bad.skipped.map((s) => s.line)).toEqual([2, 4]);
    expect(bad.fatal).toBeNull();
    expect(app.problems.find((p) => p.file === 'empty.jsonl')!.fatal).not.toBeNull();
    expect(app.problemCount).toBe(3);
  });

  it('replaces a file loaded again, keeping its label and color', async () => {
    const app = makeApp();
    await app.start('?run=');
    await app.loadFiles([file('a.jsonl', statsFile(1, 2))]);
    app.rename(app.entries[0].run.id, 'Kept');
    await app.loadFiles([file('a.jsonl', statsFile(3, 2))]);
    expect(app.entries.map((e) => [e.label, e.run.sampleCount])).toEqual([['Kept', 3]]);
  });

  it('writes the visible runs and the reference into the URL by ref, and reads them back', async () => {
    const store = memoryRunStore();
    const app = makeApp(store);
    await app.start('');
    const [a, b] = app.entries;
    app.setHidden(b.run.id, true);
    app.settings.reference = a.run.id;
    app.settings.yScale = 'log';
    const search = app.urlSearch;
    const q = new URLSearchParams(search);
    expect(q.get('y')).toBe('log');
    expect(q.get('ref')).toBe(a.source.ref);
    expect(q.getAll('run')).not.toContain(b.source.ref);
    expect(search).not.toContain(a.run.id);

    const other = makeApp(memoryRunStore());
    await other.start(search);
    expect(other.entries.filter((e) => !e.hidden).map((e) => e.source.ref)).toEqual(q.getAll('run'));
    expect(other.entries.find((e) => e.run.id === other.settings.reference)?.source.ref).toBe(a.source.ref);
    expect(other.settings.yScale).toBe('log');
  });

  it('takes live runs through addRun and updateRun', async () => {
    const app = makeApp();
    await app.start('?run=');
    const parsed = await parseHandler.parse({ jobId: 'j', source: { kind: 'blob', blob: new Blob([statsFile(1, 2)]) }, file: 'live', runId: 'live-1' });
    if (!parsed.ok) throw new Error(parsed.message);
    const id = app.addRun(parsed.run, { kind: 'compute', ref: 'live' });
    expect(id).toBe('live-1');
    const grown: Run = { ...parsed.run, sampleCount: 2 };
    app.updateRun(id, grown);
    expect(app.entries.find((e) => e.run.id === id)!.run.sampleCount).toBe(2);
  });

  it('forgets a cancelled file: no run, no problem, no job', async () => {
    const app = makeApp();
    await app.start('?run=');
    const big = statsFile(400, 8);
    const loading = app.loadFiles([file('big.jsonl', big)]);
    expect(app.jobs.map((j) => j.file)).toEqual(['big.jsonl']);
    for (const job of app.jobs) app.cancel(job.id);
    await loading;
    expect(refs(app)).not.toContain('big.jsonl');
    expect(app.problems).toEqual([]);
    expect(app.jobs).toEqual([]);
  });

  it('names the runs a link shows that are not loaded here, until their files are dropped', async () => {
    const app = makeApp();
    await app.start('?run=theirs.jsonl&run=cot_demo/tiny/grads_arith_no_cot.jsonl');
    expect(refs(app)).toEqual(['cot_demo/tiny/grads_arith_no_cot.jsonl']);
    expect(app.missingRefs).toEqual(['theirs.jsonl']);
    await app.loadFiles([file('theirs.jsonl', statsFile(1, 2))]);
    expect(app.missingRefs).toEqual([]);
    expect(app.visibleEntries.map((e) => e.source.ref)).toContain('theirs.jsonl');
  });
});
