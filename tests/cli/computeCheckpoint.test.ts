// `gradlens compute --model DIR` on a Hugging Face folder: described and estimated on
// stderr before computing, records as for the shipped models, and refusals in one line.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { run } from '../../scripts/cli/compute';
import { CHECKPOINTS, randomParameters, writeCheckpoint } from '../../scripts/fixtures/makeCheckpoints';
import { useNodeBackend } from '../../scripts/lib/nodeBackend';
import { writeSafetensors } from '../../src/core/model/safetensors';

let dir: string;
let model: string;
let dataFile: string;
let stderr: string[] = [];
const spec = CHECKPOINTS.find((c) => c.folder === 'Qwen2.5-tiny-Instruct')!;

beforeAll(async () => {
  await useNodeBackend('wasm');
  dir = mkdtempSync(join(tmpdir(), 'gradlens-ckpt-cli-'));
  model = join(dir, spec.folder);
  await writeCheckpoint(model, spec);
  dataFile = join(dir, 'data.jsonl');
  writeFileSync(dataFile, [{ instruction: 'What is 2 + 3?', output: 'The answer is 5.' }, { instruction: 'Add 4 and 4.', output: '8' }].map((r) => JSON.stringify(r)).join('\n'));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => (stderr.push(String(s)), true));
}, 60_000);
afterAll(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

describe('gradlens compute --model DIR on a checkpoint', () => {
  it('prints the architecture, size, tokenizer and memory estimate, then writes records with token ids', async () => {
    stderr = [];
    const out = join(dir, 'out.jsonl');
    expect(await run(['--model', model, '--data', dataFile, '--out', out, '--with-tokens'])).toBe(0);
    const text = stderr.join('');
    expect(text).toMatch(/Qwen2\.5-tiny-Instruct: Qwen2ForCausalLM, 2\.43 M parameters \(BF16\), 2 layers × 16, BPE \(tokenizer\.json\) tokenizer of 151,669 tokens, chat template, up to 32768 tokens/);
    expect(text).toMatch(/memory for the longest sample \(\d+ tokens\): weights 9\.74 MB \+ activations .* = .* \(budget 4.29 GB\)/);
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect((lines[0].input_ids as number[])[0]).toBe(151644); // <|im_start|>: the chat template
    expect(lines[0].response_start).toBeGreaterThan(10);
    expect(Number.isFinite(lines[0].loss as number)).toBe(true);
  }, 120_000);

  it('refuses --max-length 1e9 in one line naming the model maximum, before reading weights', async () => {
    stderr = [];
    expect(await run(['--model', model, '--data', dataFile, '--out', join(dir, 'x.jsonl'), '--max-length', '1e9'])).toBe(1);
    expect(stderr.join('')).toBe(`gradlens compute: --model ${model}: maximum length 1000000000 is above what the model takes (32768 tokens: max_position_embeddings)\n`);
  }, 60_000);

  it('refuses a sample above the memory budget with the estimate and the length that fits', async () => {
    stderr = [];
    expect(await run(['--model', model, '--data', dataFile, '--out', join(dir, 'x.jsonl'), '--memory-budget', '0.02'])).toBe(1);
    expect(stderr.join('')).toMatch(/needs about .* above the memory budget of 20\.0 MB; (samples up to \d+ tokens fit \(lower the maximum length\), or )?raise the budget\n$/);
  }, 60_000);

  it('warns with the sample named when weights overflow float32 and the loss is not finite', async () => {
    stderr = [];
    const huge = join(dir, 'huge');
    await writeCheckpoint(huge, spec);
    const params = randomParameters(spec.config, 1);
    for (const [name, t] of params) if (name.includes('up_proj')) t.data.fill(3e38);
    writeFileSync(join(huge, 'model.safetensors'), writeSafetensors(params));
    expect(await run(['--model', huge, '--data', dataFile, '--out', join(dir, 'huge.jsonl')])).toBe(0);
    expect(stderr.join('')).toMatch(/warning: sample 1 \("What is 2 \+ 3\?"\): loss is NaN, so its statistics are NaN/);
  }, 120_000);
});
