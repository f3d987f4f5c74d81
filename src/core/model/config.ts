/**
 * The configuration gradlens models use: the subset of Hugging Face's config.json that
 * determines the forward pass of the decoder families gradlens runs (Llama 2/3.x,
 * SmolLM, TinyLlama, Mistral, Qwen2/2.5, Qwen3), normalised into explicit switches
 * (biases, q/k norm, rotary scaling) so the model code reads no family names.
 */

/** The `model_type`s gradlens runs; each is a Llama-style decoder with the switches below. */
export type ModelFamily = 'llama' | 'mistral' | 'qwen2' | 'qwen3';

/** `architectures[0]` of each family (the class transformers instantiates). */
export const ARCHITECTURES: Readonly<Record<ModelFamily, string>> = {
  llama: 'LlamaForCausalLM',
  mistral: 'MistralForCausalLM',
  qwen2: 'Qwen2ForCausalLM',
  qwen3: 'Qwen3ForCausalLM',
};

/** Rotary frequency scaling: Llama 3.1/3.2's `llama3` rule, or `linear` position interpolation. */
export type RopeScaling =
  | { rope_type: 'llama3'; factor: number; low_freq_factor: number; high_freq_factor: number; original_max_position_embeddings: number }
  | { rope_type: 'linear'; factor: number };

/**
 * Hugging Face config fields gradlens reads. `head_dim` defaults to hidden_size /
 * num_attention_heads (Qwen3: 128, as its config class). The optional switches are
 * absent (false) for the shipped byte-level Llamas:
 * - `qkv_bias`: biases on q/k/v (Qwen2 always; Llama and Qwen3 with `attention_bias`);
 * - `o_bias`: bias on o_proj (Llama and Qwen3 with `attention_bias`);
 * - `mlp_bias`: biases on gate/up/down (Llama with `mlp_bias`);
 * - `qk_norm`: RMSNorm over each head of q and k before the rotation (Qwen3);
 * - `sliding_window`: attention window (Mistral, Qwen2 with `use_sliding_window`): no
 *   effect while a sample is no longer, so it caps the sample length.
 */
export interface LlamaConfig {
  model_type: ModelFamily;
  vocab_size: number;
  hidden_size: number;
  intermediate_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  num_key_value_heads: number;
  rms_norm_eps: number;
  rope_theta: number;
  max_position_embeddings: number;
  tie_word_embeddings: boolean;
  hidden_act: 'silu';
  head_dim?: number;
  rope_scaling?: RopeScaling;
  qkv_bias?: boolean;
  o_bias?: boolean;
  mlp_bias?: boolean;
  qk_norm?: boolean;
  sliding_window?: number;
}

/** Per-head width: `head_dim` when given, else hidden_size / num_attention_heads. */
export function headDim(config: LlamaConfig): number {
  return config.head_dim ?? config.hidden_size / config.num_attention_heads;
}

/**
 * The longest sample the model can take: max_position_embeddings, and the sliding
 * window where there is one (beyond it HF's attention would mask keys gradlens keeps).
 */
export function maxSequenceLength(config: LlamaConfig): number {
  return Math.min(config.max_position_embeddings, config.sliding_window ?? Infinity);
}

/**
 * Number of parameters the config implies, computed without listing them, so an absurd
 * config (a million layers) is refused before anything is allocated. Tied embeddings
 * count once.
 */
export function parameterCount(config: LlamaConfig): number {
  const d = config.hidden_size;
  const hd = headDim(config);
  const q = config.num_attention_heads * hd;
  const kv = config.num_key_value_heads * hd;
  const ff = config.intermediate_size;
  const perLayer =
    2 * d + // input and post-attention norms
    d * q + 2 * d * kv + q * d + // q, k, v, o
    3 * d * ff + // gate, up, down
    (config.qkv_bias ? q + 2 * kv : 0) +
    (config.o_bias ? d : 0) +
    (config.mlp_bias ? 2 * ff + d : 0) +
    (config.qk_norm ? 2 * hd : 0);
  return config.vocab_size * d * (config.tie_word_embeddings ? 1 : 2) + config.num_hidden_layers * perLayer + d;
}

function fail(file: string | undefined, message: string): never {
  throw new Error(`${file ? `${file}: ` : ''}${message}`);
}

/** Fields of other architectures that change the function; a config with any of them set is refused by name. */
const UNSUPPORTED_FIELDS: ReadonlyArray<[string, string]> = [
  ['attn_logit_softcapping', 'attention logit soft-capping (Gemma 2)'],
  ['final_logit_softcapping', 'final logit soft-capping (Gemma 2)'],
  ['query_pre_attn_scalar', 'a query scale other than 1/√head_dim (Gemma 2)'],
  ['partial_rotary_factor', 'partial rotary embeddings'],
  ['num_experts', 'mixture-of-experts layers'],
  ['num_local_experts', 'mixture-of-experts layers'],
];

/** Family defaults that differ from Llama's (transformers' config classes). */
const DEFAULTS: Record<ModelFamily, { max_position_embeddings: number; head_dim?: number }> = {
  llama: { max_position_embeddings: 2048 },
  mistral: { max_position_embeddings: 4096 * 32 },
  qwen2: { max_position_embeddings: 32768 },
  qwen3: { max_position_embeddings: 32768, head_dim: 128 },
};

/**
 * Validate a parsed config.json and return a LlamaConfig. The family comes from
 * `model_type` (and `architectures[0]`, when present, must be that family's causal-LM
 * class); anything else is refused with a message naming what is not supported and
 * what is. Missing optional fields take transformers' defaults (num_key_value_heads =
 * heads, rms_norm_eps 1e-6, rope_theta 1e4, tie_word_embeddings false, hidden_act silu,
 * max_position_embeddings per family). Errors name the file and the field.
 */
export function parseConfig(json: unknown, file?: string): LlamaConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail(file, 'config must be a JSON object');
  const o = json as Record<string, unknown>;
  const families = Object.keys(ARCHITECTURES) as ModelFamily[];
  const supported = `supported: ${families.map((f) => `${ARCHITECTURES[f]} (model_type "${f}")`).join(', ')}`;
  const family = o.model_type as ModelFamily;
  if (typeof o.model_type !== 'string' || !families.includes(family)) {
    const arch = Array.isArray(o.architectures) && typeof o.architectures[0] === 'string' ? ` (${o.architectures[0]})` : '';
    fail(file, `model_type ${JSON.stringify(o.model_type)}${arch} is not supported; ${supported}`);
  }
  if (o.architectures !== undefined && o.architectures !== null) {
    const arch = Array.isArray(o.architectures) ? o.architectures[0] : o.architectures;
    if (arch !== ARCHITECTURES[family]) fail(file, `architecture ${JSON.stringify(arch)} is not supported for model_type "${family}" (only ${ARCHITECTURES[family]}, the causal language model)`);
  }
  for (const [field, what] of UNSUPPORTED_FIELDS) {
    if (o[field] !== undefined && o[field] !== null) fail(file, `${field} is set: ${what} is not supported`);
  }

  const positiveInt = (field: string, fallback?: number): number => {
    const v = o[field] ?? fallback;
    if (v === undefined) fail(file, `missing field ${field}`);
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) fail(file, `${field} must be a positive integer, got ${JSON.stringify(v)}`);
    return v;
  };
  const positiveNumber = (field: string, fallback: number): number => {
    const v = o[field] ?? fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) fail(file, `${field} must be a positive number, got ${JSON.stringify(v)}`);
    return v;
  };
  const flag = (field: string): boolean => {
    const v = o[field] ?? false;
    if (typeof v !== 'boolean') fail(file, `${field} must be a boolean, got ${JSON.stringify(v)}`);
    return v;
  };

  const heads = positiveInt('num_attention_heads');
  const defaults = DEFAULTS[family];
  const config: LlamaConfig = {
    model_type: family,
    vocab_size: positiveInt('vocab_size'),
    hidden_size: positiveInt('hidden_size'),
    intermediate_size: positiveInt('intermediate_size'),
    num_hidden_layers: positiveInt('num_hidden_layers'),
    num_attention_heads: heads,
    num_key_value_heads: positiveInt('num_key_value_heads', heads),
    rms_norm_eps: positiveNumber('rms_norm_eps', 1e-6),
    rope_theta: positiveNumber('rope_theta', 10000),
    max_position_embeddings: positiveInt('max_position_embeddings', defaults.max_position_embeddings),
    tie_word_embeddings: flag('tie_word_embeddings'),
    hidden_act: 'silu',
  };
  const act = o.hidden_act ?? 'silu';
  if (act !== 'silu') fail(file, `hidden_act ${JSON.stringify(act)} is not supported (only "silu")`);
  const hd = o.head_dim ?? defaults.head_dim;
  if (hd !== undefined && hd !== null) config.head_dim = positiveInt('head_dim', defaults.head_dim);

  // Architecture switches, as each family's modeling code reads them.
  const attentionBias = flag('attention_bias');
  if (family === 'qwen2') config.qkv_bias = true;
  if ((family === 'llama' || family === 'qwen3') && attentionBias) {
    config.qkv_bias = true;
    config.o_bias = true;
  }
  if (family === 'mistral' && attentionBias) fail(file, 'attention_bias is not part of MistralForCausalLM');
  if (flag('mlp_bias')) {
    if (family !== 'llama') fail(file, `mlp_bias is not part of ${ARCHITECTURES[family]}`);
    config.mlp_bias = true;
  }
  if (family === 'qwen3') config.qk_norm = true;
  const window = family === 'mistral' || (family === 'qwen2' && o.use_sliding_window === true) ? o.sliding_window : undefined;
  if (window !== undefined && window !== null) config.sliding_window = positiveInt('sliding_window');
  if (o.rope_scaling !== undefined && o.rope_scaling !== null) config.rope_scaling = parseRopeScaling(o.rope_scaling, file);

  if (heads % config.num_key_value_heads !== 0) {
    fail(file, `num_attention_heads (${heads}) must be a multiple of num_key_value_heads (${config.num_key_value_heads})`);
  }
  if (config.head_dim === undefined && config.hidden_size % heads !== 0) {
    fail(file, `hidden_size (${config.hidden_size}) must be a multiple of num_attention_heads (${heads})`);
  }
  if (headDim(config) % 2 !== 0) fail(file, `head_dim (${headDim(config)}) must be even for rotary positions`);
  return config;
}

function parseRopeScaling(raw: unknown, file?: string): RopeScaling {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(file, 'rope_scaling must be an object or null');
  const r = raw as Record<string, unknown>;
  const type = r.rope_type ?? r.type; // "type" is the older spelling transformers still accepts
  const num = (field: string): number => {
    const v = r[field];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) fail(file, `rope_scaling.${field} must be a positive number, got ${JSON.stringify(v)}`);
    return v;
  };
  if (type === 'default') return { rope_type: 'linear', factor: 1 };
  if (type === 'linear') return { rope_type: 'linear', factor: num('factor') };
  if (type === 'llama3') {
    const s: RopeScaling = {
      rope_type: 'llama3',
      factor: num('factor'),
      low_freq_factor: num('low_freq_factor'),
      high_freq_factor: num('high_freq_factor'),
      original_max_position_embeddings: num('original_max_position_embeddings'),
    };
    if (s.high_freq_factor <= s.low_freq_factor) fail(file, 'rope_scaling.high_freq_factor must be greater than low_freq_factor');
    return s;
  }
  fail(file, `rope_scaling type ${JSON.stringify(type)} is not supported (supported: llama3, linear)`);
}

/**
 * The config.json fields of a config as Hugging Face writes them: the normalised
 * switches become `attention_bias`/`mlp_bias`/`use_sliding_window` again, and
 * `architectures` names the family's class. parseConfig(toHfConfig(c)) equals c.
 */
export function toHfConfig(config: LlamaConfig): Record<string, unknown> {
  const { qkv_bias: qkv, o_bias: oBias, mlp_bias: mlp, qk_norm: _qkNorm, sliding_window: window, ...rest } = config;
  const out: Record<string, unknown> = { architectures: [ARCHITECTURES[config.model_type]], ...rest };
  if (config.model_type === 'llama' || config.model_type === 'qwen3') {
    if (qkv !== oBias) throw new Error(`${config.model_type} has biases on all of q/k/v/o or on none`);
    if (qkv) out.attention_bias = true;
  }
  if (mlp) out.mlp_bias = true;
  if (window !== undefined) {
    out.sliding_window = window;
    if (config.model_type === 'qwen2') out.use_sliding_window = true;
  }
  return out;
}
