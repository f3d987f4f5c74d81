/**
 * Each token of a sequence as text of its own, for labels along a positions axis. Shown
 * as text (never HTML) by the caller.
 */
import { ByteTokenizer } from './tokenizer';
import type { ModelTokenizer } from './template';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes a UTF-8 sequence starting with `lead` takes (1 for a byte that starts none). */
function sequenceLength(lead: number): number {
  if (lead >= 0xf0 && lead < 0xf8) return 4;
  if (lead >= 0xe0) return lead < 0xf0 ? 3 : 1;
  if (lead >= 0xc0) return 2;
  return 1;
}

/**
 * One label per id. Byte tokens: a character whose UTF-8 bytes are several tokens is
 * shown on its first byte, its other bytes as `·`; a byte that is no valid UTF-8 as
 * `<0xNN>`; special ids by name. Other tokenizers: each id decoded alone.
 * Example (byte tokenizer): ids of 'é!' = [195, 169, 33] → ['é', '·', '!'].
 */
export function tokenTexts(tokenizer: ModelTokenizer, ids: readonly number[]): string[] {
  if (!(tokenizer instanceof ByteTokenizer)) return ids.map((id) => tokenizer.decode([id]));
  const out: string[] = [];
  for (let t = 0; t < ids.length; t++) {
    const id = ids[t];
    if (id >= 256) {
      out.push(tokenizer.decode([id]));
      continue;
    }
    const n = sequenceLength(id);
    const bytes = ids.slice(t, t + n);
    let text: string | null = null;
    if (n > 1 && bytes.length === n && bytes.slice(1).every((b) => b >= 0x80 && b < 0xc0)) {
      try {
        text = utf8.decode(Uint8Array.from(bytes));
      } catch {
        text = null;
      }
    }
    if (text !== null) {
      out.push(text, ...new Array<string>(n - 1).fill('·'));
      t += n - 1;
    } else out.push(id < 0x80 ? String.fromCharCode(id) : `<0x${id.toString(16).toUpperCase().padStart(2, '0')}>`);
  }
  return out;
}
