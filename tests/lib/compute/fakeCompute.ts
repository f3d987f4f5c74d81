// A fake compute service for UI tests: emits records of a 2-layer model without tfjs.
import { toJsonlLine } from '../../../src/core/format/jsonl';
import type { Truncation } from '../../../src/core/model/template';
import type { ComputeService } from '../../../src/lib/compute/computeClient';
import type { ComputeEvent, ComputeJob } from '../../../src/workers/computeHandler';

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
    async start(job, onEvent: (e: ComputeEvent) => void) {
      jobs.push(job);
      onEvent({ type: 'backend', jobId: job.jobId, active: 'wasm', trials: [{ name: 'wasm', ok: true, msPerStep: 5 }] });
      if (options.truncation) onEvent({ type: 'truncation', jobId: job.jobId, truncation: options.truncation });
      let count = 0;
      for (let i = 0; i < job.records.length; i++) {
        await new Promise((r) => setTimeout(r, 0));
        if (cancelled.includes(job.jobId)) break;
        if (options.failOn === i) {
          onEvent({ type: 'error', jobId: job.jobId, message: 'boom' });
          return;
        }
        onEvent({ type: 'record', jobId: job.jobId, index: i, line: fakeLine(i, job.records[i]) });
        count++;
        onEvent({ type: 'progress', jobId: job.jobId, progress: { done: i + 1, total: job.records.length, samplesPerSecond: 10, secondsLeft: (job.records.length - i - 1) / 10 } });
      }
      onEvent({ type: 'done', jobId: job.jobId, count, cancelled: cancelled.includes(job.jobId) });
    },
    cancel(jobId) {
      cancelled.push(jobId);
    },
  };
}
