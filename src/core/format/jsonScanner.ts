/**
 * The one JSON scanner of the reader (the WebAssembly kernel aside): walks a JSON text
 * in Python's dialect (bare NaN / Infinity / -Infinity accepted) and either rewrites
 * the bare tokens into JSON that `JSON.parse` reads, or says where the text goes wrong
 * (engines word JSON.parse errors differently and often give no position). Written by
 * hand because the bare tokens are not JSON, and a word like NaN inside a string must
 * stay as it is.
 */

/** The first syntax error of a text: 1-based column (UTF-16 units), what was wrong, and whether the text simply ended too early. */
export interface JsonErrorLocation {
  column: number;
  message: string;
  atEnd: boolean;
}

const MAX_DEPTH = 512;

class Fail {
  constructor(
    readonly pos: number,
    readonly message: string,
  ) {}
}

function describeChar(text: string, pos: number): string {
  if (pos >= text.length) return 'unexpected end of input';
  const ch = String.fromCodePoint(text.codePointAt(pos) ?? 0);
  return `unexpected character ${JSON.stringify(ch)}`;
}

class Scanner {
  pos = 0;
  /** Text copied to `parts` so far (up to this index), when rewriting. */
  private copied = 0;
  constructor(
    readonly text: string,
    /** The rewritten text, built when given. */
    private readonly parts: string[] | null,
  ) {}

  /** Replaces the `length` characters at pos (a bare token) with `json`, when rewriting. */
  private replace(length: number, json: string): void {
    if (this.parts !== null) {
      this.parts.push(this.text.slice(this.copied, this.pos), json);
      this.copied = this.pos + length;
    }
    this.pos += length;
  }

  /** The rewritten text after a whole scan. */
  rewritten(): string {
    if (this.parts === null || this.copied === 0) return this.text;
    this.parts.push(this.text.slice(this.copied));
    return this.parts.join('');
  }

  fail(message?: string): never {
    throw new Fail(this.pos, message ?? describeChar(this.text, this.pos));
  }

  space(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return;
      this.pos++;
    }
  }

  word(word: string): void {
    if (!this.text.startsWith(word, this.pos)) this.fail();
    this.pos += word.length;
  }

  value(depth: number): void {
    if (depth > MAX_DEPTH) this.fail('nested too deeply');
    this.space();
    const c = this.text.charCodeAt(this.pos);
    if (c === 0x7b) this.object(depth);
    else if (c === 0x5b) this.array(depth);
    else if (c === 0x22) this.string();
    else if (c === 0x74) this.word('true');
    else if (c === 0x66) this.word('false');
    else if (c === 0x6e) this.word('null');
    else if (c === 0x4e && this.text.startsWith('NaN', this.pos)) this.replace(3, 'null');
    else if (c === 0x49 && this.text.startsWith('Infinity', this.pos)) this.replace(8, '1e999');
    else if (c === 0x2d && this.text.startsWith('-Infinity', this.pos)) this.replace(9, '-1e999');
    else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) this.number();
    else this.fail();
  }

  digits(): number {
    const start = this.pos;
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos);
      if (c < 0x30 || c > 0x39) break;
      this.pos++;
    }
    return this.pos - start;
  }

  number(): void {
    const t = this.text;
    if (t.charCodeAt(this.pos) === 0x2d) this.pos++;
    if (t.charCodeAt(this.pos) === 0x30) this.pos++;
    else if (this.digits() === 0) this.fail(pos(this, 'invalid number'));
    if (t.charCodeAt(this.pos) === 0x2e) {
      this.pos++;
      if (this.digits() === 0) this.fail(pos(this, 'invalid number: no digit after the decimal point'));
    }
    const e = t.charCodeAt(this.pos);
    if (e === 0x65 || e === 0x45) {
      this.pos++;
      const s = t.charCodeAt(this.pos);
      if (s === 0x2b || s === 0x2d) this.pos++;
      if (this.digits() === 0) this.fail(pos(this, 'invalid number: no digit in the exponent'));
    }
  }

  string(): void {
    const t = this.text;
    this.pos++;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x22) {
        this.pos++;
        return;
      }
      if (c < 0x20) this.fail('control character in string');
      if (c === 0x5c) {
        const e = t.charCodeAt(this.pos + 1);
        if (e === 0x75) {
          if (!/^[0-9a-fA-F]{4}$/.test(t.slice(this.pos + 2, this.pos + 6))) this.fail('invalid \\u escape in string');
          this.pos += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(t.charAt(this.pos + 1)) || this.pos + 1 >= t.length) {
          this.pos++;
          this.fail(this.pos >= t.length ? 'unterminated string' : 'invalid escape in string');
        }
        this.pos += 2;
        continue;
      }
      this.pos++;
    }
    this.fail('unterminated string');
  }

  array(depth: number): void {
    this.pos++;
    this.space();
    if (this.text.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      return;
    }
    for (;;) {
      this.value(depth + 1);
      this.space();
      const c = this.text.charCodeAt(this.pos);
      this.pos++;
      if (c === 0x5d) return;
      if (c !== 0x2c) {
        this.pos--;
        this.fail(this.pos >= this.text.length ? undefined : `expected ',' or ']' but found ${describeChar(this.text, this.pos).replace('unexpected character ', '')}`);
      }
    }
  }

  object(depth: number): void {
    this.pos++;
    this.space();
    if (this.text.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      return;
    }
    for (;;) {
      this.space();
      if (this.text.charCodeAt(this.pos) !== 0x22) this.fail(this.pos >= this.text.length ? undefined : 'expected a quoted key');
      this.string();
      this.space();
      if (this.text.charCodeAt(this.pos) !== 0x3a) this.fail(this.pos >= this.text.length ? undefined : "expected ':' after a key");
      this.pos++;
      this.value(depth + 1);
      this.space();
      const c = this.text.charCodeAt(this.pos);
      this.pos++;
      if (c === 0x7d) return;
      if (c !== 0x2c) {
        this.pos--;
        this.fail(this.pos >= this.text.length ? undefined : `expected ',' or '}' but found ${describeChar(this.text, this.pos).replace('unexpected character ', '')}`);
      }
    }
  }
}

/** Keeps the message but points at the current position (helper for number errors). */
function pos(v: Scanner, message: string): string {
  return v.pos >= v.text.length ? 'unexpected end of input' : message;
}

/**
 * The top-level members of a JSON object text as written, four numbers each: where the
 * key starts (its opening quote), where it ends (past its closing quote), where the
 * value starts and where it ends. The text must be a valid object in Python's dialect
 * (one JSON.parse read after toStrictJson); anything else → no members.
 * Example: `{"a": 1, "b": [2]}` → [1, 4, 6, 7, 9, 12, 14, 17].
 */
export function memberExtents(text: string): number[] {
  const v = new Scanner(text, null);
  const out: number[] = [];
  try {
    v.space();
    if (text.charCodeAt(v.pos) !== 0x7b) return [];
    v.pos++;
    v.space();
    if (text.charCodeAt(v.pos) === 0x7d) return [];
    for (;;) {
      v.space();
      const keyStart = v.pos;
      v.string();
      const keyEnd = v.pos;
      v.space();
      v.pos++; // ':'
      v.space();
      const valueStart = v.pos;
      v.value(1);
      out.push(keyStart, keyEnd, valueStart, v.pos);
      v.space();
      if (text.charCodeAt(v.pos++) !== 0x2c) return out;
    }
  } catch (error) {
    if (!(error instanceof Fail)) throw error;
    return [];
  }
}

/** Scans a whole text: its rewriting (when `parts` is given) or the first error. */
function scan(text: string, parts: string[] | null): { json: string } | JsonErrorLocation {
  const v = new Scanner(text, parts);
  try {
    v.value(0);
    v.space();
    if (v.pos < text.length) v.fail(`unexpected text after the record: ${describeChar(text, v.pos).replace('unexpected character ', '')}`);
    return { json: v.rewritten() };
  } catch (error) {
    if (!(error instanceof Fail)) throw error;
    const at = Math.min(error.pos, text.length);
    return { column: at + 1, message: error.message, atEnd: at >= text.length };
  }
}

/**
 * Finds the first syntax error in one JSON text (one JSONL line or one array element),
 * accepting Python's bare NaN / Infinity / -Infinity. Returns null when the text is
 * valid. Empty or blank text → error at column 1, `atEnd` true.
 * Example: `{"a": 1,}` → `{column: 9, message: 'expected a quoted key', atEnd: false}`.
 */
export function locateJsonError(text: string): JsonErrorLocation | null {
  const result = scan(text, null);
  return 'json' in result ? null : result;
}

/**
 * The text as JSON that `JSON.parse` reads: bare `NaN` → `null`, `Infinity` → `1e999`,
 * `-Infinity` → `-1e999` (JSON.parse reads 1e999 as Infinity) wherever they stand as
 * values; everything else, the same words inside strings included, unchanged. Throws a
 * SyntaxError naming the column when the text is not JSON in Python's dialect.
 * Example: `{"a": NaN, "b": "NaN"}` → `{"a": null, "b": "NaN"}`.
 */
export function toStrictJson(text: string): string {
  const result = scan(text, []);
  if ('json' in result) return result.json;
  throw new SyntaxError(`column ${result.column}: ${result.message}`);
}
