import { describe, expect, it } from 'vitest';
import { TextPacker } from '../../../src/core/format/texts.ts';

const decoder = new TextDecoder();

describe('TextPacker', () => {
  it('gives back every text it was given, with or without room reserved up front', () => {
    for (const reserve of [false, true]) {
      const packer = new TextPacker();
      packer.addSample('first instruction', '', 'first output ✓', '{"id": 1}');
      if (reserve) packer.reserveSamples(50);
      for (let s = 1; s < 50; s++) packer.addSample(`instruction ${s}`, s % 2 ? 'input' : '', `output ${s} — ü`, '');
      const { bytes, ends } = packer.finish();
      const texts = Array.from(ends, (end, i) => decoder.decode(bytes.subarray(i === 0 ? 0 : ends[i - 1], end)));
      expect(texts.slice(0, 4)).toEqual(['first instruction', '', 'first output ✓', '{"id": 1}']);
      expect(texts.slice(-4)).toEqual(['instruction 49', 'input', 'output 49 — ü', '']);
      expect(texts).toHaveLength(200);
    }
  });

  it('sizes its buffers once from the first sample when told how many samples come, and hands them out as views', () => {
    const packer = new TextPacker();
    const sample = (s: number) => [`instruction ${String(s).padStart(4, '0')}`, '', `output ${String(s).padStart(4, '0')}`, ''] as const;
    packer.addSample(...sample(0));
    packer.reserveSamples(1000 * 1.05);
    for (let s = 1; s < 1000; s++) packer.addSample(...sample(s));
    const { bytes, ends } = packer.finish();
    // Views of buffers made once for ~1050 samples: no doubling, no compacting copy.
    expect(bytes.byteLength).toBe(ends[ends.length - 1]);
    expect(bytes.buffer.byteLength).toBeGreaterThan(bytes.byteLength);
    expect(bytes.buffer.byteLength).toBeLessThan(bytes.byteLength * 1.1);
    expect(ends.buffer.byteLength).toBe(Math.ceil(1000 * 1.05) * 4 * 4);
  });
});
