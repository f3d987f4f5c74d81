/**
 * The one array splitter: a streamed JSON array (`[ {...}, {...} ]`) split into its
 * top-level elements' text, without parsing, for statistics files written as an array
 * and for instruction datasets. A depth counter that knows where strings start and end,
 * so brackets and commas inside strings are ignored; text may arrive in any pieces, and
 * one malformed element costs only itself.
 */

/** One element's text (null when it was longer than the budget), its 1-based index in the array, the line it starts on, and whether it ended before the text did. */
export type ElementHandler = (text: string | null, index: number, line: number, complete: boolean) => void;

/** A problem with the array's own syntax (not an element's): 1-based element index it concerns, the line, and what. */
export type ArrayProblemHandler = (index: number, line: number, reason: string) => void;

const enum State {
  Before,
  Inside,
  After,
}

/** Streaming splitter for one top-level JSON array. */
export class ArraySplitter {
  private state = State.Before;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private parts: string[] = [];
  private hasContent = false;
  private startLine = 1;
  private line = 1;
  private index = 0;
  private trailingReported = false;
  private partsLength = 0;
  private tooLong = false;
  /** Characters pushed before the current piece. */
  private consumed = 0;
  /** Characters of text up to the end of the last element passed. */
  position = 0;

  /**
   * `firstLine`: the line the text starts on (1 unless lines came before it);
   * `maxElementLength`: elements longer than this (in UTF-16 units) are passed as null.
   */
  constructor(
    private readonly onElement: ElementHandler,
    private readonly onProblem: ArrayProblemHandler,
    { firstLine = 1, maxElementLength = Infinity }: { firstLine?: number; maxElementLength?: number } = {},
  ) {
    this.line = firstLine;
    this.maxElementLength = maxElementLength;
  }

  private readonly maxElementLength: number;

  /** Holds a piece of the current element, or drops the element once it passes the budget. */
  private keep(piece: string): void {
    if (this.tooLong) return;
    this.partsLength += piece.length;
    if (this.partsLength > this.maxElementLength) {
      this.tooLong = true;
      this.parts = [];
      return;
    }
    this.parts.push(piece);
  }

  /** Feeds decoded text. */
  push(text: string): void {
    let from = 0;
    const n = text.length;
    let i = 0;
    if (this.inString && this.escaped && n > 0) {
      this.escaped = false;
      i = 1;
    }
    for (; i < n; i++) {
      if (this.inString) {
        i = this.skipString(text, i) - 1;
        continue;
      }
      const c = text.charCodeAt(i);
      if (c === 0x0a) this.line++;
      const space = c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0xfeff;
      if (this.state === State.Before) {
        if (c === 0x5b) {
          this.state = State.Inside;
          from = i + 1;
        }
        continue;
      }
      if (this.state === State.After) {
        if (!space && !this.trailingReported) {
          this.trailingReported = true;
          this.onProblem(this.index + 1, this.line, 'text after the closing ] of the array was ignored');
        }
        continue;
      }
      if (!space && !this.hasContent && !(this.depth === 0 && (c === 0x2c || c === 0x5d))) {
        this.hasContent = true;
        this.startLine = this.line;
      }
      if (c === 0x22) this.inString = true;
      else if (c === 0x7b || c === 0x5b) this.depth++;
      else if ((c === 0x7d || c === 0x5d) && this.depth > 0) this.depth--;
      else if (this.depth === 0 && (c === 0x2c || c === 0x5d)) {
        this.keep(text.slice(from, i));
        this.position = this.consumed + i + 1;
        this.emit(c === 0x2c, true);
        from = i + 1;
        if (c === 0x5d) this.state = State.After;
      }
    }
    if (this.state === State.Inside && from < n) this.keep(text.slice(from));
    this.consumed += n;
  }

  /**
   * Inside a string from `pos`: returns the index just past its closing quote, or
   * text.length when the string goes on in the next piece (remembering a pending
   * backslash). Jumps from quote to quote instead of stepping through every character.
   */
  private skipString(text: string, pos: number): number {
    const n = text.length;
    for (;;) {
      const quote = text.indexOf('"', pos);
      const end = quote === -1 ? n : quote;
      let backslashes = 0;
      for (let k = end - 1; k >= pos && text.charCodeAt(k) === 0x5c; k--) backslashes++;
      if (quote === -1) {
        this.escaped = backslashes % 2 === 1;
        return n;
      }
      if (backslashes % 2 === 0) {
        this.inString = false;
        return quote + 1;
      }
      pos = quote + 1;
    }
  }

  /** True once the array's closing `]` was read. */
  get closed(): boolean {
    return this.state === State.After;
  }

  /** Elements passed so far. */
  get count(): number {
    return this.index;
  }

  /** Ends the text: an element left open by a missing `]` is passed with `complete` false. */
  finish(): void {
    this.position = this.consumed;
    if (this.state === State.Inside && this.hasContent) this.emit(false, false);
    this.parts = [];
  }

  private emit(comma: boolean, complete: boolean): void {
    const text = this.tooLong ? null : this.parts.join('');
    this.parts = [];
    this.partsLength = 0;
    this.tooLong = false;
    if (this.hasContent) {
      this.onElement(text, ++this.index, this.startLine, complete);
    } else if (comma || this.index > 0) {
      this.onProblem(++this.index, this.line, 'empty element (a stray comma)');
    }
    this.hasContent = false;
  }
}
