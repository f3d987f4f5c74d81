import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeTensor, readSafetensors, readSafetensorsHeader, readSafetensorsMetadata, writeSafetensors } from '../../../src/core/model/safetensors';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/model-io/${name}`, import.meta.url));

function headerOf(bytes: Uint8Array): { n: number; json: string } {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return { n, json: new TextDecoder().decode(bytes.subarray(8, 8 + n)) };
}

/** A file with a hand-made header and data section. */
function rawFile(header: unknown, data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('writeSafetensors and readSafetensors', () => {
  it('round-trip float32 tensors exactly, including NaN, ±Infinity, -0 and empty tensors', () => {
    const tensors = new Map([
      ['b.weight', { shape: [2, 3], data: Float32Array.from([1, -2.5, 1e-38, NaN, Infinity, -Infinity]) }],
      ['a.scalar', { shape: [], data: Float32Array.from([-0]) }],
      ['c.empty', { shape: [0, 4], data: new Float32Array(0) }],
    ]);
    const back = readSafetensors(writeSafetensors(tensors));
    expect([...back.keys()].sort()).toEqual(['a.scalar', 'b.weight', 'c.empty']);
    for (const [name, t] of tensors) {
      const r = back.get(name)!;
      expect(r.dtype).toBe('F32');
      expect(r.shape).toEqual(t.shape);
      expect(Array.from(r.data)).toEqual(Array.from(t.data)); // exact; toEqual treats NaN as equal and -0 ≠ 0
    }
  });

  it('writes names sorted, back to back, with the header padded by spaces to 8 bytes', () => {
    const bytes = writeSafetensors(
      new Map([
        ['z', { shape: [1], data: Float32Array.from([1]) }],
        ['a', { shape: [2], data: Float32Array.from([2, 3]) }],
      ]),
      { format: 'pt' },
    );
    const { n, json } = headerOf(bytes);
    expect(n % 8).toBe(0);
    expect(json.trimEnd()).toBe('{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"z":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}');
    expect(json.slice(json.trimEnd().length)).toMatch(/^ *$/);
    expect(bytes.length).toBe(8 + n + 12);
    expect(readSafetensorsMetadata(bytes)).toEqual({ format: 'pt' });
  });

  it('reads from a Uint8Array that is a view at an odd offset of a larger buffer', () => {
    const file = writeSafetensors(new Map([['x', { shape: [3], data: Float32Array.from([1, 2, 3]) }]]));
    const big = new Uint8Array(file.length + 3);
    big.set(file, 3);
    expect(Array.from(readSafetensors(big.subarray(3)).get('x')!.data)).toEqual([1, 2, 3]);
  });

  it('refuses data whose length does not match the shape', () => {
    expect(() => writeSafetensors(new Map([['x', { shape: [2, 2], data: new Float32Array(3) }]]))).toThrow(/holds 4 values, data has 3/);
  });
});

describe('readSafetensors on files written by numpy (scripts/fixtures/make_safetensors_fixture.py)', () => {
  it('widens F16 and BF16 to float32 with the values numpy decodes (exact)', () => {
    const expected = JSON.parse(readFileSync(fixture('dtypes_expected.json'), 'utf8')) as Record<string, { shape: number[]; data: Array<number | string> }>;
    const got = readSafetensors(new Uint8Array(readFileSync(fixture('dtypes.safetensors'))));
    expect(got.get('half')!.dtype).toBe('F16');
    expect(got.get('brain')!.dtype).toBe('BF16');
    for (const [name, e] of Object.entries(expected)) {
      const t = got.get(name)!;
      expect(t.shape, name).toEqual(e.shape);
      const want = e.data.map((v) => (v === 'inf' ? Infinity : v === '-inf' ? -Infinity : Math.fround(v as number)));
      expect(Array.from(t.data), name).toEqual(want);
    }
  });
});

describe('readSafetensors errors', () => {
  const four = new Uint8Array(4);
  it.each([
    ['a file shorter than 8 bytes', new Uint8Array(5), /too short/],
    ['a header length past the end', (() => { const b = new Uint8Array(16); new DataView(b.buffer).setBigUint64(0, 100n, true); return b; })(), /runs past the end/],
    ['a huge header length', (() => { const b = new Uint8Array(16); new DataView(b.buffer).setBigUint64(0, 2n ** 40n, true); return b; })(), /100 MB limit/],
    ['a header that is not JSON', (() => { const b = new Uint8Array(12); new DataView(b.buffer).setBigUint64(0, 4n, true); b.set([123, 123, 123, 123], 8); return b; })(), /not valid UTF-8 JSON/],
    ['a header that is an array', rawFile([], new Uint8Array(0)), /must be a JSON object/],
    ['an unsupported dtype', rawFile({ x: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, new Uint8Array(8)), /unsupported dtype "I64"/],
    ['a shape that does not match the byte range', rawFile({ x: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }, four), /needs 8 bytes, offsets give 4/],
    ['offsets past the data section', rawFile({ x: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, four), /outside the data section of 4 bytes/],
    ['a hole before a tensor', rawFile({ x: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, new Uint8Array(8)), /holes or overlaps/],
    ['trailing bytes after the tensors', rawFile({ x: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, new Uint8Array(8)), /tensors cover 4/],
    ['a malformed shape', rawFile({ x: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, four), /shape must be/],
  ])('names the problem for %s', (_, bytes, message) => {
    expect(() => readSafetensors(bytes)).toThrow(message);
  });
});

describe('half-precision writing and per-tensor decoding', () => {
  // Expected values: torch 1.13, `v.half().float()` and `v.bfloat16().float()` of the same inputs.
  const input = Float32Array.from([1, -2, 0.5, 65504, 5.960464477539063e-8, 6.103515625e-5, 0.1, 1e6, -1e-9, 3.14159, NaN, Infinity, 2.9907629905160607e38]);
  const torchHalf = [1, -2, 0.5, 65504, 5.960464477539063e-8, 6.103515625e-5, 0.0999755859375, Infinity, -0, 3.140625, NaN, Infinity, Infinity];
  const torchBf16 = [1, -2, 0.5, 65536, 5.960464477539063e-8, 6.103515625e-5, 0.10009765625, 999424, -9.968061931431293e-10, 3.140625, NaN, Infinity, 2.9907629905160607e38];

  for (const [dtype, expected] of [['F16', torchHalf], ['BF16', torchBf16]] as const) {
    it(`rounds to ${dtype} as torch does and reads the same values back`, () => {
      const file = writeSafetensors(new Map([['x', { shape: [input.length], data: input }]]), undefined, dtype);
      const header = readSafetensorsHeader(file);
      expect(header.tensors.get('x')).toMatchObject({ dtype, shape: [input.length] });
      expect(Array.from(readSafetensors(file).get('x')!.data)).toEqual(expected);
    });
  }

  it('decodes a tensor from its byte range alone, also at an unaligned offset', () => {
    const file = writeSafetensors(new Map([['a', { shape: [1], data: Float32Array.from([7]) }], ['b', { shape: [3], data: Float32Array.from([1, 2, 3]) }]]), undefined, 'BF16');
    const t = readSafetensorsHeader(file).tensors.get('b')!;
    const shifted = new Uint8Array(t.end - t.begin + 1);
    shifted.set(file.subarray(t.begin, t.end), 1);
    expect(Array.from(decodeTensor(shifted.subarray(1), 'BF16'))).toEqual([1, 2, 3]);
    expect(() => decodeTensor(new Uint8Array(3), 'F32')).toThrow(/not a whole number of F32 values/);
  });
});

