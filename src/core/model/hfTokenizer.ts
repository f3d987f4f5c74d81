/**
 * A Hugging Face checkpoint's own tokenizer (`tokenizer.json` + `tokenizer_config.json`)
 * and chat template, as transformers' AutoTokenizer would use them.
 *
 * The tokenizer is Tokenizers.js (`@huggingface/tokenizers`): the tokenizer code of
 * transformers.js on its own, maintained by Hugging Face, 37 KB minified with no
 * dependencies. `@huggingface/transformers` carries the same code plus ONNX Runtime
 * (tens of MB); `@lenml/tokenizers` is a fork of that code, 100 KB, one maintainer.
 * Measured here on the Llama 3 and Qwen3 tokenizer.json files: the same ids as
 * `@lenml/tokenizers`, load 1.3–2.8 s and encoding within 15% of it (both are the same
 * algorithm). Chat templates are rendered by `@huggingface/jinja`, transformers.js's
 * own Jinja engine.
 */
import { Template } from '@huggingface/jinja';
import { Tokenizer } from '@huggingface/tokenizers';

/** One chat message as chat templates take it. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** What describes a tokenizer to a user: kind, vocabulary, whether it has a chat template. */
export interface TokenizerSummary {
  /** e.g. "BPE (tokenizer.json)" or "byte-level". */
  kind: string;
  /** Number of ids the tokenizer can produce (its vocabulary plus added tokens). */
  size: number;
  chatTemplate: boolean;
}

/** A special token as tokenizer_config.json writes it: a string, or an AddedToken object with `content`. */
function tokenText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as { content?: unknown }).content === 'string') return (v as { content: string }).content;
  return undefined;
}

/** The default chat template of tokenizer_config.json: a string, or a list of named templates ("default" first). */
export function chatTemplateOf(config: Record<string, unknown>): string | undefined {
  const t = config.chat_template;
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) {
    const named = t as Array<{ name?: unknown; template?: unknown }>;
    const pick = named.find((x) => x.name === 'default') ?? named[0];
    return typeof pick?.template === 'string' ? pick.template : undefined;
  }
  return undefined;
}

/**
 * A checkpoint's tokenizer: `encode` adds special tokens as the tokenizer does by
 * default (e.g. Llama 2's BOS; none for Qwen), as the study's `tokenizer(text)` does.
 */
export class HfTokenizer {
  readonly summary: TokenizerSummary;
  private readonly tokenizer: Tokenizer;
  private readonly template: Template | undefined;
  private readonly specials: Record<string, string>;

  /**
   * `tokenizerJson` and `tokenizerConfig` are the parsed files; `chatTemplate` overrides
   * tokenizer_config.json's (a chat_template.jinja file). Throws with the file named
   * when tokenizer.json cannot be used or the template does not parse.
   */
  constructor(tokenizerJson: Record<string, unknown>, tokenizerConfig: Record<string, unknown>, chatTemplate?: string) {
    try {
      this.tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig);
    } catch (e) {
      throw new Error(`tokenizer.json: cannot be used (${e instanceof Error ? e.message : String(e)})`);
    }
    const source = chatTemplate ?? chatTemplateOf(tokenizerConfig);
    try {
      this.template = source === undefined ? undefined : new Template(source);
    } catch (e) {
      throw new Error(`chat template does not parse (${e instanceof Error ? e.message : String(e)})`);
    }
    this.specials = {};
    for (const key of ['bos_token', 'eos_token', 'unk_token', 'pad_token']) {
      const text = tokenText(tokenizerConfig[key]);
      if (text !== undefined) this.specials[key] = text;
    }
    const model = (tokenizerJson.model ?? {}) as { type?: unknown };
    let largest = -1; // a loop: spreading 150k ids into Math.max overflows the stack
    for (const id of this.tokenizer.get_vocab(true).values()) if (id > largest) largest = id;
    this.summary = {
      kind: `${typeof model.type === 'string' ? model.type : 'unknown'} (tokenizer.json)`,
      size: largest + 1,
      chatTemplate: this.template !== undefined,
    };
  }

  /** Token ids of `text`, with the special tokens the tokenizer adds by default. */
  encode(text: string): number[] {
    return this.tokenizer.encode(text).ids;
  }

  /** Text of ids (special tokens kept), for showing tokens to a user. */
  decode(ids: number[]): string {
    return this.tokenizer.decode(ids);
  }

  /**
   * The chat template rendered for `messages` with the generation prompt, as
   * `apply_chat_template(messages, tokenize=False, add_generation_prompt=True)`.
   * Throws when there is no template or the template raises (e.g. a system turn it refuses).
   */
  renderChat(messages: ChatMessage[]): string {
    if (!this.template) throw new Error('the tokenizer has no chat template (tokenizer_config.json: chat_template)');
    return this.template.render({ messages, add_generation_prompt: true, ...this.specials });
  }
}
