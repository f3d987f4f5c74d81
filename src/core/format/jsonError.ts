/**
 * Where a JSON text goes wrong, for skip messages that name a column. Engines word
 * JSON.parse errors differently and often give no position, so the reader runs this
 * small validator (Python's bare NaN / Infinity / -Infinity accepted) on lines that
 * failed to parse. Only bad lines pay for it.
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

class Validator {
  pos = 0;
  constructor(readonly text: string) {}

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
    else if (c === 0x4e) this.word('NaN');
    else if (c === 0x49) this.word('Infinity');
    else if (c === 0x2d && this.text.startsWith('-Infinity', this.pos)) this.pos += 9;
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
function pos(v: Validator, message: string): string {
  return v.pos >= v.text.length ? 'unexpected end of input' : message;
}

/**
 * Finds the first syntax error in one JSON text (one JSONL line or one array element),
 * accepting Python's bare NaN / Infinity / -Infinity. Returns null when the text is
 * valid. Empty or blank text → error at column 1, `atEnd` true.
 * Example: `{"a": 1,}` → `{column: 9, message: 'expected a quoted key', atEnd: false}`.
 */
export function locateJsonError(text: string): JsonErrorLocation | null {
  const v = new Validator(text);
  try {
    v.value(0);
    v.space();
    if (v.pos < text.length) v.fail(`unexpected text after the record: ${describeChar(text, v.pos).replace('unexpected character ', '')}`);
    return null;
  } catch (error) {
    if (!(error instanceof Fail)) throw error;
    const at = Math.min(error.pos, text.length);
    return { column: at + 1, message: error.message, atEnd: at >= text.length };
  }
}
