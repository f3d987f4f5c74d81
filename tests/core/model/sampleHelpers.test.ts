// Samples computed by helpers: the protocol over a real MessageChannel (the helper's
// side runs in this thread, on the other port), records equal to this thread's own,
// computeRecords sharing samples out and keeping their order, errors, and how many
// helpers a job gets.
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../../scripts/lib/nodeBackend';
import { toJsonlLine } from '../../../src/core/format/jsonl';
import { computeRecords, type ComputeModel } from '../../../src/core/model/computeRecords';
import { parseConfig } from '../../../src/core/model/config';
import { estimateMemory } from '../../../src/core/model/memoryEstimate';
import { disposeParams, initParams } from '../../../src/core/model/params';
import { helperCount, portHelper, serveSamples, type HelperReply, type HelperRequest, type SampleHelper } from '../../../src/core/model/sampleHelpers';
import { ByteTokenizer, DEFAULT_SPECIAL_TOKENS } from '../../../src/core/model/tokenizer';

const config = parseConfig({
  model_type: 'llama', vocab_size: 262, hidden_size: 16, intermediate_size: 24,
  num_hidden_layers: 2, num_attention_heads: 2, num_key_value_heads: 1,
});
const records = Array.from({ length: 7 }, (_, i) => ({ instruction: `What is ${i} + ${i + 2}?`, input: '', output: `${2 * i + 2}${'!'.repeat(i * 3)}` }));
let model: ComputeModel;
const ports: MessagePort[] = [];

/** A helper whose other end is served in this thread. */
function channelHelper(): SampleHelper {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  serveSamples({ post: (m: HelperReply) => port2.postMessage(m), listen: (f) => port2.on('message', (m: HelperRequest) => f(m)) });
  return portHelper(
    { post: (m: HelperRequest, t?: ArrayBuffer[]) => port1.postMessage(m, t), listen: (f) => port1.on('message', (m: HelperReply) => f(m)), close: () => port1.close() },
    model.config,
    model.params,
  );
}

async function lines(helpers: SampleHelper[] = []): Promise<string[]> {
  const out: string[] = [];
  for await (const r of computeRecords(model, records, { withTokens: true, helpers })) out.push(toJsonlLine(r));
  return out;
}

beforeAll(async () => {
  await useNodeBackend('wasm');
  model = { config, params: initParams(config, 1), tokenizer: new ByteTokenizer(DEFAULT_SPECIAL_TOKENS), template: 'base' };
});
afterAll(() => {
  disposeParams(model.params);
  for (const p of ports) p.close();
});

describe('sample helpers', () => {
  it('give computeRecords the same records, in the same order, with one helper or two as without', async () => {
    const alone = await lines();
    expect(alone).toHaveLength(records.length);
    expect(await lines([channelHelper()])).toEqual(alone);
    expect(await lines([channelHelper(), channelHelper()])).toEqual(alone);
  });

  it('share the samples out: each helper computes some, and this thread too', async () => {
    const helper = channelHelper();
    let count = 0;
    const counting: SampleHelper = { compute: (job) => (count++, helper.compute(job)), close: () => helper.close() };
    expect(await lines([counting])).toHaveLength(records.length);
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThan(records.length);
  });

  it('end the stream with a helper\'s error', async () => {
    const failing: SampleHelper = { compute: () => Promise.reject(new Error('out of memory in the helper')), close: () => {} };
    await expect(lines([failing])).rejects.toThrow('out of memory in the helper');
  });

  it('answer a sample sent before the model with an error, not silence', async () => {
    const { port1, port2 } = new MessageChannel();
    ports.push(port1, port2);
    serveSamples({ post: (m: HelperReply) => port2.postMessage(m), listen: (f) => port2.on('message', (m: HelperRequest) => f(m)) });
    const reply = new Promise<HelperReply>((resolve) => port1.once('message', resolve));
    port1.postMessage({ type: 'sample', id: 3, job: { sample: { ids: [1, 2, 3], responseStart: 1 }, text: { instruction: '', input: '', output: '' }, withTokens: false } });
    expect(await reply).toEqual({ type: 'error', id: 3, message: 'sample helper: no model yet' });
  });


  it('hold messages until the thread is ready, and answer every sample with the error when it never is', async () => {
    const { port1, port2 } = new MessageChannel();
    ports.push(port1, port2);
    let start!: () => void;
    serveSamples({ post: (m: HelperReply) => port2.postMessage(m), listen: (f) => port2.on('message', (m: HelperRequest) => f(m)) }, new Promise<void>((r) => (start = r)));
    const helper = portHelper(
      { post: (m: HelperRequest, t?: ArrayBuffer[]) => port1.postMessage(m, t), listen: (f) => port1.on('message', (m: HelperReply) => f(m)), close: () => port1.close() },
      model.config,
      model.params,
    );
    const job = { sample: { ids: [256, 72, 105, 10, 111, 107], responseStart: 4 }, text: { instruction: 'Hi', input: '', output: 'ok' }, withTokens: false };
    const pending = helper.compute(job);
    await new Promise((r) => setTimeout(r, 50));
    start();
    expect((await pending).loss).toBeGreaterThan(0);

    const broken = new MessageChannel();
    ports.push(broken.port1, broken.port2);
    serveSamples({ post: (m: HelperReply) => broken.port2.postMessage(m), listen: (f) => broken.port2.on('message', (m: HelperRequest) => f(m)) }, Promise.reject(new Error('wasm did not start')));
    const dead = portHelper(
      { post: (m: HelperRequest, t?: ArrayBuffer[]) => broken.port1.postMessage(m, t), listen: (f) => broken.port1.on('message', (m: HelperReply) => f(m)), close: () => broken.port1.close() },
      model.config,
      model.params,
    );
    await expect(dead.compute(job)).rejects.toThrow('sample helper: wasm did not start');
  });
});

describe('helperCount', () => {
  const perThread = estimateMemory(config, 100).total;
  it.each([
    { label: 'one per core beyond this thread', cores: 2, samples: 12, budget: 1e12, max: undefined, expected: 1 },
    { label: 'at most three by default', cores: 16, samples: 50, budget: 1e12, max: undefined, expected: 3 },
    { label: 'none for one sample', cores: 4, samples: 1, budget: 1e12, max: undefined, expected: 0 },
    { label: 'no more than the samples beyond this thread\'s', cores: 8, samples: 3, budget: 1e12, max: 8, expected: 2 },
    { label: 'as many as the memory budget holds next to this thread', cores: 8, samples: 50, budget: 2.5 * perThread, max: 8, expected: 1 },
    { label: 'none on one core', cores: 1, samples: 50, budget: 1e12, max: undefined, expected: 0 },
  ])('$label', ({ cores, samples, budget, max, expected }) => {
    expect(helperCount({ cores, samples, config, seqLen: 100, budget, max })).toBe(expected);
  });
});
