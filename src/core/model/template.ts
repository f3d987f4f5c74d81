/**
 * How a training record becomes token ids, following the reference study's script
 * (MingLiiii/Layer_Gradient, code_gradient/get_gradient_values.py).
 *
 * With a checkpoint's own tokenizer (HfTokenizer), exactly the study's steps: the text
 * is `prompt + "\n" + output` (base) or the chat template rendered with the generation
 * prompt on `[{system: "You are a helpful assistant."}, {user: prompt}]` followed by the
 * output (chat; a template that refuses a system turn gets the user turn alone); ids =
 * encode(text) cut to max_length; start = text.rfind(output); responseStart =
 * len(encode(text[:start])), special tokens added as the tokenizer does by default.
 *
 * With the shipped models' byte tokenizer:
 *
 * - base: `instruction` (+ "\n" + `input` when present) + "\n" + `output`, preceded by BOS
 *   (the study's Llama tokenizers add BOS on encode).
 * - chat: `<|bos|><|user|>` prompt `<|end|><|assistant|>` output. The study builds the
 *   prompt with `apply_chat_template(..., add_generation_prompt=True)` and appends the
 *   output; our template is the same shape with our own markers and no system turn
 *   (on a byte-level model a system prompt would add ~30 tokens to every sample).
 *
 * Response start, as the study finds it: it tokenizes the text before the last
 * occurrence of the output (`text[:text.rfind(output)]`) separately and masks that many
 * leading positions (labels = -100). With a byte-level tokenizer that prefix's ids are
 * exactly the first ids of the whole text, so `responseStart` = number of prompt ids.
 */
import { HfTokenizer } from './hfTokenizer';
import type { ByteTokenizer } from './tokenizer';

/** The tokenizer of a model: the shipped models' byte tokenizer or a checkpoint's tokenizer.json. */
export type ModelTokenizer = ByteTokenizer | HfTokenizer;

/** The study's system prompt for instruct models. */
export const STUDY_SYSTEM_PROMPT = 'You are a helpful assistant.';

/** Which template a model expects: the study's plain base-model text, or our chat template. */
export type TemplateKind = 'base' | 'chat';

/** An Alpaca-style record (the study's data files use this form). */
export interface TextRecord {
  instruction: string;
  input?: string;
  output: string;
}

/** Options of encodeSample. */
export interface EncodeOptions {
  template: TemplateKind;
  /** Keep at most this many ids (the study's `max_length`, default 1024). */
  maxLength?: number;
  /**
   * Append an end marker to the response (`<|end|>` in chat, `<|eos|>` in base), counted
   * as a response token. Off by default, as in the study; training turns it on so the
   * instruct model learns to stop.
   */
  closeResponse?: boolean;
}

/** The study's default maximum length in tokens. */
export const DEFAULT_MAX_LENGTH = 1024;

/** The prompt text of a record: instruction, plus "\n" + input when input is non-empty. */
export function promptText(record: TextRecord): string {
  return record.input ? `${record.instruction}\n${record.input}` : record.instruction;
}

/** The ids before the response: what a model is given when asked to answer `record`. */
export function encodePrompt(tok: ByteTokenizer, record: TextRecord, template: TemplateKind): number[] {
  const prompt = promptText(record);
  if (template === 'base') return [tok.id('<|bos|>'), ...tok.encode(`${prompt}\n`)];
  return [tok.id('<|bos|>'), tok.id('<|user|>'), ...tok.encode(prompt), tok.id('<|end|>'), tok.id('<|assistant|>')];
}

/**
 * Token ids of a record and the index of its first response token.
 * Example (base, no input): {instruction: "Q", output: "A"} → ids [BOS, 81, 10, 65], responseStart 2.
 * Truncation keeps the first `maxLength` ids (HF's right truncation). When the prompt
 * alone fills `maxLength`, no response token is left and `responseStart` equals
 * `ids.length`: no label counts (the study's HF loss is NaN then; gradlens's maskedLoss
 * gives 0), so callers should skip or flag such samples.
 */
export function encodeSample(
  tok: ModelTokenizer,
  record: TextRecord,
  options: EncodeOptions,
): { ids: number[]; responseStart: number } {
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  if (!Number.isInteger(maxLength) || maxLength < 1) throw new Error(`maxLength must be a positive integer, got ${maxLength}`);
  if (tok instanceof HfTokenizer) {
    if (options.closeResponse) throw new Error('closeResponse is for the byte tokenizer (training)');
    return encodeStudySample(tok, record, options.template, maxLength);
  }
  const prompt = encodePrompt(tok, record, options.template);
  const response = tok.encode(record.output);
  if (options.closeResponse) response.push(tok.id(options.template === 'chat' ? '<|end|>' : '<|eos|>'));
  const ids = prompt.concat(response).slice(0, maxLength);
  return { ids, responseStart: Math.min(prompt.length, ids.length) };
}

/** The text before the output, as the study builds it for a base or an instruct model. */
export function studyPromptText(tok: HfTokenizer, record: TextRecord, template: TemplateKind): string {
  const prompt = promptText(record);
  if (template === 'base') return `${prompt}\n`;
  try {
    return tok.renderChat([
      { role: 'system', content: STUDY_SYSTEM_PROMPT },
      { role: 'user', content: prompt },
    ]);
  } catch (withSystem) {
    try {
      return tok.renderChat([{ role: 'user', content: prompt }]);
    } catch {
      throw withSystem;
    }
  }
}

function encodeStudySample(tok: HfTokenizer, record: TextRecord, template: TemplateKind, maxLength: number): { ids: number[]; responseStart: number } {
  const whole = studyPromptText(tok, record, template) + record.output;
  const start = whole.lastIndexOf(record.output); // Python's rfind; '' gives the text's length, as rfind does
  const ids = tok.encode(whole).slice(0, maxLength);
  return { ids, responseStart: Math.min(tok.encode(whole.slice(0, start)).length, ids.length) };
}

/** How many samples a maximum length cuts: response shortened, or no response token left at all. */
export interface Truncation {
  samples: number;
  /** Samples longer than maxLength: their response loses its end (the loss covers only what is left). */
  truncated: number;
  /** Samples whose prompt alone fills maxLength: no response token left, so their loss and gradients are NaN. */
  noResponse: number;
  maxLength: number;
}

/**
 * Counts what truncation at `maxLength` does to `records`, with the same encoding as
 * the computation (encodeSample), so a user hears before computing that a small
 * maximum length cuts detailed responses or leaves samples without any response token.
 */
export function truncation(tok: ModelTokenizer, records: readonly TextRecord[], options: EncodeOptions): Truncation {
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  let truncated = 0;
  let noResponse = 0;
  for (const record of records) {
    const { ids, responseStart } = encodeSample(tok, record, { ...options, maxLength: maxLength + 1 });
    if (ids.length <= maxLength) continue;
    truncated++;
    if (responseStart >= maxLength) noResponse++;
  }
  return { samples: records.length, truncated, noResponse, maxLength };
}

/** One line telling a user what truncation does, or null when nothing is cut. */
export function describeTruncation(t: Truncation): string | null {
  if (t.truncated === 0) return null;
  const cut = `${t.truncated} of ${t.samples} samples are longer than the maximum length (${t.maxLength} tokens): their responses are cut short`;
  if (t.noResponse === 0) return `${cut}.`;
  return `${cut}, and ${t.noResponse} keep no response token at all, so their loss and statistics are NaN (raise the maximum length).`;
}

/** The longest of `records` after truncation at maxLength, and its response positions (the most of either). */
export function longestSample(tok: ModelTokenizer, template: TemplateKind, records: readonly TextRecord[], maxLength: number): { tokens: number; responseTokens: number } {
  let tokens = 1;
  let responseTokens = 1;
  for (const r of records) {
    const { ids, responseStart } = encodeSample(tok, r, { template, maxLength });
    tokens = Math.max(tokens, ids.length);
    responseTokens = Math.max(responseTokens, ids.length - Math.max(responseStart, 1));
  }
  return { tokens, responseTokens };
}
