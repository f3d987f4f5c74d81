/**
 * A model folder in Hugging Face's layout, read and written through a file callback so
 * the same code serves Node (fs), the browser (fetch or File objects) and tests.
 *
 * Files:
 * - `config.json`: LlamaConfig fields (see config.ts) plus `gradlens_template`
 *   ("base" | "chat", default "base") and `gradlens_name`; HF tools ignore both.
 * - `model.safetensors`: parameters with HF names and shapes, float32 (F16/BF16 read too).
 * - `special_tokens.json`: special token name → id (ids ≥ 256; bytes are 0–255). When
 *   absent, the default special tokens whose ids fit the vocabulary are assumed.
 */
import * as tf from '@tensorflow/tfjs';
import { parseConfig, type LlamaConfig } from './config';
import { paramShapes, type Params } from './params';
import { readSafetensors, writeSafetensors } from './safetensors';
import type { TemplateKind } from './template';
import { ByteTokenizer, DEFAULT_SPECIAL_TOKENS } from './tokenizer';

/** A model ready to run: its config, parameters (caller disposes), tokenizer and template. */
export interface LoadedModel {
  name: string;
  config: LlamaConfig;
  params: Params;
  tokenizer: ByteTokenizer;
  template: TemplateKind;
}

/** Reads one file of the folder by name; null when the file does not exist. */
export type ReadModelFile = (name: string) => Promise<Uint8Array | null>;

const decodeJson = (bytes: Uint8Array, file: string): unknown => {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
  }
};

/** Buffers some checkpoints carry that are not parameters (recomputed by the model). */
const IGNORED = /(^|\.)rotary_emb\.inv_freq$/;

/**
 * Load a model folder. `name` labels the model (default: `gradlens_name` in config.json,
 * else "model"). Throws naming the file and the problem when config.json or
 * model.safetensors is missing or invalid, a parameter is missing, has the wrong shape or
 * is unknown (e.g. a bias, which would change the function), or a special token id does
 * not fit the vocabulary. A tied model's extra `lm_head.weight` is ignored.
 */
export async function loadModel(readFile: ReadModelFile, name?: string): Promise<LoadedModel> {
  const configBytes = await readFile('config.json');
  if (!configBytes) throw new Error('config.json not found in the model folder');
  const rawConfig = decodeJson(configBytes, 'config.json') as Record<string, unknown>;
  const config = parseConfig(rawConfig, 'config.json');
  const template = rawConfig.gradlens_template ?? 'base';
  if (template !== 'base' && template !== 'chat') throw new Error(`config.json: gradlens_template must be "base" or "chat", got ${JSON.stringify(template)}`);

  const specialBytes = await readFile('special_tokens.json');
  let special: Record<string, number>;
  if (specialBytes) {
    const raw = decodeJson(specialBytes, 'special_tokens.json');
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('special_tokens.json: must map token names to ids');
    special = raw as Record<string, number>;
    for (const [tok, id] of Object.entries(special)) {
      if (typeof id !== 'number' || id >= config.vocab_size) throw new Error(`special_tokens.json: ${tok} has id ${id}, outside vocab_size ${config.vocab_size}`);
    }
  } else {
    special = Object.fromEntries(Object.entries(DEFAULT_SPECIAL_TOKENS).filter(([, id]) => id < config.vocab_size));
  }
  const tokenizer = new ByteTokenizer(special);

  const weights = await readFile('model.safetensors');
  if (!weights) throw new Error('model.safetensors not found in the model folder');
  let entries;
  try {
    entries = readSafetensors(weights);
  } catch (e) {
    throw new Error(`model.safetensors: ${(e as Error).message}`);
  }
  const shapes = paramShapes(config);
  for (const key of entries.keys()) {
    if (shapes.has(key) || IGNORED.test(key) || (key === 'lm_head.weight' && config.tie_word_embeddings)) continue;
    throw new Error(`model.safetensors: unexpected parameter ${key} (not part of a bias-free Llama with this config)`);
  }
  const params: Params = new Map();
  for (const [key, shape] of shapes) {
    const e = entries.get(key);
    if (!e) throw new Error(`model.safetensors: missing parameter ${key}`);
    if (e.shape.length !== shape.length || e.shape.some((d, i) => d !== shape[i])) {
      throw new Error(`model.safetensors: ${key} has shape [${e.shape}], config.json implies [${shape}]`);
    }
    params.set(key, tf.tensor(e.data, shape, 'float32'));
  }
  const label = name ?? (typeof rawConfig.gradlens_name === 'string' ? rawConfig.gradlens_name : 'model');
  return { name: label, config, params, tokenizer, template };
}

/**
 * The files of a model folder: config.json (with gradlens_template, gradlens_name and the
 * HF fields architectures, torch_dtype, bos/eos ids), model.safetensors (float32, names
 * sorted) and special_tokens.json. Reads the parameters' values (synchronously).
 */
export function saveModel(model: LoadedModel): Map<string, Uint8Array> {
  const enc = new TextEncoder();
  const tok = model.tokenizer;
  const config: Record<string, unknown> = {
    architectures: ['LlamaForCausalLM'],
    ...model.config,
    torch_dtype: 'float32',
    gradlens_template: model.template,
    gradlens_name: model.name,
  };
  if (tok.has('<|bos|>')) config.bos_token_id = tok.id('<|bos|>');
  if (tok.has('<|eos|>')) config.eos_token_id = tok.id('<|eos|>');
  const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const [key, t] of model.params) tensors.set(key, { shape: t.shape, data: Float32Array.from(t.dataSync() as Float32Array) });
  return new Map([
    ['config.json', enc.encode(`${JSON.stringify(config, null, 2)}\n`)],
    ['model.safetensors', writeSafetensors(tensors, { format: 'pt' })],
    ['special_tokens.json', enc.encode(`${JSON.stringify(tok.specialTokens(), null, 2)}\n`)],
  ]);
}
