/**
 * Samples computed on other threads. A helper holds its own copy of the model (and its
 * own tfjs backend) and computes whole samples; computeRecords gives it samples while
 * the calling thread computes others and yields the records in order. On a machine
 * with two cores, the calling thread and one helper each take half the samples.
 * The messages are plain objects and typed arrays, so any message port carries them
 * (worker_threads, Web Workers, a MessageChannel in tests); the entry files that start
 * helpers live with their platform (scripts/lib/sampleThreads.ts, src/workers).
 */
import * as tf from '@tensorflow/tfjs';
import type { LlamaConfig } from './config';
import { estimateMemory } from './memoryEstimate';
import { disposeParams, type Params } from './params';
import { sampleStats, type EncodedSample, type SampleTextFields, type StatsFormat } from './sampleStats';

/** One sample for a helper: token ids, the record's text, whether to add the ids (and the positions' cₜ) to the record, and the format. */
export interface SampleJob {
  sample: EncodedSample;
  text: SampleTextFields;
  withTokens: boolean;
  format?: StatsFormat;
  tokenNorms?: boolean;
}

/** Another thread computing samples' records on its own copy of the model. */
export interface SampleHelper {
  /** The sample's record, exactly as sampleStats on this thread would write it; rejects with the helper's error. */
  compute(job: SampleJob): Promise<Record<string, unknown>>;
  /** Stop the helper (pending computations are abandoned). */
  close(): void;
}

/** What the computing thread sends a helper: the model once, then samples. */
export type HelperRequest =
  | { type: 'model'; config: LlamaConfig; weights: { name: string; shape: number[]; data: Float32Array }[] }
  | { type: 'sample'; id: number; job: SampleJob };

/** What a helper answers, per sample. */
export type HelperReply = { type: 'record'; id: number; record: Record<string, unknown> } | { type: 'error'; id: number; message: string };

/** A message port as both ends see it; `close` ends the other thread. */
export interface HelperPort<Send, Receive> {
  post(message: Send, transfer?: ArrayBuffer[]): void;
  listen(onMessage: (message: Receive) => void): void;
  close(): void;
}

/**
 * How many helpers to start: one per core beyond the calling thread (`cores` − 1), at
 * most `max`, as many as the memory budget holds next to the calling thread (each
 * holds the weights and a sample's activations: estimateMemory at `seqLen` tokens), and
 * never more than the samples left to share. 0 means compute on the calling thread alone.
 */
export function helperCount(options: { cores: number; samples: number; config: LlamaConfig; seqLen: number; budget: number; max?: number }): number {
  const perThread = estimateMemory(options.config, Math.max(1, options.seqLen)).total;
  const byMemory = Math.floor(options.budget / perThread) - 1;
  return Math.max(0, Math.min(options.cores - 1, options.max ?? 3, byMemory, options.samples - 1));
}

/**
 * A SampleHelper talking through `port`: sends the model (a copy of every weight,
 * transferred) before the first sample, then one request per sample.
 */
export function portHelper(port: HelperPort<HelperRequest, HelperReply>, config: LlamaConfig, params: Params): SampleHelper {
  const waiting = new Map<number, { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  port.listen((reply) => {
    const w = waiting.get(reply.id);
    if (!w) return;
    waiting.delete(reply.id);
    if (reply.type === 'record') w.resolve(reply.record);
    else w.reject(new Error(reply.message));
  });
  const weights = [...params].map(([name, t]) => ({ name, shape: t.shape.slice(), data: Float32Array.from(t.dataSync() as Float32Array) }));
  port.post({ type: 'model', config, weights }, weights.map((w) => w.data.buffer as ArrayBuffer));
  return {
    compute(job) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        port.post({ type: 'sample', id, job });
      });
    },
    close() {
      for (const w of waiting.values()) w.reject(new Error('sample helper closed'));
      waiting.clear();
      port.close();
    },
  };
}

/**
 * The helper's side: builds the model from the first message and answers each sample
 * with its record (or its error, as one message). Listens at once and handles messages
 * in order once `ready` (the thread's tfjs backend) resolves: a browser worker drops
 * messages that come while no listener is attached.
 */
export function serveSamples(port: Omit<HelperPort<HelperReply, HelperRequest>, 'close'>, ready: Promise<unknown> = Promise.resolve()): void {
  let model: { config: LlamaConfig; params: Params } | undefined;
  // A backend that fails to start fails every sample with its message (the computing thread reports it).
  let queue: Promise<unknown> = ready.then(
    () => (failed = null),
    (e: unknown) => (failed = `sample helper: ${e instanceof Error ? e.message : String(e)}`),
  );
  let failed: string | null = null;
  port.listen((request) => {
    queue = queue.then(() => handle(request));
  });
  const handle = (request: HelperRequest) => {
    if (request.type === 'model') {
      if (failed) return;
      if (model) disposeParams(model.params);
      const params: Params = new Map(request.weights.map((w) => [w.name, tf.tensor(w.data, w.shape, 'float32')]));
      model = { config: request.config, params };
      return;
    }
    try {
      if (failed) throw new Error(failed);
      if (!model) throw new Error('sample helper: no model yet');
      const { sample, text, withTokens, format, tokenNorms } = request.job;
      port.post({ type: 'record', id: request.id, record: sampleStats(model.config, model.params, sample, text, { withTokens, format, tokenNorms }) });
    } catch (e) {
      port.post({ type: 'error', id: request.id, message: e instanceof Error ? e.message : String(e) });
    }
  };
}
