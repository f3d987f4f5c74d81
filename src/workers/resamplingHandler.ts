/**
 * The resampling worker's handler: compares two runs' sides (compareResampled) off the
 * page's thread. A plain object, tested directly; `resampling.worker.ts` only exposes it.
 */
import type { ComparisonSide } from '../core/stats/resampling/comparisonSide.ts';
import { compareResampled, type ResampledComparison, type ResamplingOptions } from '../core/stats/resampling/compareResampled.ts';

/** One comparison: B against the reference A. */
export interface ResamplingRequest {
  a: ComparisonSide;
  b: ComparisonSide;
  options: Omit<ResamplingOptions, 'useKernel'>;
}

/** The outcome: the comparison, or the one-line reason there is none (bad options, different layer counts, no common module). */
export type ResamplingResult = { ok: true; comparison: ResampledComparison } | { ok: false; message: string };

/** The worker's API. */
export interface ResamplingHandler {
  compare(request: ResamplingRequest): ResamplingResult;
}

/** The handler: errors come back as a result, so the page shows the reason instead of a cloned exception. */
export const resamplingHandler: ResamplingHandler = {
  compare(request) {
    try {
      return { ok: true, comparison: compareResampled(request.a, request.b, request.options) };
    } catch (e) {
      return { ok: false, message: (e instanceof Error ? e.message : String(e)).split('\n')[0] };
    }
  },
};
