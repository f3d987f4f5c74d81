// A fake compute service for UI tests: emits records of a 2-layer model without tfjs,
// and the run growing from them as the worker hands it over.
import { GrowingRun } from '../../../src/core/format/growingRun';
import { toJsonlLine } from '../../../src/core/format/jsonl';
import { parameterCount, parseConfig } from '../../../src/core/model/config';
import type { Truncation } from '../../../src/core/model/template';
import type { ComputeService } from '../../../src/lib/compute/computeClient';
import type { ComputeEvent, ComputeJob, InspectResult, ModelOptions, ModelSource } from '../../../src/workers/computeHandler';

/**
 * What the fake worker says of a folder: its config.json's gradlens_name (else the
 * folder name) and gradlens_template, on a fixed 2-layer byte-level Llama; an error
 * when config.json is missing or not JSON, as the worker would.
 */
async function fakeInspect(source: ModelSource, options: ModelOptions = {}): Promise<InspectResult> {
  if (source.kind !== 'blobs') return { ok: false, error: 'fake: blobs only' };
  const file = source.files['config.json'];
  if (!file) return { ok: false, error: 'config.json not found in the model folder' };
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(await file.text()) as Record<string, unknown>;
  } catch {
    return { ok: false, error: 'config.json: not valid JSON' };
  }
  const config = parseConfig({ model_type: 'llama', vocab_size: 262, hidden_size: 16, intermediate_size: 24, num_hidden_layers: 2, num_attention_heads: 2, max_position_embeddings: 512 });
  const template = options.template ?? (raw.gradlens_template === 'chat' ? 'chat' : 'base');
  const name = typeof raw.gradlens_name === 'string' ? raw.gradlens_name : (options.folderName ?? 'model');
  return {
    ok: true,
    info: { name, config, architecture: 'LlamaForCausalLM', parameters: parameterCount(config), dtypes: ['F32'], weightFiles: ['model.safetensors'], weightBytes: 4 * parameterCount(config), tokenizer: { kind: 'byte-level', size: 262, chatTemplate: false }, template, maxLength: 512 },
    description: `LlamaForCausalLM, fake, ${template} template, up to 512 tokens`,
  };
}

/** One Layer_Gradient line for sample `i` of a 2-layer model with q/k/v/o. */
export function fakeLine(i: number, text: { instruction: string; output: string }): string {
  const record: Record<string, unknown> = { instruction: text.instruction, input: '', output: text.output, loss: 1 + i / 10 };
  for (let l = 0; l < 2; l++) {
    for (const m of ['q', 'k', 'v', 'o']) {
      const s = (l + 1) * (i + 1);
      record[`model.layers.${l}.self_attn.${m}_proj.weight`] = {
        M_mean: 0, M_max: s, M_min: -s, frobenius_norm: s, S_sum: 2 * s, S_max: s, S_min: 0, effective_rank: 1.5,
      };
    }
  }
  return toJsonlLine(record);
}

/** A service that answers each job with its records' lines; `jobs` records what it was asked. */
export function fakeService(options: { failOn?: number; truncation?: Truncation } = {}): ComputeService & { jobs: ComputeJob[]; cancelled: string[] } {
  const cancelled: string[] = [];
  const jobs: ComputeJob[] = [];
  return {
    jobs,
    cancelled,
    inspect: fakeInspect,
    async start(job, onEvent: (e: ComputeEvent) => void) {
      jobs.push(job);
      onEvent({ type: 'backend', jobId: job.jobId, active: 'wasm', trials: [{ name: 'wasm', ok: true, msPerStep: 5 }] });
      if (options.truncation) onEvent({ type: 'truncation', jobId: job.jobId, truncation: options.truncation });
      let count = 0;
      const growing = new GrowingRun(job.runPath ?? `${job.jobId}.jsonl`, job.jobId);
      const publish = (run: ReturnType<GrowingRun['finish']>) => run && onEvent({ type: 'run', jobId: job.jobId, run });
      for (let i = 0; i < job.records.length; i++) {
        await new Promise((r) => setTimeout(r, 0));
        if (cancelled.includes(job.jobId)) break;
        if (options.failOn === i) {
          publish(growing.finish());
          onEvent({ type: 'error', jobId: job.jobId, message: 'boom' });
          return;
        }
        const line = fakeLine(i, job.records[i]);
        onEvent({ type: 'record', jobId: job.jobId, index: i, line });
        publish(growing.push(line));
        count++;
        onEvent({ type: 'progress', jobId: job.jobId, progress: { done: i + 1, total: job.records.length, samplesPerSecond: 10, secondsLeft: (job.records.length - i - 1) / 10 } });
      }
      publish(growing.finish());
      onEvent({ type: 'done', jobId: job.jobId, count, cancelled: cancelled.includes(job.jobId) });
    },
    cancel(jobId) {
      cancelled.push(jobId);
    },
  };
}
