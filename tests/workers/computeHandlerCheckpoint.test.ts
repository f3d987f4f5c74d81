// The compute worker on a Hugging Face folder given as File objects (what the panel's
// folder picker hands it): described before computing, refused in one line when the
// length does not fit, computed by ranges of the files.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKPOINTS, checkpointFiles } from '../../scripts/fixtures/makeCheckpoints';
import { useNodeBackend, wasmDistDir } from '../../scripts/lib/nodeBackend';
import { parseRun } from '../../src/core/format/runParser';
import { createComputeHandler, type ComputeEvent, type ComputeHandler, type ModelSource } from '../../src/workers/computeHandler';

const spec = CHECKPOINTS.find((c) => c.folder === 'TinyLlama-tiny')!; // sharded, F16, Llama 2 tokenizer with BOS
let source: ModelSource;
let handler: ComputeHandler;
const records = [
  { instruction: 'What is 2 + 3?', input: '', output: 'The answer is 5.' },
  { instruction: 'What is 4 + 4?', input: '', output: 'The answer is 8.' },
];

beforeAll(async () => {
  await useNodeBackend('wasm');
  const files = Object.fromEntries([...checkpointFiles(spec)].map(([name, bytes]) => [name, new Blob([bytes as Uint8Array<ArrayBuffer>])]));
  source = { kind: 'blobs', key: spec.folder, files };
  handler = createComputeHandler({ wasmPaths: wasmDistDir() });
}, 60_000);
afterAll(() => handler.dispose());

const events = async (job: Parameters<ComputeHandler['start']>[0]) => {
  const all: ComputeEvent[] = [];
  await handler.start(job, (e) => all.push(e));
  return all;
};

describe('computeHandler on a checkpoint folder of File objects', () => {
  it('describes the folder: architecture, size, storage dtype, tokenizer and template', async () => {
    const result = await handler.inspect(source, { folderName: spec.folder });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.info).toMatchObject({ name: spec.folder, architecture: 'LlamaForCausalLM', dtypes: ['F16'], template: 'base', maxLength: 2048 });
    expect(result.info.weightFiles).toEqual(['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors']);
    expect(result.description).toBe('LlamaForCausalLM, 1.03 M parameters (F16, 2 files), 2 layers × 16, BPE (tokenizer.json) tokenizer of 32,000 tokens, base template, up to 2048 tokens');
  }, 60_000);

  it('says why a folder cannot be used', async () => {
    const { files } = source as { files: Record<string, Blob> };
    const noTokenizer = { kind: 'blobs' as const, key: 'no-tok', files: Object.fromEntries(Object.entries(files).filter(([n]) => !n.startsWith('tokenizer'))) };
    expect(await handler.inspect(noTokenizer)).toEqual({ ok: false, error: 'tokenizer.json not found in the model folder (vocab_size 32000 is not a byte-level model)' });
  }, 60_000);

  it('streams records of the checkpoint that the run reader accepts', async () => {
    const all = await events({ jobId: 'a', model: source, records, maxLength: 64, withTokens: true, modelOptions: { folderName: spec.folder } });
    expect(all.filter((e) => e.type === 'error')).toEqual([]);
    const lines = all.flatMap((e) => (e.type === 'record' ? [e.line] : []));
    expect(lines).toHaveLength(2);
    const run = parseRun('x.jsonl', new TextEncoder().encode(lines.join('\n')));
    expect(run.layerCount).toBe(2);
    expect((JSON.parse(lines[0]) as { input_ids: number[] }).input_ids[0]).toBe(1); // BOS
  }, 120_000);

  it('refuses a maximum length above max_position_embeddings, and a sample above the memory budget, in one line', async () => {
    const long = await events({ jobId: 'b', model: source, records, maxLength: 1e9 });
    expect(long.at(-1)).toEqual({ type: 'error', jobId: 'b', message: 'maximum length 1000000000 is above what the model takes (2048 tokens: max_position_embeddings)' });
    const big = await events({ jobId: 'c', model: source, records, maxLength: 64, modelOptions: { memoryBudget: 5e6 } });
    const last = big.at(-1)!;
    expect(last.type).toBe('error');
    expect((last as { message: string }).message).toMatch(/^a \d+-token sample needs about .* above the memory budget of 5\.00 MB; (samples up to \d+ tokens fit \(lower the maximum length\), or )?raise the budget$/);
  }, 60_000);
});
