/**
 * Splits a streamed JSON array (`[ {...}, {...} ]`) into its top-level elements'
 * text, without parsing: a depth counter that knows where strings start and end, so
 * brackets and commas inside strings are ignored. Text may arrive in any pieces.
 */

/** One element's text, its 1-based index in the array, and the line it starts on. */
export type ElementHandler = (text: string, index: number, line: number, complete: boolean) => void;

/** A problem with the array's own syntax (not an element's): 1-based element index it concerns, and what. */
export type ArrayProblemHandler = (index: number, reason: string) => void;

const enum State {
  Before,
  Inside,
  After,
}

/** Streaming splitter for one top-level JSON array. */
export class JsonArraySplitter {
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

  constructor(
    private readonly onElement: ElementHandler,
    private readonly onProblem: ArrayProblemHandler,
  ) {}

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
          this.onProblem(this.index + 1, 'text after the closing bracket of the array was ignored');
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
        this.parts.push(text.slice(from, i));
        this.emit(c === 0x2c, true);
        from = i + 1;
        if (c === 0x5d) this.state = State.After;
      }
    }
    if (this.state === State.Inside && from < n) this.parts.push(text.slice(from));
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

  /** Ends the text: an element left open by a missing `]` is passed with `complete` false. */
  finish(): void {
    if (this.state === State.Inside && this.hasContent) this.emit(false, false);
    this.parts = [];
  }

  private emit(comma: boolean, complete: boolean): void {
    const text = this.parts.join('');
    this.parts = [];
    if (this.hasContent) {
      this.onElement(text, ++this.index, this.startLine, complete);
    } else if (comma || this.index > 0) {
      this.onProblem(++this.index, 'empty element (a stray comma)');
    }
    this.hasContent = false;
  }
}
