/**
 * Evaluating a trained model's answers: batched greedy decoding with a key/value cache and the exact-match
 * check the instruct model's card reports (extract the final number, compare).
 */
import * as tf from '@tensorflow/tfjs';
import { headDim, type LlamaConfig } from './config';
import { rmsNorm } from './llama';
import { getParam, type Params } from './params';
import { ropeTables, rotateHalf } from './rope';

/**
 * Incremental decoding with a key/value cache, for a batch of rows in lockstep: feed one
 * id per row at a time, get each row's next-token logits. Rows may start with left
 * padding (`padLeft[i]` columns): those keys are masked and positions count from each
 * row's first real id, so a row's logits equal forwardLogits on its real ids alone
 * (tested to 1e-4). Forward only. Call dispose() when done.
 */
export class CachedDecoder {
  private readonly keys: tf.Tensor4D[] = []; // per layer [B, KV, t, hd]
  private readonly values: tf.Tensor4D[] = []; // per layer [B, KV, t, hd]
  private readonly cos: tf.Tensor2D; // [maxLen, hd]
  private readonly sin: tf.Tensor2D; // [maxLen, hd]
  private readonly padLeft: number[];
  private column = 0;

  constructor(
    private readonly config: LlamaConfig,
    private readonly params: Params,
    readonly maxLength = config.max_position_embeddings,
    padLeft: readonly number[] = [0],
  ) {
    if (padLeft.length === 0) throw new Error('CachedDecoder needs at least one row');
    this.padLeft = [...padLeft];
    ({ cos: this.cos, sin: this.sin } = ropeTables(maxLength, headDim(config), config.rope_theta));
  }

  /** Columns fed so far (padding included). */
  get length(): number {
    return this.column;
  }

  /** Feed one id per row (any id in a padding column); returns each row's logits [V] for the next id. Throws past maxLength. */
  step(ids: readonly number[]): Float32Array[] {
    const b = this.padLeft.length;
    if (ids.length !== b) throw new Error(`expected ${b} ids, got ${ids.length}`);
    if (this.column >= this.maxLength) throw new Error(`decoder is full (${this.maxLength} columns)`);
    const c = this.config;
    const hd = headDim(c);
    const nH = c.num_attention_heads;
    const nKv = c.num_key_value_heads;
    const col = this.column;
    const t = col + 1;
    const w = (name: string) => getParam(this.params, name);
    const lin = (x: tf.Tensor2D, name: string) => tf.matMul(x, w(name), false, true) as tf.Tensor2D; // [B, out]
    // Additive key mask [B, 1, 1, t]: padding columns of each row get -1e9, as forwardLogits's causal mask does.
    const maskData = new Float32Array(b * t);
    this.padLeft.forEach((z, i) => maskData.fill(-1e9, i * t, i * t + Math.min(z, t)));
    const positions = this.padLeft.map((z) => Math.max(0, col - z));
    const logits = tf.tidy(() => {
      const pos = tf.tensor1d(positions, 'int32');
      const cos = tf.reshape(tf.gather(this.cos, pos), [b, 1, 1, hd]);
      const sin = tf.reshape(tf.gather(this.sin, pos), [b, 1, 1, hd]);
      const mask = tf.tensor4d(maskData, [b, 1, 1, t]);
      const rope = (z: tf.Tensor4D) => tf.add(tf.mul(z, cos), tf.mul(rotateHalf(z), sin)) as tf.Tensor4D;
      let x = tf.gather(w('model.embed_tokens.weight'), tf.tensor1d(ids as number[], 'int32')) as tf.Tensor2D; // [B, d]
      for (let i = 0; i < c.num_hidden_layers; i++) {
        const p = `model.layers.${i}`;
        const h = rmsNorm(x, w(`${p}.input_layernorm.weight`), c.rms_norm_eps);
        const q = rope(tf.reshape(lin(h, `${p}.self_attn.q_proj.weight`), [b, nH, 1, hd])); // [B, H, 1, hd]
        const k = rope(tf.reshape(lin(h, `${p}.self_attn.k_proj.weight`), [b, nKv, 1, hd])); // [B, KV, 1, hd]
        const v = tf.reshape(lin(h, `${p}.self_attn.v_proj.weight`), [b, nKv, 1, hd]);
        const keys = tf.keep(this.keys[i] ? tf.concat([this.keys[i], k], 2) : k) as tf.Tensor4D; // [B, KV, t, hd]
        const values = tf.keep(this.values[i] ? tf.concat([this.values[i], v], 2) : v) as tf.Tensor4D;
        this.keys[i]?.dispose();
        this.values[i]?.dispose();
        this.keys[i] = keys;
        this.values[i] = values;
        // HF repeat_kv: query head h reads kv head ⌊h / nRep⌋.
        const rep = (z: tf.Tensor) => tf.reshape(tf.tile(tf.reshape(z, [b, nKv, 1, t * hd]), [1, 1, nH / nKv, 1]), [b, nH, t, hd]);
        const scores = tf.add(tf.mul(tf.matMul(q, rep(keys), false, true), 1 / Math.sqrt(hd)), mask); // [B, H, 1, t]
        const out = tf.matMul(tf.softmax(scores, -1), rep(values)); // [B, H, 1, hd]
        x = tf.add(x, lin(tf.reshape(out, [b, nH * hd]), `${p}.self_attn.o_proj.weight`));
        const h2 = rmsNorm(x, w(`${p}.post_attention_layernorm.weight`), c.rms_norm_eps);
        const gate = lin(h2, `${p}.mlp.gate_proj.weight`);
        const act = tf.mul(tf.mul(gate, tf.sigmoid(gate)), lin(h2, `${p}.mlp.up_proj.weight`)) as tf.Tensor2D;
        x = tf.add(x, lin(act, `${p}.mlp.down_proj.weight`));
      }
      const hf = rmsNorm(x, w('model.norm.weight'), c.rms_norm_eps);
      return lin(hf, c.tie_word_embeddings ? 'model.embed_tokens.weight' : 'lm_head.weight'); // [B, V]
    });
    this.column++;
    const data = logits.dataSync() as Float32Array;
    logits.dispose();
    const v = c.vocab_size;
    return Array.from({ length: b }, (_, i) => data.subarray(i * v, (i + 1) * v));
  }

  /** Release the cache and rotary tables. */
  dispose(): void {
    tf.dispose([...this.keys, ...this.values, this.cos, this.sin]);
    this.keys.length = 0;
    this.values.length = 0;
  }
}

/** Options of greedyDecode. */
export interface DecodeOptions {
  /** Stop a row when it produces one of these ids (the id is not returned). */
  stopIds: readonly number[];
  maxNewTokens: number;
  /** Rows decoded together (default 16). */
  batchSize?: number;
  /** Called after each finished batch with the number of prompts done. */
  onBatch?: (done: number, total: number) => void;
}

function argMax(xs: Float32Array): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i] > xs[best]) best = i;
  return best;
}

/**
 * Greedy continuation of each prompt (non-empty id lists), up to a stop id or
 * maxNewTokens new ids, with a key/value cache; prompts are left-padded and decoded in
 * batches. A row also stops when the model's positions run out. Empty list → [].
 */
export function greedyDecode(config: LlamaConfig, params: Params, prompts: readonly (readonly number[])[], options: DecodeOptions): number[][] {
  if (prompts.some((p) => p.length === 0)) throw new Error('greedyDecode needs at least one id per prompt');
  const stop = new Set(options.stopIds);
  const batchSize = options.batchSize ?? 16;
  const out: number[][] = [];
  for (let start = 0; start < prompts.length; start += batchSize) {
    const rows = prompts.slice(start, start + batchSize);
    const width = Math.max(...rows.map((r) => r.length));
    const pads = rows.map((r) => width - r.length);
    const maxLength = Math.min(config.max_position_embeddings + Math.max(...pads), width + options.maxNewTokens);
    const decoder = new CachedDecoder(config, params, maxLength, pads);
    const produced: number[][] = rows.map(() => []);
    const done = rows.map(() => false);
    try {
      let logits: Float32Array[] = [];
      for (let j = 0; j < width; j++) logits = decoder.step(rows.map((r, i) => (j < pads[i] ? 0 : r[j - pads[i]])));
      for (let n = 0; n < options.maxNewTokens && !done.every(Boolean); n++) {
        const next = logits.map(argMax);
        next.forEach((id, i) => {
          if (done[i]) return;
          if (stop.has(id)) done[i] = true;
          else produced[i].push(id);
        });
        if (decoder.length >= decoder.maxLength || done.every(Boolean)) break;
        logits = decoder.step(next);
      }
    } finally {
      decoder.dispose();
    }
    out.push(...produced);
    options.onBatch?.(out.length, prompts.length);
  }
  return out;
}

/**
 * The last number in a text, as written (commas between digit groups dropped, a trailing
 * period dropped), or null when there is none.
 * Example: "so 3 + 4 = 7. Answer: 1,250" → "1250".
 */
export function finalNumber(text: string): string | null {
  const matches = text.match(/-?\d[\d,]*(?:\.\d+)?/g);
  if (!matches) return null;
  return matches[matches.length - 1].replace(/,/g, '');
}

/** Whether two numbers written as text are equal as numbers ("7" = "7.0"); false when either is null or not a number. */
export function sameNumber(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return false;
  const x = Number(a);
  const y = Number(b);
  return Number.isFinite(x) && Number.isFinite(y) && Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(y));
}
