/**
 * Statistics records for a dataset, one per sample, streamed: the loop behind the CLI's
 * `compute` and the browser's compute worker.
 */
import type { LoadedModel } from './modelFolder';
import { sampleStats } from './sampleStats';
import { DEFAULT_MAX_LENGTH, encodeSample } from './template';

/** An Alpaca-style record `{instruction, input, output}` (input may be empty or absent). */
export interface ComputeInput {
  instruction: string;
  input?: string;
  output: string;
}

/** Progress after each sample: throughput since the start and an estimate of the time left. */
export interface ComputeProgress {
  done: number;
  total: number;
  samplesPerSecond: number;
  secondsLeft: number;
}

/** Options of computeRecords. */
export interface ComputeOptions {
  /** Truncate each sample to this many tokens (the study's default 1024). */
  maxLength?: number;
  /** Add `input_ids` and `response_start` to each record. */
  withTokens?: boolean;
  /** Stop before the next sample once aborted (the generator then simply ends). */
  signal?: AbortSignal;
  onProgress?: (p: ComputeProgress) => void;
  /** Told, with the sample named, when a sample with response tokens gets a NaN or infinite loss (its statistics are then NaN). */
  onWarning?: (message: string) => void;
}

/** The model parts computeRecords needs (a LoadedModel fits). */
export type ComputeModel = Pick<LoadedModel, 'config' | 'params' | 'tokenizer' | 'template'>;

const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Yield one Layer_Gradient record per input record, in order. Between samples it
 * gives the event loop a turn, so a worker can receive a cancel message; an aborted
 * signal ends the stream before the next sample. An empty dataset yields nothing.
 */
export async function* computeRecords(
  model: ComputeModel,
  records: readonly ComputeInput[],
  options: ComputeOptions = {},
): AsyncGenerator<Record<string, unknown>> {
  const total = records.length;
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    await nextTask();
    if (options.signal?.aborted) return;
    const rec = records[i];
    const text = { instruction: rec.instruction, input: rec.input ?? '', output: rec.output };
    const sample = encodeSample(model.tokenizer, text, { template: model.template, maxLength });
    const record = sampleStats(model.config, model.params, sample, text, { withTokens: options.withTokens });
    const loss = record.loss as number;
    if (!Number.isFinite(loss) && sample.ids.length > Math.max(sample.responseStart, 1)) {
      const head = rec.instruction.length > 40 ? `${rec.instruction.slice(0, 40)}…` : rec.instruction;
      options.onWarning?.(`sample ${i + 1} (${JSON.stringify(head)}): loss is ${loss}, so its statistics are NaN (weights or activations overflow float32?)`);
    }
    yield record;
    const seconds = (performance.now() - start) / 1000;
    const rate = seconds > 0 ? (i + 1) / seconds : 0;
    options.onProgress?.({ done: i + 1, total, samplesPerSecond: rate, secondsLeft: rate > 0 ? (total - i - 1) / rate : 0 });
  }
}
