/**
 * The Llama configuration gradlens models use: the subset of Hugging Face's
 * `LlamaConfig` (config.json) that determines the forward pass.
 */

/** Hugging Face `LlamaConfig` fields gradlens reads. `head_dim` defaults to hidden_size / num_attention_heads. */
export interface LlamaConfig {
  model_type: 'llama';
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
}

/** Per-head width: `head_dim` when given, else hidden_size / num_attention_heads. */
export function headDim(config: LlamaConfig): number {
  return config.head_dim ?? config.hidden_size / config.num_attention_heads;
}

function fail(file: string | undefined, message: string): never {
  throw new Error(`${file ? `${file}: ` : ''}${message}`);
}

/**
 * Validate a parsed config.json and return a LlamaConfig. Missing optional fields take
 * Hugging Face's defaults (num_key_value_heads = heads, rms_norm_eps 1e-6, rope_theta 1e4,
 * max_position_embeddings 2048, tie_word_embeddings false, hidden_act silu). Unknown
 * fields are ignored, except those that would change the function (rope_scaling,
 * attention_bias, mlp_bias), which are refused. Errors name the file and the field.
 */
export function parseConfig(json: unknown, file?: string): LlamaConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail(file, 'config must be a JSON object');
  const o = json as Record<string, unknown>;
  if (o.model_type !== 'llama') fail(file, `model_type must be "llama", got ${JSON.stringify(o.model_type)}`);

  const positiveInt = (field: string, fallback?: number): number => {
    const v = o[field] ?? fallback;
    if (v === undefined) fail(file, `missing field ${field}`);
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) fail(file, `${field} must be a positive integer, got ${JSON.stringify(v)}`);
    return v;
  };
  const positiveNumber = (field: string, fallback: number): number => {
    const v = o[field] ?? fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) fail(file, `${field} must be a positive number, got ${JSON.stringify(v)}`);
    return v;
  };

  const heads = positiveInt('num_attention_heads');
  const config: LlamaConfig = {
    model_type: 'llama',
    vocab_size: positiveInt('vocab_size'),
    hidden_size: positiveInt('hidden_size'),
    intermediate_size: positiveInt('intermediate_size'),
    num_hidden_layers: positiveInt('num_hidden_layers'),
    num_attention_heads: heads,
    num_key_value_heads: positiveInt('num_key_value_heads', heads),
    rms_norm_eps: positiveNumber('rms_norm_eps', 1e-6),
    rope_theta: positiveNumber('rope_theta', 10000),
    max_position_embeddings: positiveInt('max_position_embeddings', 2048),
    tie_word_embeddings: false,
    hidden_act: 'silu',
  };
  const tie = o.tie_word_embeddings ?? false;
  if (typeof tie !== 'boolean') fail(file, `tie_word_embeddings must be a boolean, got ${JSON.stringify(tie)}`);
  config.tie_word_embeddings = tie;
  const act = o.hidden_act ?? 'silu';
  if (act !== 'silu') fail(file, `hidden_act must be "silu", got ${JSON.stringify(act)}`);
  if (o.head_dim !== undefined && o.head_dim !== null) config.head_dim = positiveInt('head_dim');

  if (heads % config.num_key_value_heads !== 0) {
    fail(file, `num_attention_heads (${heads}) must be a multiple of num_key_value_heads (${config.num_key_value_heads})`);
  }
  if (config.head_dim === undefined && config.hidden_size % heads !== 0) {
    fail(file, `hidden_size (${config.hidden_size}) must be a multiple of num_attention_heads (${heads})`);
  }
  if (headDim(config) % 2 !== 0) fail(file, `head_dim (${headDim(config)}) must be even for rotary positions`);
  if (o.rope_scaling !== undefined && o.rope_scaling !== null) fail(file, 'rope_scaling is not supported (must be null or absent)');
  if (o.attention_bias === true) fail(file, 'attention_bias is not supported (must be false)');
  if (o.mlp_bias === true) fail(file, 'mlp_bias is not supported (must be false)');
  return config;
}
