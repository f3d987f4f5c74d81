/**
 * The compute worker's logic, as a plain object tested directly in Node: load a model
 * (URL folder, URL per file, or uploaded files), pick the backend, stream one
 * Layer_Gradient line per sample and progress to a callback, stop on cancel.
 * Jobs run one at a time; a newer start cancels the running job (latest request wins).
 */
import * as tf from '@tensorflow/tfjs';
import { GrowingRun } from '../core/format/growingRun';
import { toJsonlLine } from '../core/format/jsonl';
import { runBuffers, sampleExtra, type Run } from '../core/format/run';
import { configureWasm, pickBackend, type BackendName, type BackendTrial } from '../core/model/backend';
import { computeRecords, type ComputeInput, type ComputeProgress } from '../core/model/computeRecords';
import type { LlamaConfig } from '../core/model/config';
import { describeFit, describeModel } from '../core/model/describeModel';
import { DEFAULT_MEMORY_BUDGET } from '../core/model/memoryEstimate';
import { disposeParams, type Params } from '../core/model/params';
import { helperCount, type SampleHelper } from '../core/model/sampleHelpers';
import type { StatsFormat } from '../core/model/sampleStats';
import { blobFiles, inspectModel, loadWeights, wholeFileReader, type InspectedModel, type LoadedModel, type ModelFiles, type ModelInfo } from '../core/model/modelFolder';
import { longestSample, truncation, type TemplateKind, type Truncation } from '../core/model/template';
import { tokenTexts } from '../core/model/tokenTexts';

/**
 * Where the model's files come from: a folder URL, one URL per file name (Vite `?url`
 * imports), uploaded bytes, or the user's File objects by name (a Hugging Face folder,
 * read by ranges: weights are never copied whole into the worker).
 */
export type ModelSource =
  | { kind: 'url'; base: string }
  | { kind: 'urls'; urls: Record<string, string> }
  | { kind: 'files'; key: string; files: Record<string, Uint8Array> }
  | { kind: 'blobs'; key: string; files: Record<string, Blob> };

/** How a model is to be read: its template (default: from the folder) and the memory budget in bytes. */
export interface ModelOptions {
  template?: TemplateKind;
  memoryBudget?: number;
  /** The folder's name, a hint for the default template (instruct checkpoints). */
  folderName?: string;
}

/** What inspect answers: the model described, or why it cannot be used. */
export type InspectResult = { ok: true; info: ModelInfo; description: string } | { ok: false; error: string };

/** One compute request. */
export interface ComputeJob {
  jobId: string;
  /** Release-layout path of the run (see experimentPlan), so its snapshots are labelled and paired by it; default `<jobId>.jsonl`. */
  runPath?: string;
  model: ModelSource;
  records: ComputeInput[];
  maxLength?: number;
  withTokens?: boolean;
  /** Add each position's cₜ per matrix (`token_norms`, with the token ids) to each record. */
  tokenNorms?: boolean;
  /** What each record holds (default layer-gradient; unified: the follow-up's S_list and cosine blocks). */
  format?: StatsFormat;
  /** 'auto' (default) measures once and keeps the fastest. */
  backend?: BackendName | 'auto';
  modelOptions?: ModelOptions;
}

/** One sample recomputed with a run's model (the drill-down's what-if): always with its token ids and cₜ. */
export interface SampleRequest {
  model: ModelSource;
  modelOptions?: ModelOptions;
  maxLength?: number;
  backend?: BackendName | 'auto';
  record: ComputeInput;
  /** Id and file path of the one-sample run answered. */
  runId: string;
  runPath: string;
}

/** The recomputed sample as a one-sample run, its tokens as text, and the worker's time for it (model load included). */
export type SampleResult = { ok: true; run: Run; tokens: string[]; ms: number } | { ok: false; error: string };

/** What a job reports, tagged by `type`, each carrying its job's id. */
export type ComputeEvent =
  | { type: 'backend'; jobId: string; active: string; trials: BackendTrial[] }
  | { type: 'model'; jobId: string; name: string; layers: number; template: string }
  | { type: 'truncation'; jobId: string; truncation: Truncation }
  | { type: 'warning'; jobId: string; message: string }
  | { type: 'record'; jobId: string; index: number; line: string }
  /** The run so far as columns (id = jobId), on the first records, then spacing out (see GrowingRun), and at the end. */
  | { type: 'run'; jobId: string; run: Run }
  | { type: 'progress'; jobId: string; progress: ComputeProgress }
  | { type: 'done'; jobId: string; count: number; cancelled: boolean }
  | { type: 'error'; jobId: string; message: string };

/** The worker's API (exposed through comlink). */
export interface ComputeHandler {
  /** Read a model's config, weight headers and tokenizer (no weights), check them, and describe the model. Never rejects. */
  inspect(source: ModelSource, options?: ModelOptions): Promise<InspectResult>;
  /** Run a job to its end, reporting through `onEvent`; resolves when done, cancelled or failed (never rejects). */
  start(job: ComputeJob, onEvent: (e: ComputeEvent) => void): Promise<void>;
  /** Recompute one sample with a model (cached when it is the last one used). Never rejects. */
  sample(request: SampleRequest): Promise<SampleResult>;
  /** Each token id as text with the model's tokenizer (tokenTexts). */
  tokenTexts(source: ModelSource, options: ModelOptions | undefined, ids: number[]): Promise<string[]>;
  /** Stop a job before its next sample. Unknown ids are ignored. */
  cancel(jobId: string): void;
  /** Release the cached model. */
  dispose(): void;
}

/** Options of the handler: where wasm binaries live, the fetch to use for URL sources, and how to hand over a run's buffers. */
export interface ComputeHandlerOptions {
  wasmPaths?: string | Record<string, string>;
  fetchFn?: typeof fetch;
  /** Marks `buffers` to be transferred with `event` (comlink's transfer in the worker); default: the event as it is. */
  transfer?: (event: ComputeEvent, buffers: ArrayBuffer[]) => ComputeEvent;
  /** Starts `count` sample helpers (other workers) for a model; absent: this worker computes every sample. */
  startHelpers?: (count: number, config: LlamaConfig, params: Params) => SampleHelper[];
  /** Cores to share samples over (navigator.hardwareConcurrency in the browser; default 1). */
  cores?: number;
}

function sourceKey(s: ModelSource, o: ModelOptions = {}): string {
  const opts = `${o.template ?? ''}|${o.memoryBudget ?? ''}`;
  if (s.kind === 'url') return `url:${s.base}|${opts}`;
  if (s.kind === 'urls') return `urls:${JSON.stringify(s.urls)}|${opts}`;
  return `${s.kind}:${s.key}|${opts}`;
}

function modelFiles(s: ModelSource, fetchFn: typeof fetch): ModelFiles {
  if (s.kind === 'blobs') return blobFiles(s.files);
  if (s.kind === 'files') return wholeFileReader(async (name) => (Object.prototype.hasOwnProperty.call(s.files, name) ? s.files[name] : null));
  return wholeFileReader(async (name) => {
    const url = s.kind === 'url' ? new URL(name, s.base.endsWith('/') ? s.base : `${s.base}/`).href : s.urls[name];
    if (!url) return null;
    const res = await fetchFn(url);
    if (res.status === 404) return null;
    if (!res.ok) throw new Error(`${name}: HTTP ${res.status} from ${url}`);
    return new Uint8Array(await res.arrayBuffer());
  });
}

/** A fresh handler with its own model cache. */
export function createComputeHandler(options: ComputeHandlerOptions = {}): ComputeHandler {
  const fetchFn = options.fetchFn ?? ((...a: Parameters<typeof fetch>) => fetch(...a));
  const transfer = options.transfer ?? ((event) => event);
  if (options.wasmPaths) configureWasm(options.wasmPaths);
  // The model, and the helpers holding copies of it (kept for the next job on the same model).
  let cached: { key: string; backend: string; model: LoadedModel; helpers: SampleHelper[] } | undefined;
  // The last inspection, kept for the start that usually follows (a tokenizer takes seconds to build).
  let inspected: { key: string; files: ModelFiles; model: InspectedModel } | undefined;
  const running = new Map<string, AbortController>();

  const release = () => {
    if (cached) {
      disposeParams(cached.model.params);
      for (const h of cached.helpers) h.close();
    }
    cached = undefined;
  };
  const inspectSource = async (source: ModelSource, options: ModelOptions = {}) => {
    const key = sourceKey(source, options);
    if (inspected?.key !== key) {
      const files = modelFiles(source, fetchFn);
      inspected = { key, files, model: await inspectModel(files, options) };
    }
    return inspected;
  };

  /** The backend picked, then the model loaded (or the cached one), after refusing a length the model cannot take or a sample over the budget. */
  const loadModel = async (
    source: ModelSource,
    modelOptions: ModelOptions | undefined,
    jobMaxLength: number | undefined,
    records: ComputeInput[],
    backend: BackendName | 'auto' | undefined,
    /** False while a job may be using the cached model (a what-if between a job's samples). */
    mayReplace: boolean,
  ) => {
    const choice = await pickBackend(backend && backend !== 'auto' ? { override: backend } : {});
    const key = sourceKey(source, modelOptions);
    const { files, model: found } = await inspectSource(source, modelOptions);
    const { info } = found;
    const maxLength = jobMaxLength ?? Math.min(1024, info.maxLength);
    const lengthOk = Number.isSafeInteger(maxLength) && maxLength >= 1 && maxLength <= info.maxLength;
    const longest = lengthOk ? longestSample(found.tokenizer, info.template, records, maxLength) : undefined;
    const fit = describeFit(info, maxLength, modelOptions?.memoryBudget ?? DEFAULT_MEMORY_BUDGET, longest);
    if (fit.error) throw new Error(fit.error);
    if (!cached || cached.key !== key || cached.backend !== tf.getBackend()) {
      if (!mayReplace && running.size > 0 && cached) throw new Error('another model is computing: wait for it to finish');
      release();
      const params = await loadWeights(files, found);
      cached = { key, backend: tf.getBackend(), model: { name: info.name, config: info.config, params, tokenizer: found.tokenizer, template: info.template }, helpers: [] };
    }
    return { model: cached.model, backend: choice, maxLength, longest };
  };

  return {
    async inspect(source, options = {}) {
      try {
        const { model } = await inspectSource(source, options);
        return { ok: true, info: model.info, description: describeModel(model.info) };
      } catch (e) {
        return { ok: false, error: e instanceof Error ? e.message : String(e) };
      }
    },
    async start(job, onEvent) {
      for (const c of running.values()) c.abort();
      const controller = new AbortController();
      running.set(job.jobId, controller);
      let count = 0;
      let growing: GrowingRun | null = null;
      const publish = (run: Run | null) => {
        if (run) onEvent(transfer({ type: 'run', jobId: job.jobId, run }, runBuffers(run)));
      };
      try {
        const { model, backend, maxLength, longest } = await loadModel(job.model, job.modelOptions, job.maxLength, job.records, job.backend, true);
        onEvent({ type: 'backend', jobId: job.jobId, active: backend.active, trials: backend.trials });
        // Helpers only on wasm: a GPU backend is one device whichever thread drives it.
        const budget = job.modelOptions?.memoryBudget ?? DEFAULT_MEMORY_BUDGET;
        const held = cached!;
        const wanted = options.startHelpers && held.backend === 'wasm' ? helperCount({ cores: options.cores ?? 1, samples: job.records.length, config: model.config, seqLen: longest?.tokens ?? maxLength, budget }) : 0;
        if (wanted > held.helpers.length) held.helpers.push(...options.startHelpers!(wanted - held.helpers.length, model.config, model.params));
        onEvent({ type: 'model', jobId: job.jobId, name: model.name, layers: model.config.num_hidden_layers, template: model.template });
        const cut = truncation(model.tokenizer, job.records, { template: model.template, maxLength: job.maxLength });
        if (cut.truncated > 0) onEvent({ type: 'truncation', jobId: job.jobId, truncation: cut });
        growing = new GrowingRun(job.runPath ?? `${job.jobId}.jsonl`, job.jobId);
        for await (const record of computeRecords(model, job.records, {
          maxLength: job.maxLength,
          withTokens: job.withTokens,
          tokenNorms: job.tokenNorms,
          format: job.format,
          signal: controller.signal,
          onProgress: (progress) => onEvent({ type: 'progress', jobId: job.jobId, progress }),
          onWarning: (message) => onEvent({ type: 'warning', jobId: job.jobId, message }),
          helpers: held.helpers.slice(0, wanted),
        })) {
          const line = toJsonlLine(record);
          onEvent({ type: 'record', jobId: job.jobId, index: count, line });
          count++;
          publish(growing.push(line));
        }
        publish(growing.finish());
        onEvent({ type: 'done', jobId: job.jobId, count, cancelled: controller.signal.aborted });
      } catch (e) {
        // The samples computed before the failure stay shown.
        try {
          publish(growing?.finish() ?? null);
        } catch {
          // nothing usable to show
        }
        onEvent({ type: 'error', jobId: job.jobId, message: e instanceof Error ? e.message : String(e) });
      } finally {
        running.delete(job.jobId);
      }
    },
    async sample(request) {
      const began = performance.now();
      try {
        const records = [request.record];
        const { model } = await loadModel(request.model, request.modelOptions, request.maxLength, records, request.backend, false);
        const growing = new GrowingRun(request.runPath, request.runId);
        let run: Run | null = null;
        // A helper that computed the run's samples is warm; this thread may not be (its first sample is several times slower).
        const helpers = cached?.helpers.slice(0, 1) ?? [];
        for await (const record of computeRecords(model, records, { maxLength: request.maxLength, tokenNorms: true, helpers })) run = growing.push(toJsonlLine(record)) ?? run;
        run = growing.finish() ?? run;
        if (!run) throw new Error('the sample gave no record');
        const ids = (sampleExtra(run, 0)?.input_ids ?? []) as number[];
        const tokens = tokenTexts(model.tokenizer, ids);
        // One sample's columns: copied, not transferred.
        return { ok: true, run, tokens, ms: performance.now() - began };
      } catch (e) {
        return { ok: false, error: e instanceof Error ? e.message : String(e) };
      }
    },
    async tokenTexts(source, options, ids) {
      const { model } = await inspectSource(source, options);
      return tokenTexts(model.tokenizer, ids);
    },
    cancel(jobId) {
      running.get(jobId)?.abort();
    },
    dispose() {
      for (const c of running.values()) c.abort();
      release();
      inspected = undefined;
    },
  };
}
