/**
 * A model folder in Hugging Face's layout, read through a small file interface so the
 * same code serves Node (file handles), the browser (File objects or fetch) and tests.
 *
 * Files:
 * - `config.json`: a Llama, Mistral, Qwen2 or Qwen3 config (see config.ts); the shipped
 *   models add `gradlens_template` ("base" | "chat") and `gradlens_name`.
 * - `model.safetensors`, or `model.safetensors.index.json` and the shards its
 *   `weight_map` names: F32, F16 or BF16 parameters with HF names and shapes.
 * - `tokenizer.json` (+ `tokenizer_config.json`, its chat template, or
 *   `chat_template.jinja`): the checkpoint's tokenizer. Without it, the shipped models'
 *   byte tokenizer with `special_tokens.json` (special token name → id, ids ≥ 256).
 *
 * Reading happens in two steps: inspectModel reads config.json, the safetensors headers
 * and the tokenizer, checks them against each other and a memory budget, and says what
 * the model is; loadWeights then converts one tensor at a time to float32, so a folder
 * of any size is never held twice.
 */
import * as tf from '@tensorflow/tfjs';
import { ARCHITECTURES, maxSequenceLength, parameterCount, parseConfig, toHfConfig, type LlamaConfig } from './config';
import { HfTokenizer, type TokenizerSummary } from './hfTokenizer';
import { DEFAULT_MEMORY_BUDGET, formatBytes } from './memoryEstimate';
import { paramShapes, type Params } from './params';
import { decodeTensor, headerLength, parseSafetensorsHeader, writeSafetensors, type SafetensorsDtype, type TensorLayout } from './safetensors';
import type { ModelTokenizer, TemplateKind } from './template';
import { ByteTokenizer, DEFAULT_SPECIAL_TOKENS } from './tokenizer';

/** A model ready to run: its config, parameters (caller disposes), tokenizer and template. */
export interface LoadedModel<T extends ModelTokenizer = ModelTokenizer> {
  name: string;
  config: LlamaConfig;
  params: Params;
  tokenizer: T;
  template: TemplateKind;
}

/** The model, typed as a byte-level one (the shipped models, training); throws for a checkpoint with tokenizer.json. */
export function asByteModel(model: LoadedModel): LoadedModel<ByteTokenizer> {
  if (!(model.tokenizer instanceof ByteTokenizer)) throw new Error(`${model.name} has its own tokenizer.json; this needs a byte-level model (data/models)`);
  return model as LoadedModel<ByteTokenizer>;
}

/** Reads one file of the folder by name; null when the file does not exist. */
export type ReadModelFile = (name: string) => Promise<Uint8Array | null>;

/** A folder's files: whole small files, sizes, and byte ranges of large ones. */
export interface ModelFiles {
  /** The whole file, or null when it does not exist. */
  read(name: string): Promise<Uint8Array | null>;
  /** The file's size in bytes, or null when it does not exist. */
  size(name: string): Promise<number | null>;
  /** Bytes [begin, end) of an existing file. */
  readRange(name: string, begin: number, end: number): Promise<Uint8Array>;
}

/** ModelFiles over a reader of whole files (URLs, bytes in memory): each file is read once and sliced. */
export function wholeFileReader(read: ReadModelFile): ModelFiles {
  const cache = new Map<string, Promise<Uint8Array | null>>();
  const get = (name: string) => {
    let p = cache.get(name);
    if (!p) cache.set(name, (p = read(name)));
    return p;
  };
  return {
    read: get,
    size: async (name) => (await get(name))?.byteLength ?? null,
    async readRange(name, begin, end) {
      const bytes = await get(name);
      if (!bytes) throw new Error(`${name} not found in the model folder`);
      return bytes.subarray(begin, end);
    },
  };
}

/** ModelFiles over Blobs by name (the browser's File objects from a folder picker or a drop): ranges are read by slice. */
export function blobFiles(files: Readonly<Record<string, Blob>>): ModelFiles {
  const own = (name: string) => (Object.prototype.hasOwnProperty.call(files, name) ? files[name] : undefined);
  return {
    async read(name) {
      const f = own(name);
      return f ? new Uint8Array(await f.arrayBuffer()) : null;
    },
    size: async (name) => own(name)?.size ?? null,
    async readRange(name, begin, end) {
      const f = own(name);
      if (!f) throw new Error(`${name} not found in the model folder`);
      return new Uint8Array(await f.slice(begin, end).arrayBuffer());
    },
  };
}

/** What a folder holds, known before any weight is read. */
export interface ModelInfo {
  name: string;
  config: LlamaConfig;
  /** e.g. "Qwen2ForCausalLM". */
  architecture: string;
  parameters: number;
  /** Stored dtypes of the parameters, e.g. ["BF16"]; computation is float32 whatever they are. */
  dtypes: SafetensorsDtype[];
  /** Weight files, e.g. ["model.safetensors"] or the shards. */
  weightFiles: string[];
  weightBytes: number;
  tokenizer: TokenizerSummary;
  /** Template used unless the caller chooses: chat for instruct checkpoints with a chat template. */
  template: TemplateKind;
  /** Longest sample the model takes (max_position_embeddings, sliding window). */
  maxLength: number;
}

/** A folder after inspection: its description, tokenizer, and where each parameter lies. */
export interface InspectedModel {
  info: ModelInfo;
  tokenizer: ModelTokenizer;
  tensors: Map<string, { file: string; layout: TensorLayout }>;
}

/** Options of inspectModel and loadModel. */
export interface InspectOptions {
  /** Label of the model (default: gradlens_name, else folderName, else "model"). */
  name?: string;
  /** The folder's name: the default label, and a hint that it is an instruct model ("…-Instruct", "…-chat", "…-it"). */
  folderName?: string;
  /** Force the base or chat template (default: see ModelInfo.template). */
  template?: TemplateKind;
  /** Refuse a config whose float32 weights alone exceed this many bytes (default DEFAULT_MEMORY_BUDGET). */
  memoryBudget?: number;
}

const decodeJson = (bytes: Uint8Array, file: string): unknown => {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
  }
};

const jsonObject = (bytes: Uint8Array, file: string): Record<string, unknown> => {
  const v = decodeJson(bytes, file);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${file}: must be a JSON object`);
  return v as Record<string, unknown>;
};

/** Buffers some checkpoints carry that are not parameters (recomputed by the model). */
const IGNORED = /(^|\.)rotary_emb\.inv_freq$/;
/** A shard name the index may point to: a plain file name in the folder. */
const SHARD_NAME = /^[\w.-]+\.safetensors$/;

function toReader(files: ModelFiles | ReadModelFile): ModelFiles {
  return typeof files === 'function' ? wholeFileReader(files) : files;
}

/** Layouts of every tensor in the folder's weight files (one file, or the shards of the index). */
async function readLayouts(files: ModelFiles): Promise<{ tensors: InspectedModel['tensors']; weightFiles: string[]; weightBytes: number }> {
  const indexBytes = await files.read('model.safetensors.index.json');
  let weightFiles: string[];
  let weightMap: Record<string, unknown> | undefined;
  if (indexBytes) {
    const index = jsonObject(indexBytes, 'model.safetensors.index.json');
    if (typeof index.weight_map !== 'object' || index.weight_map === null) throw new Error('model.safetensors.index.json: weight_map must be an object');
    weightMap = index.weight_map as Record<string, unknown>;
    const names = new Set<string>();
    for (const [tensor, file] of Object.entries(weightMap)) {
      if (typeof file !== 'string' || !SHARD_NAME.test(file)) throw new Error(`model.safetensors.index.json: ${tensor} maps to ${JSON.stringify(file)}, not a .safetensors file in the folder`);
      names.add(file);
    }
    weightFiles = [...names].sort();
  } else {
    weightFiles = ['model.safetensors'];
  }
  const tensors: InspectedModel['tensors'] = new Map();
  let weightBytes = 0;
  for (const file of weightFiles) {
    const size = await files.size(file);
    if (size === null) throw new Error(`${file} not found in the model folder${indexBytes ? ' (named by model.safetensors.index.json)' : ''}`);
    weightBytes += size;
    let header;
    try {
      const n = headerLength(await files.readRange(file, 0, Math.min(8, size)), size);
      header = parseSafetensorsHeader(await files.readRange(file, 8, 8 + n), size);
    } catch (e) {
      throw new Error(`${file}: ${(e as Error).message}`);
    }
    for (const [name, layout] of header.tensors) {
      const prior = tensors.get(name);
      if (prior) throw new Error(`${file}: tensor ${name} is also in ${prior.file}`);
      if (weightMap && weightMap[name] !== file) throw new Error(`${file}: tensor ${name} is not mapped to this file by model.safetensors.index.json`);
      tensors.set(name, { file, layout });
    }
  }
  if (weightMap) {
    for (const [name, file] of Object.entries(weightMap)) if (!tensors.has(name)) throw new Error(`${file}: tensor ${name} named by model.safetensors.index.json is not in the file`);
  }
  return { tensors, weightFiles, weightBytes };
}

/** The layer count the weights hold: 1 + the largest `model.layers.{i}.` index (0 when none). */
function layersInWeights(names: Iterable<string>): number {
  let layers = 0;
  for (const n of names) {
    const m = /^model\.layers\.(\d+)\./.exec(n);
    if (m) layers = Math.max(layers, Number(m[1]) + 1);
  }
  return layers;
}

async function readTokenizer(files: ModelFiles, config: LlamaConfig, rawConfig: Record<string, unknown>): Promise<ModelTokenizer> {
  const tokenizerJson = await files.read('tokenizer.json');
  if (tokenizerJson) {
    const tokConfigBytes = await files.read('tokenizer_config.json');
    const tokConfig = tokConfigBytes ? jsonObject(tokConfigBytes, 'tokenizer_config.json') : {};
    const jinja = await files.read('chat_template.jinja');
    const tok = new HfTokenizer(jsonObject(tokenizerJson, 'tokenizer.json'), tokConfig, jinja ? new TextDecoder().decode(jinja) : undefined);
    if (tok.summary.size > config.vocab_size) throw new Error(`tokenizer.json: ${tok.summary.size} tokens, more than config.json's vocab_size ${config.vocab_size}`);
    return tok;
  }
  const specialBytes = await files.read('special_tokens.json');
  const byteModel = specialBytes !== null || typeof rawConfig.gradlens_template === 'string' || typeof rawConfig.gradlens_name === 'string' || config.vocab_size <= 512;
  if (!byteModel) {
    const sentencepiece = (await files.size('tokenizer.model')) !== null;
    throw new Error(
      sentencepiece
        ? 'tokenizer.json not found (only tokenizer.model): save the tokenizer with transformers (AutoTokenizer.from_pretrained(dir).save_pretrained(dir)) to write tokenizer.json'
        : `tokenizer.json not found in the model folder (vocab_size ${config.vocab_size} is not a byte-level model)`,
    );
  }
  let special: Record<string, number>;
  if (specialBytes) {
    const raw = jsonObject(specialBytes, 'special_tokens.json');
    for (const [tok, id] of Object.entries(raw)) {
      if (typeof id !== 'number' || id >= config.vocab_size) throw new Error(`special_tokens.json: ${tok} has id ${id}, outside vocab_size ${config.vocab_size}`);
    }
    special = raw as Record<string, number>;
  } else {
    special = Object.fromEntries(Object.entries(DEFAULT_SPECIAL_TOKENS).filter(([, id]) => id < config.vocab_size));
  }
  return new ByteTokenizer(special);
}

/**
 * Read and check everything but the weights' values: config.json (family and fields),
 * the safetensors headers (every parameter present with the shape the config implies,
 * no unknown tensor), the tokenizer, and the float32 size of the weights against the
 * memory budget, which is checked from the config alone before any list of parameters
 * is built, as is the layer count against the files. Throws one line naming the file
 * and the problem.
 */
export async function inspectModel(source: ModelFiles | ReadModelFile, options: InspectOptions = {}): Promise<InspectedModel> {
  const files = toReader(source);
  const configBytes = await files.read('config.json');
  if (!configBytes) throw new Error('config.json not found in the model folder');
  const rawConfig = jsonObject(configBytes, 'config.json');
  const config = parseConfig(rawConfig, 'config.json');
  const gradlensTemplate = rawConfig.gradlens_template;
  if (gradlensTemplate !== undefined && gradlensTemplate !== 'base' && gradlensTemplate !== 'chat') {
    throw new Error(`config.json: gradlens_template must be "base" or "chat", got ${JSON.stringify(gradlensTemplate)}`);
  }

  const parameters = parameterCount(config);
  const budget = options.memoryBudget ?? DEFAULT_MEMORY_BUDGET;
  if (4 * parameters > budget) {
    throw new Error(`config.json: ${parameters.toExponential(3)} parameters take ${formatBytes(4 * parameters)} in float32, above the memory budget of ${formatBytes(budget)} (raise the budget to try)`);
  }
  const { tensors, weightFiles, weightBytes } = await readLayouts(files);
  const fileLayers = layersInWeights(tensors.keys());
  if (fileLayers !== config.num_hidden_layers) {
    throw new Error(`config.json: num_hidden_layers is ${config.num_hidden_layers} but ${weightFiles.join(', ')} hold${weightFiles.length > 1 ? '' : 's'} ${fileLayers} layer${fileLayers === 1 ? '' : 's'}`);
  }
  // The layer count now matches the files, so this list is no longer than their headers.
  const shapes = paramShapes(config);
  const where = (name: string) => tensors.get(name)?.file ?? weightFiles[0];
  for (const key of tensors.keys()) {
    if (shapes.has(key) || IGNORED.test(key) || (key === 'lm_head.weight' && config.tie_word_embeddings)) continue;
    throw new Error(`${where(key)}: unexpected parameter ${key} (not part of ${ARCHITECTURES[config.model_type]} with this config)`);
  }
  const dtypes = new Set<SafetensorsDtype>();
  for (const [key, shape] of shapes) {
    const t = tensors.get(key);
    if (!t) throw new Error(`${weightFiles.length > 1 ? 'model.safetensors.index.json' : weightFiles[0]}: missing parameter ${key}`);
    const s = t.layout.shape;
    if (s.length !== shape.length || s.some((d, i) => d !== shape[i])) throw new Error(`${t.file}: ${key} has shape [${s}], config.json implies [${shape}]`);
    dtypes.add(t.layout.dtype);
  }

  const tokenizer = await readTokenizer(files, config, rawConfig);
  const summary: TokenizerSummary = tokenizer instanceof HfTokenizer ? tokenizer.summary : { kind: 'byte-level', size: tokenizer.vocabSize, chatTemplate: false };
  const name = options.name ?? (typeof rawConfig.gradlens_name === 'string' ? rawConfig.gradlens_name : (options.folderName ?? 'model'));
  const looksInstruct = /instruct|chat|(^|[-_])it($|[-_])/i.test(name);
  const template: TemplateKind =
    options.template ?? (gradlensTemplate === 'chat' || gradlensTemplate === 'base' ? gradlensTemplate : summary.chatTemplate && looksInstruct ? 'chat' : 'base');
  if (template === 'chat' && tokenizer instanceof HfTokenizer && !summary.chatTemplate) throw new Error('tokenizer_config.json: no chat_template, so the chat template cannot be used (use the base template)');
  return {
    info: {
      name,
      config,
      architecture: ARCHITECTURES[config.model_type],
      parameters,
      dtypes: [...dtypes].sort(),
      weightFiles,
      weightBytes,
      tokenizer: summary,
      template,
      maxLength: maxSequenceLength(config),
    },
    tokenizer,
    tensors,
  };
}

/**
 * Read the weights of an inspected folder, one tensor at a time: its bytes are read,
 * widened to float32 and handed to tfjs, then dropped. Throws naming the tensor and file
 * when a weight is NaN or infinite (every statistic would be NaN). The caller disposes.
 */
export async function loadWeights(source: ModelFiles | ReadModelFile, inspected: InspectedModel): Promise<Params> {
  const files = toReader(source);
  const params: Params = new Map();
  try {
    for (const [key, shape] of paramShapes(inspected.info.config)) {
      const { file, layout } = inspected.tensors.get(key)!;
      const data = decodeTensor(await files.readRange(file, layout.begin, layout.end), layout.dtype);
      let bad = -1;
      let count = 0;
      for (let i = 0; i < data.length; i++) {
        if (data[i] - data[i] !== 0) { // NaN or ±Infinity
          if (bad < 0) bad = i;
          count++;
        }
      }
      if (bad >= 0) {
        throw new Error(`${file}: ${key} holds ${data[bad]} at index ${bad} (${count} of ${data.length} values are not finite), so every statistic would be NaN`);
      }
      params.set(key, tf.tensor(data, shape, 'float32'));
    }
  } catch (e) {
    for (const t of params.values()) t.dispose();
    throw e;
  }
  return params;
}

/**
 * Load a model folder: inspectModel, then loadWeights. Throws naming the file and the
 * problem (see both). A tied model's extra `lm_head.weight` is ignored.
 */
export async function loadModel(source: ModelFiles | ReadModelFile, nameOrOptions?: string | InspectOptions): Promise<LoadedModel> {
  const options = typeof nameOrOptions === 'string' ? { name: nameOrOptions } : (nameOrOptions ?? {});
  const files = toReader(source);
  const inspected = await inspectModel(files, options);
  const params = await loadWeights(files, inspected);
  return { name: inspected.info.name, config: inspected.info.config, params, tokenizer: inspected.tokenizer, template: inspected.info.template };
}

/**
 * The files of a byte-level model folder: config.json (with gradlens_template,
 * gradlens_name and the HF fields architectures, torch_dtype, bos/eos ids),
 * model.safetensors (float32, names sorted) and special_tokens.json. Reads the
 * parameters' values (synchronously).
 */
export function saveModel(model: LoadedModel<ByteTokenizer>): Map<string, Uint8Array> {
  const tok = model.tokenizer;
  const enc = new TextEncoder();
  const config: Record<string, unknown> = {
    ...toHfConfig(model.config),
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
