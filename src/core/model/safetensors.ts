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

/** Where one tensor lies in its file: dtype, shape and the absolute byte range [begin, end). */
export interface TensorLayout {
  dtype: SafetensorsDtype;
  shape: number[];
  begin: number;
  end: number;
}

/** A file's header: tensor layouts by name (in file order) and its `__metadata__`. */
export interface SafetensorsHeader {
  tensors: Map<string, TensorLayout>;
  metadata: Record<string, string>;
}

/** Bytes per value of each dtype. */
export const DTYPE_BYTES: Readonly<Record<SafetensorsDtype, number>> = { F32: 4, F16: 2, BF16: 2 };
/** Upper bound on the header as in the reference implementation (100 MB), against garbage lengths. */
const MAX_HEADER = 100_000_000;

function fail(message: string): never {
  throw new Error(`safetensors: ${message}`);
}

/** IEEE half → float32, all 65,536 values, built on first use (256 KB). */
let halfTable: Float32Array | undefined;
function halfToFloatTable(): Float32Array {
  if (halfTable) return halfTable;
  halfTable = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    halfTable[h] = exp === 0 ? sign * frac * 2 ** -24 : exp === 0x1f ? (frac ? NaN : sign * Infinity) : sign * (1 + frac / 1024) * 2 ** (exp - 15);
  }
  return halfTable;
}

function isShape(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((d) => Number.isSafeInteger(d) && d >= 0);
}

/** Typed arrays read host byte order; safetensors is little-endian. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Widen one tensor's raw little-endian bytes to a new float32 array (the source bytes
 * are not kept, so a caller that drops them holds one copy). Throws when the byte
 * length is not a whole number of values.
 */
export function decodeTensor(bytes: Uint8Array, dtype: SafetensorsDtype): Float32Array {
  const width = DTYPE_BYTES[dtype];
  if (bytes.byteLength % width !== 0) fail(`${bytes.byteLength} bytes is not a whole number of ${dtype} values`);
  const count = bytes.byteLength / width;
  const out = new Float32Array(count);
  // Typed-array views need aligned offsets; copy the (rare) unaligned slice once.
  const src = bytes.byteOffset % width === 0 ? bytes : bytes.slice();
  if (!LITTLE_ENDIAN) {
    const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
    for (let i = 0; i < count; i++) {
      out[i] = dtype === 'F32' ? view.getFloat32(4 * i, true) : dtype === 'F16' ? halfToFloatTable()[view.getUint16(2 * i, true)] : new Float32Array(new Uint32Array([view.getUint16(2 * i, true) << 16]).buffer)[0];
    }
    return out;
  }
  if (dtype === 'F32') {
    out.set(new Float32Array(src.buffer, src.byteOffset, count));
  } else if (dtype === 'F16') {
    const table = halfToFloatTable();
    const u16 = new Uint16Array(src.buffer, src.byteOffset, count);
    for (let i = 0; i < count; i++) out[i] = table[u16[i]];
  } else {
    // bfloat16 is the top half of a float32.
    const u16 = new Uint16Array(src.buffer, src.byteOffset, count);
    const u32 = new Uint32Array(out.buffer);
    for (let i = 0; i < count; i++) u32[i] = u16[i] << 16;
  }
  return out;
}

/**
 * The header length N from a file's first 8 bytes, checked against the file size; the
 * header is bytes [8, 8 + N) and the data section starts at 8 + N.
 */
export function headerLength(first8: Uint8Array, fileSize: number): number {
  if (fileSize < 8 || first8.byteLength < 8) fail(`file of ${fileSize} bytes is too short for the 8-byte header length`);
  const n = Number(new DataView(first8.buffer, first8.byteOffset, 8).getBigUint64(0, true));
  if (n > MAX_HEADER) fail(`header length ${n} is larger than the 100 MB limit (not a safetensors file?)`);
  if (8 + n > fileSize) fail(`header length ${n} runs past the end of the ${fileSize}-byte file`);
  return n;
}

/**
 * Parse the header JSON (bytes [8, 8 + N) of a file of `fileSize` bytes) into tensor
 * layouts with absolute offsets, without touching the data. Throws a message naming the
 * problem on bad JSON, an unsupported dtype, a shape that does not match its byte range,
 * offsets out of bounds, or holes/overlaps in the data section.
 */
export function parseSafetensorsHeader(json: Uint8Array, fileSize: number): SafetensorsHeader {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json));
  } catch (e) {
    fail(`header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) fail('header must be a JSON object');
  const header = parsed as Record<string, unknown>;
  const dataStart = 8 + json.byteLength;
  const dataLength = fileSize - dataStart;
  const tensors = new Map<string, TensorLayout>();
  const ranges: Array<[number, number, string]> = [];
  let metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('__metadata__ must be an object of strings');
      metadata = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, String(v)]));
      continue;
    }
    if (typeof raw !== 'object' || raw === null) fail(`tensor ${name}: entry must be an object`);
    const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
    if (dtype !== 'F32' && dtype !== 'F16' && dtype !== 'BF16') fail(`tensor ${name}: unsupported dtype ${JSON.stringify(dtype)} (F32, F16, BF16 are read)`);
    if (!isShape(shape)) fail(`tensor ${name}: shape must be an array of non-negative integers`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
      fail(`tensor ${name}: data_offsets must be [begin, end]`);
    }
    const [begin, end] = offsets as [number, number];
    if (end < begin || end > dataLength) fail(`tensor ${name}: data_offsets [${begin}, ${end}] outside the data section of ${dataLength} bytes`);
    const count = shape.reduce((a, b) => a * b, 1);
    if (end - begin !== count * DTYPE_BYTES[dtype]) fail(`tensor ${name}: shape [${shape}] of ${dtype} needs ${count * DTYPE_BYTES[dtype]} bytes, offsets give ${end - begin}`);
    tensors.set(name, { dtype, shape: [...shape], begin: dataStart + begin, end: dataStart + end });
    ranges.push([begin, end, name]);
  }
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let cursor = 0;
  for (const [begin, end, name] of ranges) {
    if (begin !== cursor) fail(`tensor ${name}: data_offsets start at ${begin}, expected ${cursor} (holes or overlaps in the data section)`);
    cursor = end;
  }
  if (cursor !== dataLength) fail(`data section has ${dataLength} bytes but tensors cover ${cursor}`);
  return { tensors, metadata };
}

/** The header of a whole file in memory (see parseSafetensorsHeader). */
export function readSafetensorsHeader(bytes: Uint8Array): SafetensorsHeader {
  const n = headerLength(bytes.subarray(0, 8), bytes.byteLength);
  return parseSafetensorsHeader(bytes.subarray(8, 8 + n), bytes.byteLength);
}

/**
 * Parse a safetensors file in memory into float32 tensors by name (the `__metadata__`
 * entry is skipped; see readSafetensorsMetadata). Throws as readSafetensorsHeader does.
 * Model folders read tensor by tensor instead (modelFolder.ts), never holding a file
 * and its float32 copy at once.
 */
export function readSafetensors(bytes: Uint8Array): Map<string, SafetensorsEntry> {
  const out = new Map<string, SafetensorsEntry>();
  for (const [name, t] of readSafetensorsHeader(bytes).tensors) {
    out.set(name, { dtype: t.dtype, shape: t.shape, data: decodeTensor(bytes.subarray(t.begin, t.end), t.dtype) });
  }
  return out;
}

/** The `__metadata__` map of a safetensors file (empty when absent). */
export function readSafetensorsMetadata(bytes: Uint8Array): Record<string, string> {
  return readSafetensorsHeader(bytes).metadata;
}

const scratchF32 = new Float32Array(1);
const scratchU32 = new Uint32Array(scratchF32.buffer);

/** float32 → IEEE half bits, rounding to nearest even (as torch's `.half()`); overflow gives ±Infinity. */
export function floatToHalfBits(x: number): number {
  scratchF32[0] = x;
  const u = scratchU32[0];
  const sign = (u >>> 16) & 0x8000;
  const exp = (u >>> 23) & 0xff;
  const mant = u & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    const m = mant | 0x800000;
    const shift = 14 - e;
    const half = m >>> shift;
    const rest = m & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    return sign | (half + (rest > mid || (rest === mid && half & 1) ? 1 : 0));
  }
  const half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  return sign | (half + (rest > 0x1000 || (rest === 0x1000 && half & 1) ? 1 : 0));
}

/** float32 → bfloat16 bits, rounding to nearest even (as torch's `.bfloat16()`); NaN stays NaN. */
export function floatToBf16Bits(x: number): number {
  scratchF32[0] = x;
  const u = scratchU32[0];
  if ((u & 0x7f800000) === 0x7f800000 && u & 0x7fffff) return (u >>> 16) | 0x40;
  return ((u + 0x7fff + ((u >>> 16) & 1)) >>> 16) & 0xffff;
}

/**
 * Serialize float32 tensors as Hugging Face's safetensors writer does: `__metadata__`
 * first (when given), tensors sorted by name and stored back to back, the header padded
 * with spaces so the data section starts at a multiple of 8 bytes. `dtype` F16 or BF16
 * rounds each value to nearest even, as torch does when a checkpoint is saved in half
 * precision. Throws when a tensor's data length does not match its shape.
 */
export function writeSafetensors(
  tensors: Map<string, { shape: number[]; data: Float32Array }>,
  metadata?: Record<string, string>,
  dtype: SafetensorsDtype = 'F32',
): Uint8Array {
  const width = DTYPE_BYTES[dtype];
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
    header[name] = { dtype, shape, data_offsets: [offset, offset + width * count] };
    offset += width * count;
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
    for (let i = 0; i < data.length; i++, at += width) {
      if (dtype === 'F32') view.setFloat32(at, data[i], true);
      else view.setUint16(at, dtype === 'F16' ? floatToHalfBits(data[i]) : floatToBf16Bits(data[i]), true);
    }
  }
  return out;
}
