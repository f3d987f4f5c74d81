/**
 * The resampled comparisons the views ask for (run B against reference run A, for a
 * statistic and MAD splits): the overlay's difference strip, the MAD and
 * relative-difference tables and the drill-down read the same results. They are
 * computed one at a time in the resampling worker (comparePaired), in the order of the
 * askers' priority, and kept while the page lives; a view asking again for what it
 * already has costs nothing.
 */
import { untrack } from 'svelte';
import type { Run, StatName } from '../../core/format/run.ts';
import type { ResampledComparison } from '../../core/stats/resampling/compareResampled.ts';
import type { ComparePairedOptions } from './resamplingClient.ts';

/** One comparison to compute: B against the reference A. */
export interface ComparisonRequest {
  a: Run;
  b: Run;
  stat: StatName;
  /** MAD split points (valid for the runs' layer count), or null for the default rule. */
  splits: readonly [number, number] | null;
}

/** Where a comparison stands. */
export type ComparisonState =
  | { status: 'pending' }
  | { status: 'done'; result: ResampledComparison }
  | { status: 'failed'; message: string };

/** The function that computes one comparison (the worker client in the app, the core directly in tests). */
export type CompareFn = (a: Run, b: Run, options: ComparePairedOptions) => Promise<ResampledComparison>;

const PENDING: ComparisonState = { status: 'pending' };

/** Resamples (and Monte Carlo permutations) per comparison, the issue's default. */
export const RESAMPLES = 10_000;
/** The seed: the same runs give the same numbers on every load and in the CLI (`--seed 1`). */
export const SEED = 1;

/** The cache key of a request. */
export function comparisonKey(r: ComparisonRequest): string {
  return JSON.stringify([r.a.id, r.b.id, r.stat, r.splits]);
}

/** One comparison's shown state, followed on its own. */
class ResultCell {
  state = $state.raw<ComparisonState | undefined>(undefined);
}

/** Comparisons computed on demand, one at a time. */
export class ComparisonStore {
  /**
   * Shown results, a reactive cell per key: a view that reads comparisons not done yet is
   * not redrawn when others land (with a map, reading a missing key follows every change,
   * and each flush of the tables' results redrew the overlay's strip).
   */
  #results = new Map<string, ResultCell>();
  /** Bumped when cells are added: what read a key without a cell is read again. */
  #added = $state(0);
  /**
   * The key's cell, made when a key is wanted or finishes (never where it is first read:
   * a cell made inside an effect or a derived would not be followed by it).
   */
  #cell(key: string): ResultCell {
    let cell = this.#results.get(key);
    if (!cell) {
      this.#results.set(key, (cell = new ResultCell()));
      this.#added++;
    }
    return cell;
  }
  /** What each asker wants now, by asker, with its priority (lower first). */
  #wanted = new Map<string, { priority: number; requests: readonly ComparisonRequest[] }>();
  #running = false;
  #compare: CompareFn;
  #resamples: number;
  /** Finished comparisons not yet shown, and when they will be. */
  #finished = new Map<string, ComparisonState>();
  #flushTimer: ReturnType<typeof setTimeout> | null = null;
  #flushMs: number;
  /** While true, no comparison starts (see hold). */
  #held = false;

  /**
   * `flushMs`: finished comparisons reach the views together at most this often (a
   * release's dozens of small comparisons finish within milliseconds of each other, and
   * each change redraws the strip and the tables); 0 shows each at once.
   */
  constructor(compare: CompareFn, resamples = RESAMPLES, flushMs = 0) {
    this.#compare = compare;
    this.#resamples = resamples;
    this.#flushMs = flushMs;
  }

  #finish(key: string, state: ComparisonState): void {
    if (this.#flushMs <= 0) {
      this.#cell(key).state = state;
      return;
    }
    this.#finished.set(key, state);
    this.#flushTimer ??= setTimeout(() => {
      this.#flushTimer = null;
      for (const [k, v] of this.#finished) this.#cell(k).state = v;
      this.#finished.clear();
    }, this.#flushMs);
  }

  /** Keys some asker wants now. */
  #wantedKeys = new Set<string>();

  /**
   * The state of a request: done or failed once shown, pending while some asker wants it,
   * undefined when nobody asked for it. Read in an effect or a derived, it is followed.
   */
  get(request: ComparisonRequest): ComparisonState | undefined {
    const key = comparisonKey(request);
    const cell = this.#results.get(key);
    if (!cell) void this.#added;
    return cell?.state ?? (this.#wantedKeys.has(key) ? PENDING : undefined);
  }

  /**
   * Sets what `asker` wants now (replacing what it wanted before) and starts computing
   * what is missing. Askers of lower `priority` are served first.
   */
  want(asker: string, requests: readonly ComparisonRequest[], priority = 0): void {
    if (requests.length === 0) this.#wanted.delete(asker);
    else this.#wanted.set(asker, { priority, requests });
    this.#wantedKeys = new Set([...this.#wanted.values()].flatMap((w) => w.requests.map(comparisonKey)));
    untrack(() => {
      for (const key of this.#wantedKeys) this.#cell(key);
    });
    void this.#pump();
  }

  /**
   * Holds new comparisons back while `on` (the page is reading files: on a machine of
   * two cores a resampling worker would take the core a parse worker needs); the one
   * running finishes. Released, what is wanted starts.
   */
  hold(on: boolean): void {
    if (this.#held === on) return;
    this.#held = on;
    if (!on) void this.#pump();
  }

  #next(): ComparisonRequest | null {
    if (this.#held) return null;
    const askers = [...this.#wanted.values()].sort((x, y) => x.priority - y.priority);
    for (const { requests } of askers) {
      for (const r of requests) {
        const key = comparisonKey(r);
        if (untrack(() => this.#results.get(key)?.state) === undefined && !this.#finished.has(key)) return r;
      }
    }
    return null;
  }

  async #pump(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      for (let r = this.#next(); r !== null; r = this.#next()) {
        const key = comparisonKey(r);
        try {
          const result = await this.#compare(r.a, r.b, {
            stat: r.stat,
            splits: r.splits ?? undefined,
            resamples: this.#resamples,
            seed: SEED,
          });
          this.#finish(key, { status: 'done', result });
        } catch (e) {
          // Superseded by another user of the worker client: forgotten, asked again on the next want().
          if (e instanceof DOMException && e.name === 'AbortError') {
            this.#cell(key).state = undefined;
            return;
          }
          this.#finish(key, { status: 'failed', message: e instanceof Error ? e.message : String(e) });
        }
      }
    } finally {
      this.#running = false;
    }
  }
}

/** Significance stars of a p-value: *** < 0.001, ** < 0.01, * < 0.05, else none. */
export function stars(p: number): string {
  return p < 0.001 ? '***' : p < 0.01 ? '**' : p < 0.05 ? '*' : '';
}

/** The stars' legend, as the tables print it under themselves. */
export const STARS_LEGEND = '* p < 0.05, ** p < 0.01, *** p < 0.001';

/** How the samples were resampled, in words: "20 paired (sign-flip test)" or "unpaired: 20 and 18 samples (label permutation)". */
export function pairingText(c: ResampledComparison): string {
  const test = c.test === 'sign-flip' ? 'sign-flip test' : 'label permutation';
  const how = `${c.exact ? 'exact' : `${c.permutations.toLocaleString('en-US')} permutations`}`;
  if (c.paired) {
    const left = c.unpairedA + c.unpairedB;
    return `${c.pairs} paired by instruction${left ? ` (${left} unpaired left out)` : ''}; ${test}, ${how}`;
  }
  return `unpaired resampling: ${c.sampleCountA} and ${c.sampleCountB} samples${c.pairs ? ` (${c.pairs} paired, too few to pair)` : ''}; ${test}, ${how}`;
}
