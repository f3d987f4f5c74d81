/**
 * Statistics records for a dataset, one per sample, streamed: the loop behind the CLI's
 * `compute` and the browser's compute worker. With helpers (other threads, see
 * sampleHelpers.ts) the samples are shared out and the records still come in order.
 */
import type { LoadedModel } from './modelFolder';
import type { SampleHelper } from './sampleHelpers';
import { sampleStats, type EncodedSample, type StatsFormat } from './sampleStats';
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
  /** What to write (default `layer-gradient`; `unified`: the follow-up's S_list and cosine blocks). */
  format?: StatsFormat;
  /** Add `token_norms` (each position's cₜ per matrix; implies withTokens) to each record. */
  tokenNorms?: boolean;
  /** Stop before the next sample once aborted (the generator then simply ends). */
  signal?: AbortSignal;
  onProgress?: (p: ComputeProgress) => void;
  /** Told, with the sample named, when a sample with response tokens gets a NaN or infinite loss (its statistics are then NaN). */
  onWarning?: (message: string) => void;
  /** Other threads that compute samples too (the caller starts and closes them). */
  helpers?: readonly SampleHelper[];
}

/** Samples queued per helper: one computing, one waiting, so a helper never idles while this thread computes. */
const HELPER_DEPTH = 2;

/** The model parts computeRecords needs (a LoadedModel fits). */
export type ComputeModel = Pick<LoadedModel, 'config' | 'params' | 'tokenizer' | 'template'>;

const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Yield one Layer_Gradient record per input record, in order. Between samples it
 * gives the event loop a turn, so a worker can receive a cancel message; an aborted
 * signal ends the stream before the next sample (samples a helper is computing are
 * dropped). An empty dataset yields nothing. With `helpers`, each keeps up to two
 * samples in hand and this thread computes the others; a helper's failure ends the
 * stream with its error.
 */
export async function* computeRecords(
  model: ComputeModel,
  records: readonly ComputeInput[],
  options: ComputeOptions = {},
): AsyncGenerator<Record<string, unknown>> {
  const total = records.length;
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  const helpers = options.helpers ?? [];
  const start = performance.now();
  const samples: EncodedSample[] = [];
  const done = new Map<number, Record<string, unknown>>();
  const inHand = helpers.map(() => 0);
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  let next = 0; // first sample not yet handed out
  let emitted = 0;

  const encode = (i: number) => {
    const rec = records[i];
    const text = { instruction: rec.instruction, input: rec.input ?? '', output: rec.output };
    samples[i] = encodeSample(model.tokenizer, text, { template: model.template, maxLength });
    return text;
  };
  const handOut = () => {
    helpers.forEach((helper, h) => {
      while (inHand[h] < HELPER_DEPTH && next < total && failure === null) {
        const i = next++;
        const text = encode(i);
        inHand[h]++;
        helper.compute({ sample: samples[i], text, withTokens: options.withTokens ?? false, format: options.format, tokenNorms: options.tokenNorms }).then(
          (record) => {
            inHand[h]--;
            done.set(i, record);
            wake?.();
          },
          (e: unknown) => {
            failure ??= e;
            wake?.();
          },
        );
      }
    });
  };

  while (emitted < total) {
    await nextTask();
    if (options.signal?.aborted) return;
    if (failure !== null) throw failure;
    handOut();
    const ready = done.get(emitted);
    if (ready) {
      done.delete(emitted);
      const i = emitted++;
      warnOnNonFiniteLoss(ready, samples[i], records[i], i, options);
      yield ready;
      const seconds = (performance.now() - start) / 1000;
      const rate = seconds > 0 ? emitted / seconds : 0;
      options.onProgress?.({ done: emitted, total, samplesPerSecond: rate, secondsLeft: rate > 0 ? (total - emitted) / rate : 0 });
    } else if (next < total) {
      const i = next++;
      const text = encode(i);
      done.set(i, sampleStats(model.config, model.params, samples[i], text, { withTokens: options.withTokens, format: options.format, tokenNorms: options.tokenNorms }));
    } else {
      // Everything is handed out and the next record is a helper's: wait for one to answer.
      await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
    }
  }
}

function warnOnNonFiniteLoss(record: Record<string, unknown>, sample: EncodedSample, rec: ComputeInput, i: number, options: ComputeOptions): void {
  const loss = record.loss as number;
  if (!Number.isFinite(loss) && sample.ids.length > Math.max(sample.responseStart, 1)) {
    const head = rec.instruction.length > 40 ? `${rec.instruction.slice(0, 40)}…` : rec.instruction;
    options.onWarning?.(`sample ${i + 1} (${JSON.stringify(head)}): loss is ${loss}, so its statistics are NaN (weights or activations overflow float32?)`);
  }
}
