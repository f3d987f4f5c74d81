/**
 * JSON as Python's `json.dumps` writes it: the bare tokens `NaN`, `Infinity` and
 * `-Infinity` outside strings, `", "` and `": "` separators, non-ASCII escaped.
 * Reading rewrites the bare tokens only where they stand outside strings (jsonScanner.ts),
 * so a text field saying "NaN is not a number" is left alone.
 */
import { toStrictJson } from './jsonScanner.ts';

/**
 * Parses one JSON text that may hold Python's bare `NaN` / `Infinity` / `-Infinity`
 * tokens (NaN is read as null, ±Infinity as ±Infinity). Throws SyntaxError like
 * JSON.parse on anything else that is not JSON; empty text throws.
 */
export function parsePythonJson(text: string): unknown {
  // The scanner runs only where a bare token may stand (the words anywhere, strings included).
  return JSON.parse(text.includes('NaN') || text.includes('Infinity') ? toStrictJson(text) : text);
}

const PLAIN_ASCII = /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/;
const NON_ASCII = /[\u007f-\uffff]/g;

function escapeCodeUnit(ch: string): string {
  return '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0');
}

/** A string literal as Python's json.dumps writes it (ensure_ascii: every non-ASCII code unit as \uXXXX). */
export function toPythonString(text: string): string {
  if (PLAIN_ASCII.test(text)) return '"' + text + '"';
  return JSON.stringify(text).replace(NON_ASCII, escapeCodeUnit);
}

const NUMBER_PARTS = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/;

/**
 * A number as Python writes it: `NaN`, `Infinity`, `-Infinity` bare; safe integers as
 * integers (`3`); other values in Python's float repr (shortest round-trip digits,
 * exponent form below 1e-4 and from 1e16, two-digit exponents: `1.5e-07`, `1e+16`),
 * `-0` as `-0.0`. Reading the result back gives the same double.
 */
export function formatPythonFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0';
  if (Number.isSafeInteger(x)) return String(x);
  const abs = Math.abs(x);
  const js = String(x);
  if (abs >= 1e-4 && abs < 1e16 && !Number.isInteger(x)) return js;
  const m = NUMBER_PARTS.exec(js);
  if (m === null) return js;
  const [, sign, intPart, fracPart = '', expPart = '0'] = m;
  let digits = intPart + fracPart;
  let point = intPart.length + Number(expPart); // x = 0.digits × 10^point
  const lead = digits.length - digits.replace(/^0+/, '').length;
  digits = digits.slice(lead).replace(/0+$/, '');
  point -= lead;
  const exponent = point - 1;
  if (exponent >= -4 && exponent < 16) {
    if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
    if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}.0`;
    return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
  }
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const expSign = exponent < 0 ? '-' : '+';
  return `${sign}${mantissa}e${expSign}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

function write(value: unknown, out: string[], seen: Set<object>): boolean {
  switch (typeof value) {
    case 'number':
      out.push(formatPythonFloat(value));
      return true;
    case 'string':
      out.push(toPythonString(value));
      return true;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return true;
    case 'bigint':
      out.push(value.toString());
      return true;
    case 'object':
      break;
    default:
      return false; // undefined, functions, symbols: left out like JSON.stringify does
  }
  if (value === null) {
    out.push('null');
    return true;
  }
  if (seen.has(value)) throw new TypeError('toJsonlLine: the record contains a cycle');
  seen.add(value);
  const json = (value as { toJSON?: unknown }).toJSON;
  if (typeof json === 'function') {
    const ok = write(json.call(value), out, seen);
    seen.delete(value);
    return ok;
  }
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    const items = ArrayBuffer.isView(value) && !(value instanceof DataView) ? Array.from(value as unknown as ArrayLike<number>) : (value as unknown[]);
    out.push('[');
    for (let i = 0; i < items.length; i++) {
      if (i > 0) out.push(', ');
      if (!write(items[i], out, seen)) out.push('null');
    }
    out.push(']');
  } else {
    out.push('{');
    let first = true;
    for (const key of Object.keys(value)) {
      const mark = out.length;
      out.push(first ? '' : ', ', toPythonString(key), ': ');
      if (write((value as Record<string, unknown>)[key], out, seen)) first = false;
      else out.length = mark;
    }
    out.push('}');
  }
  seen.delete(value);
  return true;
}

/**
 * One JSONL line, without the trailing newline, as Python's `json.dumps(record)` writes
 * it: `", "` / `": "` separators, non-ASCII escaped, NaN and ±Infinity as bare tokens,
 * numbers as `formatPythonFloat`. Typed arrays are written as arrays; undefined members
 * are left out (null inside arrays). Reads back through `parsePythonJson` and the run
 * reader to the same values (NaN → NaN in stat columns). Throws TypeError on a cycle.
 */
export function toJsonlLine(record: unknown): string {
  const out: string[] = [];
  if (!write(record, out, new Set())) return 'null';
  return out.join('');
}
