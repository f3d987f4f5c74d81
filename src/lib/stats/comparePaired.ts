/**
 * How sure is a difference between two runs, computed in a Web Worker so the page never
 * waits: `comparePaired(runA, runB, { stat, splits, resamples, seed, ci })` resolves to a
 * ResampledComparison (per module: layers {diff, lo, hi, d, p, q}, mad {all, early,
 * middle, late} each {value, lo, hi, p}, relativeDifference {value, lo, hi, p}; and
 * paired, pairs, unpaired counts, the test and whether it was exact). The latest call
 * wins: an earlier one still running rejects with an AbortError.
 */
import { transfer, wrap } from 'comlink';
import type { Run } from '../../core/format/run.ts';
import { sideBuffers } from '../../core/stats/resampling/comparisonSide.ts';
import type { ResampledComparison } from '../../core/stats/resampling/compareResampled.ts';
import type { ResamplingHandler, ResamplingResult } from '../../workers/resamplingHandler.ts';
import ResamplingWorker from '../../workers/resampling.worker.ts?worker';
import { ComparisonStore, RESAMPLES } from './comparisons.svelte.ts';
import { createResamplingClient, type ComparePairedOptions, type ResamplingClient, type ResamplingConnection } from './resamplingClient.ts';

/** One module worker running the resampling handler; the sides' buffers are transferred, not copied. */
function connectWorker(): ResamplingConnection {
  const worker = new ResamplingWorker();
  const remote = wrap<ResamplingHandler>(worker);
  return {
    compare(request) {
      const buffers = [...sideBuffers(request.a), ...sideBuffers(request.b)];
      return remote.compare(transfer(request, buffers)) as Promise<ResamplingResult>;
    },
    terminate() {
      worker.terminate();
    },
  };
}

let client: ResamplingClient | null = null;

/** The app's resampling client (one worker, started on first use). */
export function resamplingClient(): ResamplingClient {
  client ??= createResamplingClient(connectWorker);
  return client;
}

/** Compares run B with the reference run A in the worker (see resamplingClient.ts for errors and superseding). */
export function comparePaired(runA: Run, runB: Run, options: ComparePairedOptions): Promise<ResampledComparison> {
  return resamplingClient().compare(runA, runB, options);
}

let store: ComparisonStore | null = null;

/** The app's comparisons (one store, computed by this worker client, started on first use). */
export function appComparisons(): ComparisonStore {
  store ??= new ComparisonStore(comparePaired, RESAMPLES, 400);
  return store;
}
