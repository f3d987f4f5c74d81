/**
 * Reading and writing the safetensors format: an 8-byte little-endian header length N,
 * N bytes of JSON header (`{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}}`,
 * offsets relative to the data section), then the raw little-endian tensor data.
 *
 * Hand-written because no npm package reads and writes it in both the browser and Node
 * without native code or a Python/Rust toolchain; the format is small enough to own.
 */

/** Floating-point dtypes gradlens reads; F16 and BF16 are widened to float32. */
export type SafetensorsDtype = 'F32' | 'F16' | 'BF16';

/** One tensor read from a safetensors file, always as float32 data in row-major order. */
export interface SafetensorsEntry {
  dtype: SafetensorsDtype;
  shape: number[];
  data: Float32Array;
}

const BYTES: Record<SafetensorsDtype, number> = { F32: 4, F16: 2, BF16: 2 };
/** Upper bound on the header as in the reference implementation (100 MB), against garbage lengths. */
const MAX_HEADER = 100_000_000;

function fail(message: string): never {
  throw new Error(`safetensors: ${message}`);
}

/** IEEE half → float32. */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

function isShape(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((d) => Number.isInteger(d) && d >= 0);
}

/**
 * Parse a safetensors file into float32 tensors by name (the `__metadata__` entry is
 * skipped; see readSafetensorsMetadata). Throws a message naming the problem on a
 * truncated file, a bad header length or JSON, an unsupported dtype, a shape that does not
 * match its byte range, offsets out of bounds, or holes/overlaps in the data section.
 */
export function readSafetensors(bytes: Uint8Array): Map<string, SafetensorsEntry> {
  const { header, dataStart } = parseHeader(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dataLength = bytes.byteLength - dataStart;
  const out = new Map<string, SafetensorsEntry>();
  const ranges: Array<[number, number, string]> = [];
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    if (typeof raw !== 'object' || raw === null) fail(`tensor ${name}: entry must be an object`);
    const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
    if (dtype !== 'F32' && dtype !== 'F16' && dtype !== 'BF16') fail(`tensor ${name}: unsupported dtype ${JSON.stringify(dtype)} (F32, F16, BF16 are read)`);
    if (!isShape(shape)) fail(`tensor ${name}: shape must be an array of non-negative integers`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isInteger(o) && o >= 0)) {
      fail(`tensor ${name}: data_offsets must be [begin, end]`);
    }
    const [begin, end] = offsets as [number, number];
    if (end < begin || end > dataLength) fail(`tensor ${name}: data_offsets [${begin}, ${end}] outside the data section of ${dataLength} bytes`);
    const count = shape.reduce((a, b) => a * b, 1);
    if ((end - begin) !== count * BYTES[dtype]) fail(`tensor ${name}: shape [${shape}] of ${dtype} needs ${count * BYTES[dtype]} bytes, offsets give ${end - begin}`);
    const data = new Float32Array(count);
    const at = dataStart + begin;
    if (dtype === 'F32') for (let i = 0; i < count; i++) data[i] = view.getFloat32(at + 4 * i, true);
    else if (dtype === 'F16') for (let i = 0; i < count; i++) data[i] = halfToFloat(view.getUint16(at + 2 * i, true));
    else {
      const widen = new DataView(new ArrayBuffer(4));
      for (let i = 0; i < count; i++) {
        widen.setUint32(0, view.getUint16(at + 2 * i, true) << 16, true);
        data[i] = widen.getFloat32(0, true);
      }
    }
    out.set(name, { dtype, shape: [...shape], data });
    ranges.push([begin, end, name]);
  }
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let cursor = 0;
  for (const [begin, end, name] of ranges) {
    if (begin !== cursor) fail(`tensor ${name}: data_offsets start at ${begin}, expected ${cursor} (holes or overlaps in the data section)`);
    cursor = end;
  }
  if (cursor !== dataLength) fail(`data section has ${dataLength} bytes but tensors cover ${cursor}`);
  return out;
}

/** The `__metadata__` map of a safetensors file (empty when absent). */
export function readSafetensorsMetadata(bytes: Uint8Array): Record<string, string> {
  const meta = parseHeader(bytes).header.__metadata__;
  if (meta === undefined) return {};
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) fail('__metadata__ must be an object of strings');
  return Object.fromEntries(Object.entries(meta).map(([k, v]) => [k, String(v)]));
}

function parseHeader(bytes: Uint8Array): { header: Record<string, unknown>; dataStart: number } {
  if (bytes.byteLength < 8) fail(`file of ${bytes.byteLength} bytes is too short for the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (n > MAX_HEADER) fail(`header length ${n} is larger than the 100 MB limit (not a safetensors file?)`);
  if (8 + n > bytes.byteLength) fail(`header length ${n} runs past the end of the ${bytes.byteLength}-byte file`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    fail(`header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) fail('header must be a JSON object');
  return { header: parsed as Record<string, unknown>, dataStart: 8 + n };
}

/**
 * Serialize float32 tensors as Hugging Face's safetensors writer does: `__metadata__`
 * first (when given), tensors sorted by name and stored back to back, the header padded
 * with spaces so the data section starts at a multiple of 8 bytes. Throws when a
 * tensor's data length does not match its shape.
 */
export function writeSafetensors(tensors: Map<string, { shape: number[]; data: Float32Array }>, metadata?: Record<string, string>): Uint8Array {
  const names = [...tensors.keys()].sort();
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length) header.__metadata__ = metadata;
  let offset = 0;
  for (const name of names) {
    if (name === '__metadata__') fail('a tensor cannot be named __metadata__');
    const { shape, data } = tensors.get(name)!;
    if (!isShape(shape)) fail(`tensor ${name}: bad shape [${shape}]`);
    const count = shape.reduce((a, b) => a * b, 1);
    if (count !== data.length) fail(`tensor ${name}: shape [${shape}] holds ${count} values, data has ${data.length}`);
    header[name] = { dtype: 'F32', shape, data_offsets: [offset, offset + 4 * count] };
    offset += 4 * count;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + padded + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(padded), true);
  out.set(json, 8);
  let at = 8 + padded;
  for (const name of names) {
    const { data } = tensors.get(name)!;
    for (let i = 0; i < data.length; i++, at += 4) view.setFloat32(at, data[i], true);
  }
  return out;
}
