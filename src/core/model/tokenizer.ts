/**
 * Byte-level tokenizer: the UTF-8 bytes of a text are the token ids 0–255; special
 * tokens (BOS, EOS, chat markers) take ids from 256 up. A model folder lists its special
 * tokens in `special_tokens.json` (name → id); see data/models/README.md.
 */

/** Special tokens of the models gradlens trains, as written to special_tokens.json. */
export const DEFAULT_SPECIAL_TOKENS: Readonly<Record<string, number>> = Object.freeze({
  '<|bos|>': 256,
  '<|eos|>': 257,
  '<|pad|>': 258,
  '<|user|>': 259,
  '<|assistant|>': 260,
  '<|end|>': 261,
});

const encoder = new TextEncoder();

/**
 * Byte-level tokenizer with named special tokens.
 * Example: `new ByteTokenizer(DEFAULT_SPECIAL_TOKENS).encode('é')` → `[195, 169]`.
 */
export class ByteTokenizer {
  /** Number of ids: 256 bytes plus the special tokens (max special id + 1). */
  readonly vocabSize: number;
  private readonly special: ReadonlyMap<string, number>;
  private readonly names: ReadonlyMap<number, string>;

  /** `special` maps token names (e.g. `<|bos|>`) to distinct integer ids ≥ 256; throws otherwise. */
  constructor(special: Record<string, number>) {
    const byName = new Map<string, number>();
    const byId = new Map<number, string>();
    for (const [name, id] of Object.entries(special)) {
      if (!Number.isInteger(id) || id < 256) throw new Error(`special token ${name}: id must be an integer ≥ 256, got ${id}`);
      if (byId.has(id)) throw new Error(`special tokens ${byId.get(id)} and ${name} share id ${id}`);
      byName.set(name, id);
      byId.set(id, name);
    }
    this.special = byName;
    this.names = byId;
    this.vocabSize = Math.max(255, ...byId.keys()) + 1;
  }

  /** The UTF-8 bytes of `text` as ids. Special-token names inside the text are plain bytes, never special ids. */
  encode(text: string): number[] {
    return Array.from(encoder.encode(text));
  }

  /**
   * Text of `ids`: runs of byte ids are decoded as UTF-8 (invalid or cut sequences become
   * U+FFFD), special ids become their names. Throws on ids that are neither.
   */
  decode(ids: number[]): string {
    const decoder = new TextDecoder('utf-8');
    let out = '';
    let run: number[] = [];
    const flush = () => {
      if (run.length) out += decoder.decode(Uint8Array.from(run));
      run = [];
    };
    for (const id of ids) {
      if (Number.isInteger(id) && id >= 0 && id < 256) {
        run.push(id);
        continue;
      }
      const name = this.names.get(id);
      if (name === undefined) throw new Error(`unknown token id ${id}`);
      flush();
      out += name;
    }
    flush();
    return out;
  }

  /** The id of a special token by name; throws with the known names when missing. */
  id(name: string): number {
    const id = this.special.get(name);
    if (id === undefined) throw new Error(`unknown special token ${name} (known: ${[...this.special.keys()].join(', ')})`);
    return id;
  }

  /** Whether the tokenizer has a special token of this name. */
  has(name: string): boolean {
    return this.special.has(name);
  }

  /** The special tokens, name → id (what special_tokens.json holds). */
  specialTokens(): Record<string, number> {
    return Object.fromEntries(this.special);
  }
}
