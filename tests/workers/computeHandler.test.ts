import { MessageChannel } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend, wasmDistDir } from '../../scripts/lib/nodeBackend';
import { parseRun } from '../../src/core/format/runParser';
import { portHelper, serveSamples, type HelperReply, type HelperRequest } from '../../src/core/model/sampleHelpers';
import { tinyModelFiles } from './tinyModel';
import { createComputeHandler, type ComputeEvent, type ComputeHandler, type ComputeJob } from '../../src/workers/computeHandler';

const records = [
  { instruction: 'What is 2 + 3?', input: '', output: '5' },
  { instruction: 'What is 4 + 4?', input: '', output: '8' },
  { instruction: 'What is 1 + 1?', input: '', output: '2' },
];
let files: Record<string, Uint8Array>;
let handler: ComputeHandler;

beforeAll(async () => {
  await useNodeBackend('wasm');
  files = tinyModelFiles(2);
  handler = createComputeHandler({ wasmPaths: wasmDistDir() });
});
afterAll(() => handler.dispose());

async function run(job: ComputeJob, onEvent?: (e: ComputeEvent, all: ComputeEvent[]) => void): Promise<ComputeEvent[]> {
  const events: ComputeEvent[] = [];
  await handler.start(job, (e) => {
    events.push(e);
    onEvent?.(e, events);
  });
  return events;
}

describe('computeHandler', () => {
  it('streams one Layer_Gradient line per sample that the run reader accepts, then done', async () => {
    const events = await run({ jobId: 'a', model: { kind: 'files', key: 'tiny', files }, records, backend: 'wasm', withTokens: true });
    expect(events[0]).toMatchObject({ type: 'backend', jobId: 'a', active: 'wasm' });
    expect(events[1]).toMatchObject({ type: 'model', name: 'tiny', layers: 2, template: 'base' });
    const lines = events.flatMap((e) => (e.type === 'record' ? [e.line] : []));
    expect(lines).toHaveLength(3);
    expect(events.filter((e) => e.type === 'progress')).toHaveLength(3);
    expect(events.at(-1)).toEqual({ type: 'done', jobId: 'a', count: 3, cancelled: false });
    const runData = parseRun('grads.jsonl', new TextEncoder().encode(lines.join('\n') + '\n'));
    expect(runData.sampleCount).toBe(3);
    expect(runData.layerCount).toBe(2);
    expect(runData.modules.slice(0, 4)).toEqual(['self_attn.q_proj', 'self_attn.k_proj', 'self_attn.v_proj', 'self_attn.o_proj']);
  });

  it('hands the run over as columns as it grows, labelled by its path, the last one the whole run, before done', async () => {
    const path = 'cot_3/tiny/grads_arith_train_with_cot.jsonl';
    const events = await run({ jobId: 'r', runPath: path, model: { kind: 'files', key: 'tiny', files }, records, backend: 'wasm' });
    const runs = events.flatMap((e) => (e.type === 'run' ? [e.run] : []));
    expect(runs.map((r) => r.sampleCount)).toEqual([1, 2, 3]);
    const lines = events.flatMap((e) => (e.type === 'record' ? [e.line] : []));
    const whole = parseRun(path, new TextEncoder().encode(lines.join('\n') + '\n'), { id: 'r' });
    const last = runs.at(-1)!;
    expect(last.id).toBe('r');
    expect(last.meta).toEqual(whole.meta);
    expect(last.values.get('self_attn.q_proj')!.get('S_sum')).toEqual(whole.values.get('self_attn.q_proj')!.get('S_sum'));
    expect(last.loss).toEqual(whole.loss);
    expect(events.findIndex((e) => e.type === 'done')).toBeGreaterThan(events.lastIndexOf(events.find((e) => e.type === 'run' && e.run === last)!));
  });

  it("hands a unified-format job's run over with its spectra and cosine maps, as the reader reads its lines", async () => {
    const path = 'grads/tiny/ifd_gpt2/grads_arith_highest_3.jsonl';
    const events = await run({ jobId: 'u', runPath: path, model: { kind: 'files', key: 'tiny', files }, records, backend: 'wasm', format: 'unified' });
    const lines = events.flatMap((e) => (e.type === 'record' ? [e.line] : []));
    expect(lines[0]).toContain('"cosine_sim"');
    const whole = parseRun(path, new TextEncoder().encode(lines.join('\n') + '\n'), { id: 'u' });
    const last = events.flatMap((e) => (e.type === 'run' ? [e.run] : [])).at(-1)!;
    expect(last.meta).toMatchObject({ metric: 'ifd', scorer: 'gpt2', quality: 'highest' });
    expect([...last.cosineSim!.keys()]).toEqual(['self_attn.q_proj', 'self_attn.k_proj', 'self_attn.v_proj', 'self_attn.o_proj']);
    expect(last.cosineSim!.get('self_attn.v_proj')).toEqual(whole.cosineSim!.get('self_attn.v_proj'));
    expect(last.spectra!.get('self_attn.q_proj')!.values).toEqual(whole.spectra!.get('self_attn.q_proj')!.values);
    expect(last.modules).toContain('self_attn.k_proj_x_v_proj');
  });

  it('warns before computing when the maximum length cuts responses, and computes anyway', async () => {
    // "What is 2 + 3?\n" is 15 bytes: with BOS the prompt is 16 tokens, the response 1.
    const cut = await run({ jobId: 't', model: { kind: 'files', key: 'tiny', files }, records, backend: 'wasm', maxLength: 16 });
    const warning = cut.find((e) => e.type === 'truncation');
    expect(warning).toEqual({ type: 'truncation', jobId: 't', truncation: { samples: 3, truncated: 3, noResponse: 3, maxLength: 16 } });
    expect(cut.indexOf(warning!)).toBeLessThan(cut.findIndex((e) => e.type === 'record'));
    const run_ = parseRun('cut.jsonl', new TextEncoder().encode(cut.flatMap((e) => (e.type === 'record' ? [e.line] : [])).join('\n')));
    expect([...run_.loss].every(Number.isNaN)).toBe(true); // no response token: NaN, as the study's HF loss
    const whole = await run({ jobId: 'w', model: { kind: 'files', key: 'tiny', files }, records, backend: 'wasm', maxLength: 17 });
    expect(whole.some((e) => e.type === 'truncation')).toBe(false);
  });

  it('loads a model folder from a URL base through fetch, treating 404 as a missing file', async () => {
    const fetchFn = (async (url: string | URL | Request) => {
      const name = String(url).split('/').pop()!;
      const body = files[name];
      return body ? new Response(body.slice().buffer as ArrayBuffer) : new Response('not found', { status: 404 });
    }) as typeof fetch;
    const h = createComputeHandler({ fetchFn });
    const events: ComputeEvent[] = [];
    await h.start({ jobId: 'u', model: { kind: 'url', base: 'https://example.test/models/tiny' }, records: records.slice(0, 1), backend: 'wasm' }, (e) => events.push(e));
    expect(events.at(-1)).toEqual({ type: 'done', jobId: 'u', count: 1, cancelled: false });
    h.dispose();
  });

  it('loads a shipped model from one URL per file (Vite ?url imports), without special_tokens.json', async () => {
    const requested: string[] = [];
    const fetchFn = (async (url: string | URL | Request) => {
      requested.push(String(url));
      const name = { '/assets/config-1a.json': 'config.json', '/assets/model-2b.safetensors': 'model.safetensors' }[String(url)];
      return name ? new Response(files[name].slice().buffer as ArrayBuffer) : new Response('', { status: 404 });
    }) as typeof fetch;
    const h = createComputeHandler({ fetchFn });
    const events: ComputeEvent[] = [];
    const urls = { 'config.json': '/assets/config-1a.json', 'model.safetensors': '/assets/model-2b.safetensors' };
    await h.start({ jobId: 's', model: { kind: 'urls', urls }, records: records.slice(0, 1), backend: 'wasm' }, (e) => events.push(e));
    expect(events.at(-1)).toEqual({ type: 'done', jobId: 's', count: 1, cancelled: false });
    expect(requested.sort()).toEqual(['/assets/config-1a.json', '/assets/model-2b.safetensors']);
    h.dispose();
  });

  it('stops after cancel, before the next sample', async () => {
    const events = await run({ jobId: 'c', model: { kind: 'files', key: 'tiny', files }, records, backend: 'wasm' }, (e) => {
      if (e.type === 'record') handler.cancel('c');
    });
    expect(events.filter((e) => e.type === 'record')).toHaveLength(1);
    expect(events.at(-1)).toEqual({ type: 'done', jobId: 'c', count: 1, cancelled: true });
  });

  it('reports a broken model folder as an error event instead of throwing', async () => {
    const events = await run({ jobId: 'e', model: { kind: 'files', key: 'broken', files: { 'config.json': files['config.json'] } }, records, backend: 'wasm' });
    expect(events.at(-1)).toMatchObject({ type: 'error', jobId: 'e', message: expect.stringMatching(/model\.safetensors/) });
  });
});

describe('computeHandler with sample helpers', () => {
  it('shares a job\'s samples with helpers on wasm, keeps them for the next job on the model, and writes the same lines', async () => {
    const started: number[] = [];
    const helped = createComputeHandler({
      wasmPaths: wasmDistDir(),
      cores: 2,
      // Helpers served in this thread over MessageChannels: the protocol as a worker sees it.
      startHelpers: (count, cfg, params) => {
        started.push(count);
        return Array.from({ length: count }, () => {
          const { port1, port2 } = new MessageChannel();
          serveSamples({ post: (m: HelperReply) => port2.postMessage(m), listen: (f) => port2.on('message', (m: HelperRequest) => f(m)) });
          return portHelper(
            { post: (m: HelperRequest, t?: ArrayBuffer[]) => port1.postMessage(m, t), listen: (f) => port1.on('message', (m: HelperReply) => f(m)), close: () => (port1.close(), port2.close()) },
            cfg,
            params,
          );
        });
      },
    });
    const lines = async (h: ComputeHandler, jobId: string) => {
      const events: ComputeEvent[] = [];
      await h.start({ jobId, model: { kind: 'files', key: 'tiny', files }, records, backend: 'wasm' }, (e) => events.push(e));
      return events.flatMap((e) => (e.type === 'record' ? [e.line] : []));
    };
    try {
      const alone = await lines(handler, 'alone');
      expect(await lines(helped, 'h1')).toEqual(alone);
      expect(await lines(helped, 'h2')).toEqual(alone);
      expect(started).toEqual([1]);
    } finally {
      helped.dispose();
    }
  });
});
