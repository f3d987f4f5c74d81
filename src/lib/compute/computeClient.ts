/**
 * The page's side of the compute worker: one module worker, started on first use and
 * wrapped with comlink; events come back through a proxied callback.
 */
import { proxy, wrap, type Remote } from 'comlink';
import type { ComputeEvent, ComputeHandler, ComputeJob, InspectResult, ModelOptions, ModelSource, SampleRequest, SampleResult } from '../../workers/computeHandler.ts';
import ComputeWorker from '../../workers/compute.worker.ts?worker';

/** What the panel needs from a compute service (the worker in the app, the handler itself in tests). */
export interface ComputeService {
  /** Describe a model folder before computing (architecture, size, tokenizer), or say why it cannot be used. */
  inspect(source: ModelSource, options?: ModelOptions): Promise<InspectResult>;
  start(job: ComputeJob, onEvent: (e: ComputeEvent) => void): Promise<void>;
  cancel(jobId: string): void;
  /** Recompute one sample with a model (the drill-down's what-if). */
  sample?(request: SampleRequest): Promise<SampleResult>;
  /** Each token id as text with a model's tokenizer. */
  tokenTexts?(source: ModelSource, options: ModelOptions | undefined, ids: number[]): Promise<string[]>;
}

/** A ComputeService backed by a Web Worker, started on first use. */
export function workerComputeService(): ComputeService {
  let remote: Remote<ComputeHandler> | null = null;
  const get = () => (remote ??= wrap<ComputeHandler>(new ComputeWorker()));
  return {
    inspect(source, options) {
      return get().inspect(source, options) as Promise<InspectResult>;
    },
    start(job, onEvent) {
      return get().start(job, proxy(onEvent)) as Promise<void>;
    },
    cancel(jobId) {
      void get().cancel(jobId);
    },
    sample(request) {
      return get().sample(request) as Promise<SampleResult>;
    },
    tokenTexts(source, options, ids) {
      return get().tokenTexts(source, options, ids) as Promise<string[]>;
    },
  };
}
