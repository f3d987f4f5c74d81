import { describe, expect, it } from 'vitest';
import { pairModule, pairParts, projectionModule } from '../../../src/core/format/followup.ts';
import { sampleExtra, type Run } from '../../../src/core/format/run.ts';
import { parseRun } from '../../../src/core/format/runParser.ts';

const enc = (text: string) => new TextEncoder().encode(text);
const Q = (layer: number) => `model.layers.${layer}.self_attn.q_proj.weight`;
/** A record with q_proj matrices at `layers` and the given extra members. */
const record = (layers: number[], more = '') => `{"loss": 1.0, ${layers.map((l) => `"${Q(l)}": {"S_sum": ${l + 1}}`).join(', ')}${more}}`;

const bytesOf = (a: Float64Array | undefined) => (a === undefined ? Buffer.alloc(0) : Buffer.from(a.buffer, a.byteOffset, a.byteLength));

/** The same file read by the accelerator (default) and by the plain path alone; they must agree. */
function readBoth(lines: string[], limits?: Parameters<typeof parseRun>[2]): Run {
  const bytes = enc(lines.join('\n'));
  const fast = parseRun('f.jsonl', bytes, limits);
  const plain = parseRun('f.jsonl', bytes, { ...limits, accelerate: false });
  expect(fast.skipped).toEqual(plain.skipped);
  expect([...(fast.cosineSim?.keys() ?? [])]).toEqual([...(plain.cosineSim?.keys() ?? [])]);
  for (const [m, c] of fast.cosineSim ?? []) expect(Buffer.from(c.buffer, c.byteOffset, c.byteLength).equals(bytesOf(plain.cosineSim?.get(m)))).toBe(true);
  expect([...(fast.spectra ?? [])].map(([m, s]) => [m, Array.from(s.offsets), Array.from(s.values), s.longest])).toEqual(
    [...(plain.spectra ?? [])].map(([m, s]) => [m, Array.from(s.offsets), Array.from(s.values), s.longest]),
  );
  expect(fast.modules).toEqual(plain.modules);
  return fast;
}

describe('module keys of the follow-up blocks', () => {
  it('names projections and pairs as the matrices are named, and splits a pair into its two modules', () => {
    expect(projectionModule('q_proj')).toBe('self_attn.q_proj');
    expect(projectionModule('attn.c_attn')).toBe('attn.c_attn');
    expect(pairModule('k_proj_x_v_proj')).toBe('self_attn.k_proj_x_v_proj');
    expect(pairParts('self_attn.q_proj_x_o_proj')).toEqual(['q_proj', 'o_proj']);
    expect(pairParts('self_attn.q_proj')).toBeNull();
    expect(pairParts('self_attn._x_')).toBeNull();
  });
});

describe('the follow-up blocks as columns', () => {
  it('places matrix rows and columns at their layer_indices, NaN where the block gives none', () => {
    const run = readBoth([record([0, 1, 2], `, "cosine_sim": {"q_proj": {"layer_indices": [0, 2], "matrix": [[1.0, -0.5], [-0.5, 1.0]]}}`)]);
    // 3 × 3 for the one sample: layer 1 is not in the block.
    expect(Array.from(run.cosineSim?.get('self_attn.q_proj') ?? [])).toEqual([1, NaN, -0.5, NaN, NaN, NaN, -0.5, NaN, 1]);
  });

  it('keeps samples without the blocks as NaN rows and empty spectra, in file order', () => {
    const run = readBoth([
      record([0, 1]),
      `{"${Q(0)}": {"S_list": [2.0, 1.0]}, "${Q(1)}": {"S_list": [4.0]}, "cosine_sim_qkvo": {"1": {"q_proj_x_o_proj": 0.25}}}`,
      record([0, 1]),
    ]);
    expect(Array.from(run.values.get('self_attn.q_proj_x_o_proj')?.get('cosine_sim_qkvo') ?? [])).toEqual([NaN, NaN, NaN, 0.25, NaN, NaN]);
    const s = run.spectra?.get('self_attn.q_proj');
    expect(Array.from(s?.offsets ?? [])).toEqual([0, 0, 0, 2, 3, 3, 3]);
    expect(Array.from(s?.values ?? [])).toEqual([2, 1, 4]);
  });

  it('keeps at most spectrum-ranks values of a list, and the statistics of the whole list', () => {
    const run = readBoth([`{"${Q(0)}": {"S_list": [4.0, 3.0, 2.0, 1.0]}}`], { limits: { spectrumRanks: 2 } });
    expect(Array.from(run.spectra?.get('self_attn.q_proj')?.values ?? [])).toEqual([4, 3]);
    expect(run.spectra?.get('self_attn.q_proj')?.longest).toBe(4);
    expect(run.values.get('self_attn.q_proj')?.get('S_sum')?.[0]).toBe(10);
  });

  it('names the line and the reason when a block names a layer the run does not have, keeping the rest of the line', () => {
    const run = readBoth([
      record(
        [0, 1],
        `, "cosine_sim": {"q_proj": {"layer_indices": [0, 7], "matrix": [[1, 0], [0, 1]]}, "k_proj": {"layer_indices": [0, 1], "matrix": [[1, 0.5], [0.5, 1]]}}, "cosine_sim_qkvo": {"9": {"q_proj_x_o_proj": 1}, "0": {"q_proj_x_o_proj": 0.5}}`,
      ),
    ]);
    expect(run.skipped).toEqual([
      { line: 1, reason: "cosine_sim.q_proj not kept: layer index 7 is not one of this run's layers 0–1 (or repeats)" },
      { line: 1, reason: 'cosine_sim_qkvo["9"] not kept: not one of this run\'s layers 0–1' },
    ]);
    expect(run.cosineSim?.has('self_attn.q_proj')).toBe(false);
    expect(Array.from(run.cosineSim?.get('self_attn.k_proj') ?? [])).toEqual([1, 0.5, 0.5, 1]);
    expect(run.values.get('self_attn.q_proj_x_o_proj')?.get('cosine_sim_qkvo')?.[0]).toBe(0.5);
  });

  it('leaves a block that is no object in the extra fields, as any unknown field', () => {
    const run = readBoth([record([0], `, "cosine_sim": [1, 2], "cosine_sim_qkvo": "n/a"`)]);
    expect(sampleExtra(run, 0)).toEqual({ cosine_sim: [1, 2], cosine_sim_qkvo: 'n/a' });
    expect(run.cosineSim).toBeUndefined();
  });

  it('refuses, with a reason, cosine columns beyond the budget instead of allocating them', () => {
    // One record naming layer 1023: a 1024 × 1024 matrix per sample would be 8 MB from a line of a few hundred bytes.
    const line = record([0, 1023], `, "cosine_sim": {"q_proj": {"layer_indices": [0, 1023], "matrix": [[1, 0], [0, 1]]}}`);
    const run = readBoth(Array.from({ length: 12 }, () => line));
    const column = run.cosineSim?.get('self_attn.q_proj') as Float64Array;
    expect(column.length).toBe(12 * 1024 * 1024);
    // 64 MB of free room (plus 3 bytes per byte of text) holds 8 rows of 8 MB: the rows after are refused and named.
    expect(run.skipped.map((s) => s.line)).toEqual([9, 10, 11, 12]);
    expect(run.skipped[0].reason).toMatch(/^cosine_sim\.q_proj not kept: the follow-up columns would pass their budget/);
    expect(column[7 * 1024 * 1024 + 1023]).toBe(0);
    expect(column[8 * 1024 * 1024]).toBeNaN();
  });
});
