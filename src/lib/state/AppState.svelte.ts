/**
 * The app's state, one instance shared through a typed context: the loaded runs as the
 * user shows them (entries), the view settings, files being read, problems per file.
 * Large data (runs, lists of entries) sits in `$state.raw` and is replaced, never
 * mutated, so views re-derive only when a run really changes.
 */
import { getContext, setContext } from 'svelte';
import type { Run } from '../../core/format/run.ts';
import { describeRun, parseRunPath } from '../../core/format/runPath.ts';
import type { DemoFile } from '../loading/demo.ts';
import type { PathedFile } from '../loading/collectFiles.ts';
import type { ParseService } from '../loading/parsePool.ts';
import type { ParseProgress, ParseResult, ParseSource, StoreOutcome } from '../../workers/parseHandler.ts';
import type { Orphan, RunStore, StoredEntry } from '../../storage/runStore.ts';
import type { FileProblem, LoadJob } from './loadTypes.ts';
import { admits, facetKey, parseFacetKey } from './facets.ts';
import { insertionIndex } from './order.ts';
import { assignRunColors, nextRunColor } from './palette.ts';
import { RunSaver } from './runSaver.svelte.ts';
import { sortSourceUrls } from '../loading/sourceUrls.ts';
import { DEFAULT_VIEW, type RunEntry, type ViewSettings } from './types.ts';
import { readUrlState, writeUrlState } from './urlState.ts';

/** What AppState is built from; tests pass an in-memory store and the handler itself. */
export interface AppDeps {
  parser: ParseService;
  store: RunStore;
  demo: () => Promise<DemoFile[]>;
  /** The page's origin, for telling its own `?src=` URLs from other sites' (default: location.origin). */
  origin?: string;
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
  /** Runs emphasized in every view (hovered in the run list or a figure's key), or null. */
  highlight = $state.raw<readonly string[] | null>(null);
  /** The run whose line is under the pointer in a figure, or null (its run list row lights up). */
  pointed = $state<string | null>(null);
  /**
   * True from a load's start until every load under way has its run listed and drawn:
   * comparisons and the workers' saves wait for it, so they do not take the cores from
   * the parse workers and the page.
   */
  loading = $state(false);
  /** True once persisted runs, `?src` URLs and the demo have been dealt with. */
  ready = $state(false);
  /** Why saved runs could not be read at start, or null. */
  storageError = $state<string | null>(null);
  /** `?src=` URLs on other sites waiting for the user's yes before anything is fetched. */
  askSources = $state.raw<string[]>([]);
  /** Runs or entries found in storage without their pair at start, until recovered or discarded. */
  orphans = $state.raw<Orphan[]>([]);
  /** Runs a shared link shows that are not loaded here (dropped files elsewhere); loading one clears it. */
  missingRefs = $state.raw<string[]>([]);

  /** The facets as one primitive, so the visible runs re-derive only when the facets change. */
  #facets = $derived(facetKey(this.settings.hidden, this.settings.filter));
  /** Visible runs in display order (shown, and let through by the facets): what the views draw. */
  visibleEntries = $derived.by(() => {
    const { hidden, filter } = parseFacetKey(this.#facets);
    return this.entries.filter((e) => !e.hidden && admits(e, hidden, filter));
  });
  problemCount = $derived(this.problems.reduce((n, p) => n + (p.fatal ? 1 : 0) + p.skipped.length, 0));
  /** The URL query for what is on screen. */
  urlSearch = $derived(
    writeUrlState({
      settings: this.settings,
      reference: this.entries.find((e) => e.run.id === this.settings.reference)?.source.ref ?? null,
      runs: this.entries.length ? this.entries.filter((e) => !e.hidden).map((e) => e.source.ref) : null,
      src: [...this.entries.filter((e) => e.source.kind === 'url').map((e) => e.source.ref), ...this.askSources],
    }),
  );

  #deps: AppDeps;
  #saver: RunSaver;
  #computeTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Finished loads waiting to be added to the list together (see #arrive). */
  #arrivals: { jobId: string; apply: () => void; resolve: () => void }[] = [];
  /** Jobs the user cancelled: whatever they still return is dropped. */
  #cancelled = new Set<string>();
  #arrivalTimer: ReturnType<typeof setTimeout> | null = null;
  /** When the list may change next (see #arrive). */
  #nextArrival = -Infinity;
  /** True from a change of the list until the page has drawn it (see #arrive). */
  #drawing = false;
  /** Loads started whose outcome has not arrived yet. */
  #reading = 0;
  /** The list being built while finished loads are applied together (see #arrive), else null. */
  #building: RunEntry[] | null = null;
  /** Progress reports not shown yet, by job id: shown together once a frame (see #progress). */
  #progressDue = new Map<string, ParseProgress>();
  /** Texts read for restored runs, by run id, oldest first (see withTexts). */
  #texts = new Map<string, { run: Run; withTexts: Promise<Run> }>();

  constructor(deps: AppDeps) {
    this.#deps = deps;
    this.#saver = new RunSaver(deps.store);
  }

  /**
   * `run` with its sample texts: the run itself when they are in memory, else a copy with
   * the texts read from storage (a restored run holds only its numbers until a sample is
   * opened). The last few runs' texts are kept.
   */
  withTexts(run: Run): Run | Promise<Run> {
    if (run.texts) return run;
    const cached = this.#texts.get(run.id);
    if (cached?.run === run) return cached.withTexts;
    const withTexts = this.#deps.store.loadTexts(run.id).then((texts) => {
      if (!texts) throw new Error(`the texts of ${run.name} are not in this browser's storage`);
      return { ...run, texts };
    });
    withTexts.catch(() => this.#texts.delete(run.id));
    this.#texts.delete(run.id);
    this.#texts.set(run.id, { run, withTexts });
    for (const id of [...this.#texts.keys()].slice(0, -TEXTS_KEPT)) this.#texts.delete(id);
    return withTexts;
  }

  /** Writes to storage not finished yet (0 = everything on screen survives a reload). */
  get pendingWrites(): number {
    return this.#saver.pending;
  }

  /** Runs shown that are not saved (storage full, or refused), with why. */
  get unsaved() {
    return this.#saver.unsaved;
  }

  /** A failed write other than a run's (display choices, removal), or null. */
  get writeError(): string | null {
    return this.#saver.error;
  }

  /**
   * Restores persisted runs, applies the URL (settings, visible runs), loads `?src`
   * URLs, and, on a first open with nothing else to show, the demo.
   */
  async start(search: string): Promise<void> {
    const url = readUrlState(search);
    this.settings = url.settings;
    try {
      const { saved, orphans } = await this.#deps.store.loadAll();
      const restored: RunEntry[] = saved.map(({ run, entry }) => ({ run, label: entry.label, color: entry.color, hidden: entry.hidden, source: entry.source }));
      this.#saver.restored(saved.map((s) => s.entry));
      this.orphans = orphans;
      await this.#restore(restored);
    } catch (error) {
      this.storageError = `Could not read saved runs: ${String(error)}`;
    }
    const have = new Set(this.entries.map((e) => e.source.ref));
    const sources = sortSourceUrls(
      url.src.filter((src) => !have.has(src)),
      this.#deps.origin ?? globalThis.location?.origin ?? 'null',
    );
    for (const { url: src, reason } of sources.refused) this.#setProblem({ file: src, fatal: { message: `Not fetched: ${reason}`, line: null }, skipped: [] });
    this.askSources = sources.ask;
    const loads: Promise<unknown>[] = sources.load.map((src) => this.loadUrl(src, src, 'url'));

    const demo = (await this.#deps.demo().catch(() => [])).filter((f) => !have.has(f.ref));
    const named = url.runs ? demo.filter((f) => url.runs!.includes(f.ref)) : [];
    const firstOpen = this.entries.length === 0 && url.src.length === 0 && url.runs === null;
    const demoRemoved = firstOpen ? this.orphans.length > 0 || (await this.#deps.store.getFlag(DEMO_REMOVED_FLAG).catch(() => false)) : true;
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

  /**
   * Lists restored runs a few at a time, each few drawn before the next is added, so no
   * task draws them all; the tables are made once, after the last (see `loading`).
   */
  async #restore(restored: RunEntry[]): Promise<void> {
    if (restored.length === 0) return;
    const ids = new Set(restored.map((r) => r.run.id));
    const wasLoading = this.loading;
    this.loading = true;
    for (let at = 0; at < restored.length; at += RESTORE_BATCH) {
      if (at > 0) await new Promise<void>((drawn) => afterDraw(drawn));
      // Read again each time: the user may have removed, renamed or added runs meanwhile.
      const listed = this.entries.filter((e) => ids.has(e.run.id));
      const others = this.entries.filter((e) => !ids.has(e.run.id));
      this.entries = [...listed, ...restored.slice(at, at + RESTORE_BATCH), ...others];
    }
    if (!wasLoading && this.#reading === 0) this.loading = false;
  }

  /**
   * Adds a run (or replaces the one with the same id, or the same file/URL) and saves it;
   * returns its id. `saving`: a worker is saving it already (this outcome tells how it went).
   */
  addRun(run: Run, source: RunEntry['source'], { saving }: { saving?: Promise<StoreOutcome> } = {}): string {
    const id = this.#addEntry(run, source);
    if (saving) this.#saver.followWorker(run, saving, () => this.#storedEntry(run.id));
    else this.#saver.save(run, this.#storedEntry(run.id)!);
    return id;
  }

  #addEntry(run: Run, source: RunEntry['source']): string {
    if (this.missingRefs.includes(source.ref)) this.missingRefs = this.missingRefs.filter((r) => r !== source.ref);
    const list = this.#list;
    const same = list.findIndex(
      (e) => e.run.id === run.id || (source.kind !== 'compute' && e.source.kind === source.kind && e.source.ref === source.ref),
    );
    if (same >= 0) {
      const old = list[same];
      const next = list.slice();
      next[same] = { ...old, run, source };
      if (old.run.id !== run.id) {
        this.#saver.remove([old.run.id]);
        if (this.selectedId === old.run.id) this.selectedId = run.id;
        if (this.settings.reference === old.run.id) this.settings.reference = run.id;
      }
      this.#setEntries(next);
      return run.id;
    }
    const entry: RunEntry = {
      run,
      label: describeRun(run.meta, run.name),
      color: nextRunColor(list.map((e) => e.color)),
      hidden: false,
      source,
    };
    const at = insertionIndex(
      list.map((e) => e.run.meta),
      run.meta,
    );
    this.#setEntries([...list.slice(0, at), entry, ...list.slice(at)]);
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
        if (current) this.#saver.save(current.run, this.#storedEntry(id)!);
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
    this.#saver.remove([id]);
    if (entry.source.kind === 'demo') this.#saver.write(() => this.#deps.store.setFlag(DEMO_REMOVED_FLAG, true));
    if (this.selectedId === id) this.selectedId = null;
    if (this.settings.reference === id) this.settings.reference = null;
    this.problems = this.problems.filter((p) => p.file !== entry.run.file);
  }

  /** Reads files (from a picker or a drop) in the parse workers; each waits its turn in the pool. */
  loadFiles(files: readonly PathedFile[]): Promise<void> {
    const jobs = files.map((f) => this.#newJob(f.path, f.file.size));
    this.jobs = [...this.jobs, ...jobs];
    return this.#batch(files.map((f, i) => this.#load(jobs[i], { kind: 'blob', blob: f.file }, { kind: 'file', ref: f.path })));
  }

  /** Fetches and reads a URL in the worker; `ref` names the run in links (the URL itself, or a demo path). */
  loadUrl(url: string, ref: string, kind: 'url' | 'demo'): Promise<void> {
    const job = this.#newJob(ref, null);
    this.jobs = [...this.jobs, job];
    return this.#load(job, { kind: 'url', url }, { kind, ref });
  }

  /** Loads the demo runs not already loaded (the user asked for them: the demo may come back). */
  async loadDemo(): Promise<void> {
    this.#saver.write(() => this.#deps.store.setFlag(DEMO_REMOVED_FLAG, false));
    const have = new Set(this.entries.map((e) => e.source.ref));
    const files = (await this.#deps.demo()).filter((f) => !have.has(f.ref));
    await this.#batch(files.map((f) => this.loadUrl(f.url, f.ref, 'demo')));
  }

  /** Answers the question about other sites' `?src=` URLs: fetch them all, or none. */
  answerSources(fetchThem: boolean): Promise<void> {
    const urls = this.askSources;
    this.askSources = [];
    return fetchThem ? this.#batch(urls.map((u) => this.loadUrl(u, u, 'url'))) : Promise.resolve();
  }

  /** Stops reading a file; nothing of it is kept. Its row goes at once; the worker stops (or is stopped) within CANCEL_GRACE_MS. */
  cancel(jobId: string): void {
    this.cancelAll([jobId]);
  }

  /** Stops reading every file being read or waiting (or those of `jobIds`). */
  cancelAll(jobIds: readonly string[] = this.jobs.map((j) => j.id)): void {
    const ids = new Set(jobIds.filter((id) => this.jobs.some((j) => j.id === id)));
    for (const id of ids) this.#cancelled.add(id);
    this.jobs = this.jobs.filter((j) => !ids.has(j.id));
    for (const id of ids) this.#deps.parser.cancel(id);
  }

  /** Shows the runs found in storage without an entry, and forgets entries whose run was lost. */
  recoverOrphans(): void {
    const runs = this.orphans.flatMap((o) => (o.kind === 'run' ? [o.run] : []));
    this.#discard(this.orphans.filter((o) => o.kind === 'entry'));
    this.orphans = [];
    const before = new Set(this.entries.map((e) => e.run.id));
    for (const run of runs) this.#addEntry(run, { kind: 'file', ref: run.file });
    this.#saver.adopt(runs.map((r) => r.id));
    this.#recolor(before);
  }

  /** Deletes what storage held without its pair. */
  discardOrphans(): void {
    this.#discard(this.orphans);
    this.orphans = [];
  }

  #discard(orphans: readonly Orphan[]): void {
    const ids = orphans.map((o) => (o.kind === 'run' ? o.run.id : o.entry.id));
    if (ids.length) this.#saver.write(() => this.#deps.store.remove(ids));
  }

  clearProblems(): void {
    this.problems = [];
  }

  /** Resolves when every write issued so far has reached storage. */
  flushed(): Promise<void> {
    return this.#saver.flushed();
  }

  #newJob(file: string, totalBytes: number | null): LoadJob {
    return { id: uniqueId('job'), file, bytes: 0, totalBytes, samples: 0, skipped: 0, started: false };
  }

  async #load(job: LoadJob, source: ParseSource, origin: RunEntry['source']): Promise<void> {
    const { id: jobId, file } = job;
    const onProgress = (p: ParseProgress) => this.#progress(jobId, p);
    const runId = uniqueId('run');
    // The worker saves the run with this entry in one transaction; the page corrects the entry once the run is listed.
    const save: StoredEntry | undefined = this.#deps.store.sharedWithWorkers
      ? {
          id: runId,
          label: describeRun(parseRunPath(file), file.split(/[\\/]/).pop() || file),
          color: nextRunColor(this.entries.map((e) => e.color)),
          hidden: false,
          source: { kind: origin.kind, ref: origin.ref },
          position: this.entries.length,
        }
      : undefined;
    let result: ParseResult;
    this.#reading++;
    this.loading = true;
    try {
      result = await this.#deps.parser.parse({ jobId, source, file, runId, save }, onProgress);
    } catch (error) {
      result = { ok: false, cancelled: false, message: String(error), line: null };
    }
    await this.#arrive(jobId, () => {
      if (this.#cancelled.delete(jobId)) return;
      if (result.ok) {
        this.addRun(result.run, origin, save ? { saving: this.#deps.parser.stored(runId) } : {});
        this.#setProblem({ file, fatal: null, skipped: result.run.skipped });
      } else if (!result.cancelled) {
        this.#setProblem({ file, fatal: { message: result.message, line: result.line }, skipped: [] });
      }
    });
  }

  /**
   * Shows a job's progress. Reports arrive as messages, one task each: they are shown
   * together at most every PROGRESS_SHOWN_MS, so many small files read at once (two
   * workers start one each every few ms) re-lay the list of jobs, and the run list below
   * it, a few times a second, not once a frame.
   */
  #progress(jobId: string, p: ParseProgress): void {
    if (this.#progressDue.size === 0) {
      setTimeout(() => {
        const due = this.#progressDue;
        this.#progressDue = new Map();
        this.jobs = this.jobs.map((j) => {
          const q = due.get(j.id);
          return q ? { ...j, ...q, totalBytes: q.totalBytes ?? j.totalBytes, started: true } : j;
        });
      }, PROGRESS_SHOWN_MS);
    }
    this.#progressDue.set(jobId, p);
  }

  /**
   * Applies a finished load: at once when the list is free to change, else together with
   * the others that finish by then. After each change the list is left alone for 100 ms,
   * or three times as long as the page took to draw that change, whichever is longer:
   * many small files re-draw the views a few times, not once per file, and the page
   * stays free for the user between draws.
   */
  #arrive(jobId: string, apply: () => void): Promise<void> {
    return new Promise((resolve) => {
      this.#arrivals.push({ jobId, apply, resolve });
      this.#reading--;
      this.#scheduleArrivals();
    });
  }

  /**
   * Sets a timer for the waiting arrivals: none while a change is being drawn, else at
   * #nextArrival, or at once when no other load is under way (nothing to wait for).
   */
  #scheduleArrivals(): void {
    if (this.#drawing || this.#arrivals.length === 0) return;
    const wait = this.#reading > 0 ? Math.max(0, this.#nextArrival - performance.now()) : 0;
    if (this.#arrivalTimer !== null) {
      if (wait > 0) return;
      clearTimeout(this.#arrivalTimer);
    }
    this.#arrivalTimer = setTimeout(() => {
      this.#arrivalTimer = null;
      this.#applyArrivals();
    }, wait);
  }

  #applyArrivals(): void {
    const started = performance.now();
    const due = this.#arrivals;
    this.#arrivals = [];
    // One new list and one new list of jobs for all of them: every assignment re-marks what reads it.
    this.#building = this.entries;
    try {
      for (const a of due) a.apply();
    } finally {
      const built = this.#building;
      this.#building = null;
      if (built !== this.entries) this.#setEntries(built);
      const ids = new Set(due.map((a) => a.jobId));
      for (const id of ids) this.#progressDue.delete(id);
      this.jobs = this.jobs.filter((j) => !ids.has(j.id));
      for (const a of due) a.resolve();
    }
    // Loads that finish while this is drawn wait for the draw, then for three times as long as it took.
    this.#drawing = true;
    afterDraw(() => {
      const drawn = performance.now();
      this.#nextArrival = Math.max(started + ARRIVAL_INTERVAL_MS, drawn + 3 * (drawn - started));
      this.#drawing = false;
      this.#scheduleArrivals();
      if (this.#reading === 0 && this.#arrivals.length === 0 && this.loading) {
        this.loading = false;
        this.#deps.parser.saveNow?.();
      }
    });
  }

  /**
   * Waits for loads started together, then gives the runs they added palette colors in
   * list order: files finish in any order, and the same files should get the same colors.
   */
  async #batch(loads: Promise<unknown>[]): Promise<void> {
    const before = new Set(this.entries.map((e) => e.run.id));
    await Promise.all(loads);
    this.#recolor(before);
  }

  /** Gives the runs added since `before` palette colors in list order. */
  #recolor(before: Set<string>): void {
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
    if (!problem.fatal && !problem.skipped.length && !this.problems.some((p) => p.file === problem.file)) return;
    const others = this.problems.filter((p) => p.file !== problem.file);
    this.problems = problem.fatal || problem.skipped.length ? [...others, problem] : others;
  }

  #patch(id: string, change: Partial<Pick<RunEntry, 'label' | 'color' | 'hidden'>>): void {
    this.#setEntries(this.entries.map((e) => (e.run.id === id ? { ...e, ...change } : e)));
  }

  /** The list as it stands: the one being built (see #arrive), else the entries. */
  get #list(): RunEntry[] {
    return this.#building ?? this.entries;
  }

  /** Replaces the entries and saves the display choices that changed (once a batch is built, see #arrive). */
  #setEntries(entries: RunEntry[]): void {
    if (this.#building) {
      this.#building = entries;
      return;
    }
    this.entries = entries;
    this.#saver.entriesChanged(entries.map(toStoredEntry));
  }

  /** The stored form of run `id`'s entry, or null when it is not listed. */
  #storedEntry(id: string): StoredEntry | null {
    const list = this.#list;
    const i = list.findIndex((e) => e.run.id === id);
    return i < 0 ? null : toStoredEntry(list[i], i);
  }
}

/** How many runs' texts read from storage are kept (a run's texts can be hundreds of MB). */
const TEXTS_KEPT = 3;
/** How often reading progress is shown, at most (see AppState.#progress; the workers report every 250 ms). */
const PROGRESS_SHOWN_MS = 250;
/** How often finished loads are added to the list, at most (see AppState.#arrive). */
const ARRIVAL_INTERVAL_MS = 100;
/** Restored runs listed per frame at start (see AppState.#restore). */
const RESTORE_BATCH = 4;
/** The longest afterDraw waits for a frame (a hidden page draws none). */
const DRAW_WAIT_MS = 1000;

/** Calls `f` once the page has drawn what changed (after the next frame), or after this task where there are no frames. */
function afterDraw(f: () => void): void {
  if (typeof requestAnimationFrame !== 'function') return void setTimeout(f, 0);
  let called = false;
  const once = () => {
    if (!called) f();
    called = true;
  };
  requestAnimationFrame(() => setTimeout(once, 0));
  // A hidden page draws no frames: go on without one.
  setTimeout(once, DRAW_WAIT_MS);
}

function toStoredEntry(e: RunEntry, position: number): StoredEntry {
  return { id: e.run.id, label: e.label, color: e.color, hidden: e.hidden, source: { kind: e.source.kind, ref: e.source.ref }, position };
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
