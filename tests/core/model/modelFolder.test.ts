import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../../scripts/lib/nodeBackend';
import { loadByteModelDir as loadModelDir, saveModelDir } from '../../../scripts/lib/modelDir';
import { parseConfig } from '../../../src/core/model/config';
import { forwardLogits } from '../../../src/core/model/llama';
import { asByteModel, loadModel as loadAnyModel, saveModel, type LoadedModel } from '../../../src/core/model/modelFolder';
import { disposeParams, initParams, paramShapes } from '../../../src/core/model/params';
import { writeSafetensors } from '../../../src/core/model/safetensors';
import { ByteTokenizer, DEFAULT_SPECIAL_TOKENS } from '../../../src/core/model/tokenizer';

const TINY_DIR = fileURLToPath(new URL('../../fixtures/model-io/tiny', import.meta.url));

/** The value formula of scripts/fixtures/make_safetensors_fixture.py. */
function fixtureValues(name: string, count: number): Float32Array {
  const k = [...name].reduce((s, c) => s + c.charCodeAt(0), 0);
  return Float32Array.from({ length: count }, (_, i) => 0.05 * Math.sin(0.37 * (i + 1) + 1.3 * k));
}

const loadModel = async (...a: Parameters<typeof loadAnyModel>) => asByteModel(await loadAnyModel(...a));
const fromMap = (files: Map<string, Uint8Array>) => async (name: string) => files.get(name) ?? null;

const config = parseConfig({
  model_type: 'llama', vocab_size: 262, hidden_size: 16, intermediate_size: 20, num_hidden_layers: 2,
  num_attention_heads: 4, num_key_value_heads: 2, max_position_embeddings: 64,
});

function freshModel(template: 'base' | 'chat' = 'chat', tie = false): LoadedModel<ByteTokenizer> {
  const c = { ...config, tie_word_embeddings: tie };
  return { name: 'fresh', config: c, params: initParams(c, 7), tokenizer: new ByteTokenizer(DEFAULT_SPECIAL_TOKENS), template };
}

const IDS = [[256, 259, 72, 105, 261, 260, 52, 50]];

beforeAll(async () => {
  await useNodeBackend('wasm');
});

describe('loadModel on a folder written by numpy (scripts/fixtures/make_safetensors_fixture.py)', () => {
  it('loads every parameter with its HF name, shape and values (|Δ| ≤ 1e-7)', async () => {
    const model = await loadModelDir(TINY_DIR);
    const shapes = paramShapes(model.config);
    expect([...model.params.keys()]).toEqual([...shapes.keys()]);
    expect(model.params.size).toBe(21);
    for (const [name, shape] of shapes) {
      const t = model.params.get(name)!;
      expect(t.shape, name).toEqual(shape);
      const want = fixtureValues(name, t.size);
      const got = t.dataSync();
      let worst = 0;
      for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
      expect(worst, `${name}: max |Δ|`).toBeLessThanOrEqual(1e-7);
    }
    disposeParams(model.params);
  });

  it('reads the template, the special tokens and names the model after its folder', async () => {
    const model = await loadModelDir(TINY_DIR);
    expect(model.template).toBe('chat');
    expect(model.name).toBe('tiny');
    expect(model.tokenizer.vocabSize).toBe(262);
    expect(model.tokenizer.id('<|assistant|>')).toBe(260);
    expect(model.config.num_key_value_heads).toBe(2);
    disposeParams(model.params);
  });

  it('runs a forward pass with finite logits of shape [1, T, 262]', async () => {
    const model = await loadModelDir(TINY_DIR);
    const out = tf.tidy(() => forwardLogits(model.config, model.params, tf.tensor2d(IDS, undefined, 'int32')));
    expect(out.shape).toEqual([1, 8, 262]);
    expect(Array.from(out.dataSync()).every(Number.isFinite)).toBe(true);
    out.dispose();
    disposeParams(model.params);
  });
});

describe('saveModel then loadModel', () => {
  for (const tie of [false, true]) {
    it(`gives identical forward outputs (bitwise) and parameters (tied embeddings: ${tie})`, async () => {
      const model = freshModel('chat', tie);
      const files = saveModel(model);
      expect([...files.keys()].sort()).toEqual(['config.json', 'model.safetensors', 'special_tokens.json']);
      const back = await loadModel(fromMap(files));
      expect(back.config).toEqual(model.config);
      expect(back.template).toBe('chat');
      expect(back.name).toBe('fresh');
      expect(back.tokenizer.specialTokens()).toEqual(DEFAULT_SPECIAL_TOKENS);
      for (const [name, t] of model.params) expect(Array.from(back.params.get(name)!.dataSync()), name).toEqual(Array.from(t.dataSync()));
      const run = (m: LoadedModel) => tf.tidy(() => Array.from(forwardLogits(m.config, m.params, tf.tensor2d(IDS, undefined, 'int32')).dataSync()));
      expect(run(back)).toEqual(run(model));
      disposeParams(model.params);
      disposeParams(back.params);
    });
  }

  it('writes config.json that HF tools read (architectures, torch_dtype, bos/eos ids) and marks the template', () => {
    const model = freshModel('base');
    const json = JSON.parse(new TextDecoder().decode(saveModel(model).get('config.json')!)) as Record<string, unknown>;
    expect(json).toMatchObject({ architectures: ['LlamaForCausalLM'], model_type: 'llama', torch_dtype: 'float32', gradlens_template: 'base', bos_token_id: 256, eos_token_id: 257 });
    disposeParams(model.params);
  });

  it('writes and reads a folder on disk through scripts/lib/modelDir', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gradlens-model-'));
    try {
      const model = freshModel('chat');
      const written = await saveModelDir(join(dir, 'm'), model);
      expect(written.every((p) => existsSync(p))).toBe(true);
      const back = await loadModelDir(join(dir, 'm'));
      expect(back.name).toBe('fresh');
      expect(Array.from(back.params.get('model.norm.weight')!.dataSync())).toEqual(Array.from(model.params.get('model.norm.weight')!.dataSync()));
      expect(JSON.parse(readFileSync(join(dir, 'm', 'special_tokens.json'), 'utf8'))).toEqual(DEFAULT_SPECIAL_TOKENS);
      disposeParams(model.params);
      disposeParams(back.params);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('loadModel errors', () => {
  let files: Map<string, Uint8Array>;
  beforeAll(() => {
    const m = freshModel();
    files = saveModel(m);
    disposeParams(m.params);
  });
  afterAll(() => tf.disposeVariables());
  const withFile = (name: string, bytes: Uint8Array | null) => {
    const copy = new Map(files);
    if (bytes) copy.set(name, bytes);
    else copy.delete(name);
    return fromMap(copy);
  };
  const enc = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));
  const weights = (mutate: (m: Map<string, { shape: number[]; data: Float32Array }>) => void) => {
    const m = new Map([...paramShapes(config)].map(([n, s]) => [n, { shape: s, data: new Float32Array(s.reduce((a, b) => a * b, 1)) }]));
    mutate(m);
    return writeSafetensors(m);
  };

  it.each([
    ['config.json is missing', () => withFile('config.json', null), /config.json not found/],
    ['model.safetensors is missing', () => withFile('model.safetensors', null), /model.safetensors not found/],
    ['config.json is not JSON', () => withFile('config.json', new TextEncoder().encode('{')), /config.json: not valid JSON/],
    ['the template is unknown', () => withFile('config.json', enc({ ...config, gradlens_template: 'foo' })), /gradlens_template/],
    ['a special id is outside the vocabulary', () => withFile('special_tokens.json', enc({ '<|bos|>': 400 })), /outside vocab_size 262/],
    ['a parameter is missing', () => withFile('model.safetensors', weights((m) => m.delete('model.norm.weight'))), /missing parameter model.norm.weight/],
    ['a parameter has the wrong shape', () => withFile('model.safetensors', weights((m) => m.set('model.norm.weight', { shape: [8], data: new Float32Array(8) }))), /model.norm.weight has shape \[8\], config.json implies \[16\]/],
    ['a bias is present', () => withFile('model.safetensors', weights((m) => m.set('model.layers.0.self_attn.q_proj.bias', { shape: [16], data: new Float32Array(16) }))), /unexpected parameter model.layers.0.self_attn.q_proj.bias/],
    ['the weights file is garbage', () => withFile('model.safetensors', new Uint8Array(3)), /model.safetensors: safetensors: file of 3 bytes/],
  ])('names the problem when %s', async (_, reader, message) => {
    await expect(loadModel(reader())).rejects.toThrow(message);
  });

  it('assumes the default special tokens that fit when special_tokens.json is absent', async () => {
    const m = await loadModel(withFile('special_tokens.json', null));
    expect(m.tokenizer.vocabSize).toBe(262);
    disposeParams(m.params);
  });

  it('ignores rotary inv_freq buffers some checkpoints carry', async () => {
    const m = await loadModel(withFile('model.safetensors', weights((w) => w.set('model.layers.0.self_attn.rotary_emb.inv_freq', { shape: [2], data: new Float32Array(2) }))));
    expect(m.params.has('model.layers.0.self_attn.rotary_emb.inv_freq')).toBe(false);
    disposeParams(m.params);
  });
});
