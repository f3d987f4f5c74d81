/**
 * The page's side of the resampling worker: turns two runs into comparison sides (copies
 * of the statistic's values, whose buffers go to the worker) and asks for the comparison.
 * One comparison runs at a time and the latest request wins: a new one stops the worker
 * running the old one (its promise rejects with an AbortError) and starts a fresh one.
 */
import type { ModuleKey, Run, StatName } from '../../core/format/run.ts';
import { comparisonSide } from '../../core/stats/resampling/comparisonSide.ts';
import type { ResampledComparison, ResamplingOptions } from '../../core/stats/resampling/compareResampled.ts';
import type { ResamplingRequest, ResamplingResult } from '../../workers/resamplingHandler.ts';

/** A connection to one worker running the resampling handler. */
export interface ResamplingConnection {
  compare(request: ResamplingRequest): Promise<ResamplingResult>;
  /** Stops the worker at once; a comparison it was running never answers. */
  terminate(): void;
}

/** What to compare: the statistic, and the options of compareResampled (resamples, seed, ci, splits, pairing, modules). */
export interface ComparePairedOptions extends Omit<ResamplingOptions, 'useKernel'> {
  stat: StatName;
  /** Default: every module both runs have, in A's order. */
  modules?: readonly ModuleKey[];
}

/** The error a comparison's promise rejects with when a newer request or cancel() stops it. */
export function abortError(): DOMException {
  return new DOMException('a newer comparison replaced this one', 'AbortError');
}

/** A client of the resampling worker. */
export interface ResamplingClient {
  /**
   * Compares run B with the reference run A (see compareResampled). Rejects with an
   * AbortError when superseded or cancelled, with an Error carrying the one-line reason
   * for an unknown statistic, different layer counts, bad options or no common module.
   */
  compare(runA: Run, runB: Run, options: ComparePairedOptions): Promise<ResampledComparison>;
  /** Stops the running comparison, if any (its promise rejects with an AbortError). */
  cancel(): void;
  /** Stops every worker. */
  dispose(): void;
}

/** A client whose workers come from `connect` (the app passes the Vite worker; tests a direct call). */
export function createResamplingClient(connect: () => ResamplingConnection): ResamplingClient {
  let idle: ResamplingConnection | null = null;
  let running: { connection: ResamplingConnection; reject: (e: unknown) => void } | null = null;

  function cancel(): void {
    if (running === null) return;
    running.connection.terminate();
    running.reject(abortError());
    running = null;
  }

  return {
    compare(runA, runB, options) {
      cancel();
      const { stat, ...rest } = options;
      const modules = options.modules ?? runA.modules.filter((m) => runB.modules.includes(m));
      let request: ResamplingRequest;
      try {
        request = { a: comparisonSide(runA, stat, modules), b: comparisonSide(runB, stat, modules), options: { ...rest, modules } };
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
      const connection = idle ?? connect();
      idle = null;
      return new Promise<ResampledComparison>((resolve, reject) => {
        const job = { connection, reject };
        running = job;
        connection.compare(request).then(
          (result) => {
            if (running !== job) return; // superseded: already rejected, its worker stopped
            running = null;
            idle = connection;
            if (result.ok) resolve(result.comparison);
            else reject(new Error(result.message));
          },
          (e: unknown) => {
            if (running !== job) return;
            running = null;
            connection.terminate();
            reject(e);
          },
        );
      });
    },
    cancel,
    dispose() {
      cancel();
      idle?.terminate();
      idle = null;
    },
  };
}
