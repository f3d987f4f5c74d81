/**
 * Evaluating a trained model's answers: batched greedy decoding and the exact-match
 * check the instruct model's card reports (extract the final number, compare).
 */
import * as tf from '@tensorflow/tfjs';
import type { LlamaConfig } from './config';
import { forwardLogits } from './llama';
import type { Params } from './params';

/** Options of greedyDecode. */
export interface DecodeOptions {
  /** Stop a row when it emits one of these ids (the id is not returned). */
  stopIds: readonly number[];
  maxNewTokens: number;
  /** Rows per forward pass. */
  batchSize?: number;
  /** Called after each decoding step with the number of rows finished so far. */
  onStep?: (finished: number, total: number) => void;
}

/**
 * Greedy continuation of each prompt (ids), up to a stop id or maxNewTokens new ids.
 * Prompts are decoded in batches, right-padded: the causal mask keeps padding from
 * touching a row's real positions, so each row gets the ids it would get alone (up to
 * float rounding in near-ties). No KV cache: each step recomputes the batch, which is
 * fine for the shipped models' few hundred tokens. Empty prompt list → [].
 */
export function greedyDecode(config: LlamaConfig, params: Params, prompts: readonly number[][], options: DecodeOptions): number[][] {
  const batchSize = options.batchSize ?? 16;
  const stop = new Set(options.stopIds);
  const out: number[][] = prompts.map(() => []);
  let finished = 0;
  for (let start = 0; start < prompts.length; start += batchSize) {
    let active = prompts.slice(start, start + batchSize).map((p, j) => ({ row: start + j, ids: [...p] }));
    for (let step = 0; step < options.maxNewTokens && active.length; step++) {
      const t = Math.max(...active.map((a) => a.ids.length));
      const next = tf.tidy(() => {
        const ids = tf.tensor2d(active.map((a) => a.ids.concat(new Array<number>(t - a.ids.length).fill(0))), undefined, 'int32'); // [B, T]
        const logits = forwardLogits(config, params, ids); // [B, T, V]
        const last = tf.concat(active.map((a, i) => tf.slice(logits, [i, a.ids.length - 1, 0], [1, 1, config.vocab_size])), 0); // [B, 1, V]
        return Array.from(tf.argMax(tf.reshape(last, [active.length, config.vocab_size]), -1).dataSync());
      });
      const still: typeof active = [];
      active.forEach((a, i) => {
        if (stop.has(next[i])) {
          finished++;
          return;
        }
        a.ids.push(next[i]);
        out[a.row].push(next[i]);
        if (step === options.maxNewTokens - 1) finished++;
        else still.push(a);
      });
      active = still;
      options.onStep?.(finished, prompts.length);
    }
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
