/**
 * The app's state, one instance shared through a typed context: the loaded runs as the
 * user shows them (entries), the view settings, files being read, problems per file.
 * Large data (runs, lists of entries) sits in `$state.raw` and is replaced, never
 * mutated, so views re-derive only when a run really changes.
 */
import { getContext, setContext } from 'svelte';
import type { Run } from '../../core/format/run.ts';
import { describeRun } from '../../core/format/runPath.ts';
import type { DemoFile } from '../loading/demo.ts';
import type { PathedFile } from '../loading/collectFiles.ts';
import type { ParseService } from '../loading/parsePool.ts';
import type { ParseProgress, ParseSource } from '../../workers/parseHandler.ts';
import type { FileProblem, LoadJob } from './loadTypes.ts';
import { insertionIndex } from './order.ts';
import { assignRunColors, nextRunColor } from './palette.ts';
import type { RunStore } from './persist.ts';
import { DEFAULT_VIEW, type RunEntry, type ViewSettings } from './types.ts';
import { readUrlState, writeUrlState } from './urlState.ts';

/** What AppState is built from; tests pass an in-memory store and the handler itself. */
export interface AppDeps {
  parser: ParseService;
  store: RunStore;
  demo: () => Promise<DemoFile[]>;
}

/** Flag set once the user removes a demo run, so the demo is not added again. */
export const DEMO_REMOVED_FLAG = 'demoRemoved';

let nextId = 0;
function uniqueId(prefix: string): string {
  const random = globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  return `${prefix}-${random}-${nextId++}`;
}

/** Shared state of the gradlens app. */
export class AppState {
  /** Loaded runs in display order (replaced, never mutated). */
  entries = $state.raw<RunEntry[]>([]);
  /** The view on screen; Workspace binds to it. */
  settings = $state<ViewSettings>({ ...DEFAULT_VIEW });
  jobs = $state.raw<LoadJob[]>([]);
  problems = $state.raw<FileProblem[]>([]);
  /** Run id highlighted in the run list, or null. */
  selectedId = $state<string | null>(null);
  /** True once persisted runs, `?src` URLs and the demo have been dealt with. */
  ready = $state(false);
  /** Writes to storage not finished yet (0 = everything on screen survives a reload). */
  pendingWrites = $state(0);
  storageError = $state<string | null>(null);
  /** Runs a shared link shows that are not loaded here (dropped files elsewhere); loading one clears it. */
  missingRefs = $state.raw<string[]>([]);

  /** Visible runs in display order: what the views draw. */
  visibleEntries = $derived(this.entries.filter((e) => !e.hidden));
  problemCount = $derived(this.problems.reduce((n, p) => n + (p.fatal ? 1 : 0) + p.skipped.length, 0));
  /** The URL query for what is on screen. */
  urlSearch = $derived(
    writeUrlState({
      settings: this.settings,
      reference: this.entries.find((e) => e.run.id === this.settings.reference)?.source.ref ?? null,
      runs: this.entries.length ? this.visibleEntries.map((e) => e.source.ref) : null,
      src: this.entries.filter((e) => e.source.kind === 'url').map((e) => e.source.ref),
    }),
  );

  #deps: AppDeps;
  #writes: Promise<void> = Promise.resolve();
  #computeTimers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(deps: AppDeps) {
    this.#deps = deps;
  }

  /**
   * Restores persisted runs, applies the URL (settings, visible runs), loads `?src`
   * URLs, and, on a first open with nothing else to show, the demo.
   */
  async start(search: string): Promise<void> {
    const url = readUrlState(search);
    this.settings = url.settings;
    try {
      const restored = await this.#deps.store.loadAll();
      this.entries = [...restored, ...this.entries.filter((e) => !restored.some((r) => r.run.id === e.run.id))];
    } catch (error) {
      this.storageError = `Could not read saved runs: ${String(error)}`;
    }
    const have = new Set(this.entries.map((e) => e.source.ref));
    const loads: Promise<unknown>[] = url.src.filter((src) => !have.has(src)).map((src) => this.loadUrl(src, src, 'url'));

    const demo = (await this.#deps.demo().catch(() => [])).filter((f) => !have.has(f.ref));
    const named = url.runs ? demo.filter((f) => url.runs!.includes(f.ref)) : [];
    const firstOpen = this.entries.length === 0 && url.src.length === 0 && url.runs === null;
    const demoRemoved = firstOpen ? await this.#deps.store.getFlag(DEMO_REMOVED_FLAG).catch(() => false) : true;
    const demoToLoad = named.length ? named : firstOpen && !demoRemoved ? demo : [];
    loads.push(...demoToLoad.map((f) => this.loadUrl(f.url, f.ref, 'demo')));
    await this.#batch(loads);

    if (url.runs) {
      const shown = new Set(url.runs);
      this.#setEntries(this.entries.map((e) => ({ ...e, hidden: !shown.has(e.source.ref) })));
      const loaded = new Set(this.entries.map((e) => e.source.ref));
      this.missingRefs = url.runs.filter((r) => !loaded.has(r));
    }
    this.settings.reference = this.entries.find((e) => e.source.ref === url.reference)?.run.id ?? null;
    this.ready = true;
  }

  /** Adds a run (or replaces the one with the same id, or the same file/URL); returns its id. `persisted`: the run is in the store already. */
  addRun(run: Run, source: RunEntry['source'], { persisted = false }: { persisted?: boolean } = {}): string {
    if (this.missingRefs.includes(source.ref)) this.missingRefs = this.missingRefs.filter((r) => r !== source.ref);
    const same = this.entries.findIndex(
      (e) => e.run.id === run.id || (source.kind !== 'compute' && e.source.kind === source.kind && e.source.ref === source.ref),
    );
    if (same >= 0) {
      const old = this.entries[same];
      const next = this.entries.slice();
      next[same] = { ...old, run, source };
      if (old.run.id !== run.id) {
        this.#write(() => this.#deps.store.remove(old.run.id));
        if (this.selectedId === old.run.id) this.selectedId = run.id;
        if (this.settings.reference === old.run.id) this.settings.reference = run.id;
      }
      if (!persisted) this.#write(() => this.#deps.store.putRun(run));
      this.#setEntries(next);
      return run.id;
    }
    const entry: RunEntry = {
      run,
      label: describeRun(run.meta, run.name),
      color: nextRunColor(this.entries.map((e) => e.color)),
      hidden: false,
      source,
    };
    const at = insertionIndex(
      this.entries.map((e) => e.run.meta),
      run.meta,
    );
    if (!persisted) this.#write(() => this.#deps.store.putRun(run));
    this.#setEntries([...this.entries.slice(0, at), entry, ...this.entries.slice(at)]);
    return run.id;
  }

  /** Replaces the run of entry `id` (live computation streams in this way); saved at most every second. */
  updateRun(id: string, run: Run): void {
    const i = this.entries.findIndex((e) => e.run.id === id);
    if (i < 0) return;
    const next = this.entries.slice();
    const updated = run.id === id ? run : { ...run, id };
    next[i] = { ...next[i], run: updated };
    this.entries = next;
    clearTimeout(this.#computeTimers.get(id));
    this.#computeTimers.set(
      id,
      setTimeout(() => {
        this.#computeTimers.delete(id);
        const current = this.entries.find((e) => e.run.id === id);
        if (current) this.#write(() => this.#deps.store.putRun(current.run));
      }, 1000),
    );
  }

  rename(id: string, label: string): void {
    this.#patch(id, { label });
  }

  recolor(id: string, color: string): void {
    this.#patch(id, { color });
  }

  setHidden(id: string, hidden: boolean): void {
    this.#patch(id, { hidden });
  }

  /** Removes a run for good (also from storage); removing a demo run stops the demo coming back. */
  remove(id: string): void {
    const entry = this.entries.find((e) => e.run.id === id);
    if (!entry) return;
    clearTimeout(this.#computeTimers.get(id));
    this.#setEntries(this.entries.filter((e) => e !== entry));
    this.#write(() => this.#deps.store.remove(id));
    if (entry.source.kind === 'demo') this.#write(() => this.#deps.store.setFlag(DEMO_REMOVED_FLAG, true));
    if (this.selectedId === id) this.selectedId = null;
    if (this.settings.reference === id) this.settings.reference = null;
    this.problems = this.problems.filter((p) => p.file !== entry.run.file);
  }

  /** Reads files (from a picker or a drop) in the worker, all at once. */
  loadFiles(files: readonly PathedFile[]): Promise<void> {
    return this.#batch(files.map((f) => this.#load({ kind: 'blob', blob: f.file }, f.path, { kind: 'file', ref: f.path }, f.file.size)));
  }

  /** Fetches and reads a URL in the worker; `ref` names the run in links (the URL itself, or a demo path). */
  loadUrl(url: string, ref: string, kind: 'url' | 'demo'): Promise<void> {
    return this.#load({ kind: 'url', url }, ref, { kind, ref }, null);
  }

  /** Loads the demo runs not already loaded (the user asked for them: the demo may come back). */
  async loadDemo(): Promise<void> {
    this.#write(() => this.#deps.store.setFlag(DEMO_REMOVED_FLAG, false));
    const have = new Set(this.entries.map((e) => e.source.ref));
    const files = (await this.#deps.demo()).filter((f) => !have.has(f.ref));
    await this.#batch(files.map((f) => this.loadUrl(f.url, f.ref, 'demo')));
  }

  /** Stops reading a file; nothing of it is kept. */
  cancel(jobId: string): void {
    this.#deps.parser.cancel(jobId);
  }

  clearProblems(): void {
    this.problems = [];
  }

  /** Resolves when every write issued so far has reached storage. */
  flushed(): Promise<void> {
    return this.#writes;
  }

  async #load(source: ParseSource, file: string, origin: RunEntry['source'], totalBytes: number | null): Promise<void> {
    const jobId = uniqueId('job');
    this.jobs = [...this.jobs, { id: jobId, file, bytes: 0, totalBytes, samples: 0, skipped: 0 }];
    const onProgress = (p: ParseProgress) => {
      this.jobs = this.jobs.map((j) => (j.id === jobId ? { ...j, ...p, totalBytes: p.totalBytes ?? j.totalBytes } : j));
    };
    try {
      const persist = this.#deps.store.sharedWithWorkers;
      const result = await this.#deps.parser.parse({ jobId, source, file, runId: uniqueId('run'), persist }, onProgress);
      if (result.ok) {
        this.addRun(result.run, origin, { persisted: result.persisted });
        this.#setProblem({ file, fatal: null, skipped: result.run.skipped });
      } else if (!result.cancelled) {
        this.#setProblem({ file, fatal: { message: result.message, line: result.line }, skipped: [] });
      }
    } catch (error) {
      this.#setProblem({ file, fatal: { message: String(error), line: null }, skipped: [] });
    } finally {
      this.jobs = this.jobs.filter((j) => j.id !== jobId);
    }
  }

  /**
   * Waits for loads started together, then gives the runs they added palette colors in
   * list order: files finish in any order, and the same files should get the same colors.
   */
  async #batch(loads: Promise<unknown>[]): Promise<void> {
    const before = new Set(this.entries.map((e) => e.run.id));
    await Promise.all(loads);
    const added = this.entries.filter((e) => !before.has(e.run.id));
    if (added.length < 2) return;
    const fresh = assignRunColors(
      this.entries.filter((e) => before.has(e.run.id)).map((e) => e.color),
      added.length,
    );
    const colors = new Map(added.map((e, i) => [e.run.id, fresh[i]]));
    this.#setEntries(this.entries.map((e) => (colors.has(e.run.id) ? { ...e, color: colors.get(e.run.id)! } : e)));
  }

  #setProblem(problem: FileProblem): void {
    const others = this.problems.filter((p) => p.file !== problem.file);
    this.problems = problem.fatal || problem.skipped.length ? [...others, problem] : others;
  }

  #patch(id: string, change: Partial<Pick<RunEntry, 'label' | 'color' | 'hidden'>>): void {
    this.#setEntries(this.entries.map((e) => (e.run.id === id ? { ...e, ...change } : e)));
  }

  /** Replaces the entries and saves the display choices. */
  #setEntries(entries: RunEntry[]): void {
    this.entries = entries;
    this.#write(() => this.#deps.store.putEntries(entries));
  }

  /** Queues a storage write; writes run in order, a failure is reported, not thrown. */
  #write(task: () => Promise<void>): void {
    this.pendingWrites++;
    this.#writes = this.#writes
      // Storing clones the run on this thread; a task boundary first lets the new chart paint.
      .then(() => new Promise((resolve) => setTimeout(resolve, 0)))
      .then(task)
      .catch((error: unknown) => {
        this.storageError = `Could not save: ${error instanceof Error ? error.message : String(error)}`;
      })
      .finally(() => {
        this.pendingWrites--;
      });
  }
}

/** The context key AppState is shared under (exported for component tests). */
export const APP_STATE_KEY = Symbol('gradlens.app');

/** Makes `app` available to every component below the caller. */
export function setAppState(app: AppState): AppState {
  return setContext(APP_STATE_KEY, app);
}

/** The AppState set by an ancestor (App.svelte); throws outside one. */
export function getAppState(): AppState {
  const app = getContext<AppState | undefined>(APP_STATE_KEY);
  if (!app) throw new Error('getAppState() called outside <App>');
  return app;
}
