import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend, wasmDistDir } from '../../scripts/lib/nodeBackend';
import { sampleExtra, type Run } from '../../src/core/format/run';
import { parseRun } from '../../src/core/format/runParser';
import { ByteTokenizer, DEFAULT_SPECIAL_TOKENS } from '../../src/core/model/tokenizer';
import { sampleContributions } from '../../src/core/stats/positionContributions';
import { tinyModelFiles } from './tinyModel';
import { createComputeHandler, type ComputeEvent, type ComputeHandler } from '../../src/workers/computeHandler';

const records = [
  { instruction: 'What is 2 + 3?', input: '', output: 'First 2 + 3 = 5. So 5.' },
  { instruction: 'Name a colour.', input: '', output: 'Blue é' },
];
let files: Record<string, Uint8Array>;
let handler: ComputeHandler;

beforeAll(async () => {
  await useNodeBackend('wasm');
  files = tinyModelFiles(3);
  handler = createComputeHandler({ wasmPaths: wasmDistDir() });
});
afterAll(() => handler.dispose());

const model = () => ({ kind: 'files' as const, key: 'tiny', files });

describe('computeHandler: one sample recomputed (the what-if)', () => {
  it('gives the job\'s own record for an unchanged sample, bit for bit, with its cₜ, and other numbers for an edited response', async () => {
    const events: ComputeEvent[] = [];
    await handler.start({ jobId: 'j', model: model(), records, backend: 'wasm', tokenNorms: true }, (e) => events.push(e));
    const lines = events.flatMap((e) => (e.type === 'record' ? [e.line] : []));
    const job = parseRun('job.jsonl', new TextEncoder().encode(lines.join('\n') + '\n'));
    expect(sampleContributions(sampleExtra(job, 0), job.layerCount)?.grids.size).toBe(4);

    const same = await handler.sample({ model: model(), backend: 'wasm', record: records[0], runId: 'w1', runPath: 'w1.jsonl' });
    if (!same.ok) throw new Error(same.error);
    expect(same.run.id).toBe('w1');
    expect(same.run.sampleCount).toBe(1);
    expect(same.run.loss[0]).toBe(job.loss[0]);
    const at = (run: Run, sample: number) => Array.from(run.values.get('self_attn.q_proj')!.get('S_sum')!.slice(sample * 3, sample * 3 + 3));
    expect(at(same.run, 0)).toEqual(at(job, 0));
    expect(sampleExtra(same.run, 0)).toEqual(sampleExtra(job, 0));
    // The tokens as text, one per position: BOS, then the base template's instruction + "\n" + output.
    expect(same.tokens[0]).toBe('<|bos|>');
    expect(same.tokens.slice(1).join('')).toBe(`${records[0].instruction}\n${records[0].output}`);
    expect(same.ms).toBeGreaterThan(0);

    const edited = await handler.sample({ model: model(), backend: 'wasm', record: { ...records[0], output: 'So 5.' }, runId: 'w2', runPath: 'w2.jsonl' });
    if (!edited.ok) throw new Error(edited.error);
    const grid = sampleContributions(sampleExtra(edited.run, 0), 3)!;
    expect(grid.length).toBe(1 + records[0].instruction.length + 1 + 'So 5.'.length);
    expect(grid.responseStart).toBe(1 + records[0].instruction.length + 1);
    expect(at(edited.run, 0)).not.toEqual(at(job, 0));
  });

  it('decodes a multi-byte character on its first byte', async () => {
    const ids = new ByteTokenizer(DEFAULT_SPECIAL_TOKENS).encode('Blue é');
    expect(await handler.tokenTexts(model(), undefined, ids)).toEqual(['B', 'l', 'u', 'e', ' ', 'é', '·']);
  });

  it('answers a clear error, not a rejection, for a length the model cannot take', async () => {
    const result = await handler.sample({ model: model(), backend: 'wasm', record: records[0], maxLength: 10 ** 9, runId: 'x', runPath: 'x.jsonl' });
    expect(result.ok).toBe(false);
  });
});
