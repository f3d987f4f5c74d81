import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sampleText, sampleExtra, type Run } from '../../../src/core/format/run.ts';
import { parseRun } from '../../../src/core/format/runParser.ts';

const TOL = 1e-12;
const enc = (text: string) => new TextEncoder().encode(text);
const read = (lines: string[]) => parseRun('t.jsonl', enc(lines.join('\n')));
const fixture = (name: string) => new Uint8Array(readFileSync(fileURLToPath(new URL(`../../fixtures/format/${name}`, import.meta.url))));
const column = (run: Run, module: string, stat: string) => Array.from(run.values.get(module)?.get(stat) ?? []);

describe('RecordStore with the follow-up study form (S_list)', () => {
  const run = parseRun('followup.jsonl', fixture('followup_small.jsonl'));
  // Hand-computed: [3, 1] → p = (0.75, 0.25), H = 0.75·ln(4/3) + 0.25·ln 4 = 0.5623351446, exp(H) = 1.7547654
  const erank31 = Math.exp(0.75 * Math.log(4 / 3) + 0.25 * Math.log(4));

  it('derives S_sum, S_max, S_min and effective_rank from S_list', () => {
    expect(run.stats).toEqual(['M_mean', 'M_max', 'M_min', 'frobenius_norm', 'S_sum', 'S_max', 'S_min', 'effective_rank', 'cosine_sim_qkvo']);
    const q = (stat: string) => column(run, 'self_attn.q_proj', stat);
    expect(q('S_sum')).toEqual([4, 4, 4, 4]);
    expect(q('S_max')).toEqual([3, 1, 3, 1]);
    expect(q('S_min')).toEqual([1, 1, 1, 1]);
    const er = q('effective_rank');
    expect(er[0]).toBeCloseTo(1.7547654, 6);
    expect(Math.abs(er[0] - erank31)).toBeLessThan(TOL);
    expect(Math.abs(er[1] - 4)).toBeLessThan(TOL);
  });

  it('keeps cosine_sim and cosine_sim_qkvo as columns, not in the sample extra, NaN read as NaN', () => {
    expect(sampleExtra(run, 0)).toBeUndefined();
    // The fixture's matrices are [[1, 0.25], [0.25, 1]] for every projection and sample: L × L per sample.
    expect(Array.from(run.cosineSim?.get('self_attn.q_proj') ?? [])).toEqual([1, 0.25, 0.25, 1, 1, 0.25, 0.25, 1]);
    expect([...(run.cosineSim?.keys() ?? [])]).toEqual(['self_attn.q_proj', 'self_attn.k_proj', 'self_attn.v_proj', 'self_attn.o_proj']);
    expect(run.modules.slice(4)).toEqual(['self_attn.q_proj_x_o_proj', 'self_attn.k_proj_x_v_proj']);
    expect(column(run, 'self_attn.q_proj_x_o_proj', 'cosine_sim_qkvo')).toEqual([0.1, NaN, 0.1, NaN]);
    expect(column(run, 'self_attn.k_proj_x_v_proj', 'cosine_sim_qkvo')).toEqual([0.2, 0.4, 0.2, 0.4]);
    // Every singular value, per sample and layer: [3, 1] at layer 0 and [1, 1, 1, 1] at layer 1.
    const spectra = run.spectra?.get('self_attn.q_proj');
    expect(Array.from(spectra?.offsets ?? [])).toEqual([0, 2, 6, 8, 12]);
    expect(Array.from(spectra?.values ?? [])).toEqual([3, 1, 1, 1, 1, 1, 3, 1, 1, 1, 1, 1]);
    expect(spectra?.longest).toBe(4);
  });

  it('keeps an effective_rank the file gives instead of deriving one', () => {
    const r = read([`{"model.layers.0.mlp.up_proj.weight": {"S_list": [3, 1], "effective_rank": 9.5}}`]);
    expect(column(r, 'mlp.up_proj', 'effective_rank')).toEqual([9.5]);
    expect(column(r, 'mlp.up_proj', 'S_sum')).toEqual([4]);
  });

  it.each([
    ['an empty S_list', '[]', [NaN, NaN, NaN, NaN]],
    ['a NaN in S_list', '[1, NaN]', [NaN, NaN, NaN, NaN]],
    ['an all-zero S_list', '[0, 0]', [0, 0, 0, 0]],
    ['a zero among the values', '[2, 0]', [2, 2, 0, 1]],
    ['an Infinity in S_list', '[1, Infinity]', [Infinity, Infinity, 1, NaN]],
  ])('derives from %s as documented', (_, list, expected) => {
    const r = read([`{"model.layers.0.self_attn.q_proj.weight": {"S_list": ${list}}}`]);
    const got = ['S_sum', 'S_max', 'S_min', 'effective_rank'].map((s) => column(r, 'self_attn.q_proj', s)[0]);
    expect(got).toEqual(expected);
  });
});

describe('RecordStore fields', () => {
  it('turns unknown numeric per-matrix fields into stat columns and keeps unknown top-level fields in extra', () => {
    const r = read([
      `{"instruction": "a", "input": "b", "output": "c", "id": 7, "tags": ["x"], "model.layers.0.self_attn.q_proj.weight": {"S_sum": 1, "grad_norm_sq": 2.5, "dtype": "bf16"}}`,
    ]);
    expect(r.stats).toEqual(['S_sum', 'grad_norm_sq']);
    expect(column(r, 'self_attn.q_proj', 'grad_norm_sq')).toEqual([2.5]);
    expect(sampleText(r, 0)).toMatchObject({ instruction: 'a', input: 'b', output: 'c' });
    expect({ ...sampleExtra(r, 0) }).toEqual({ id: 7, tags: ['x'] });
  });

  it.each([
    ['null', 'null'],
    ['a string', '"1.5"'],
    ['a boolean', 'true'],
    ['an object', '{"v": 1}'],
  ])('stores NaN for a base stat given as %s, and for a loss that is not a number', (_, v) => {
    const r = read([`{"loss": ${v}, "model.layers.0.self_attn.q_proj.weight": {"S_sum": ${v}, "S_max": 2}}`]);
    expect(column(r, 'self_attn.q_proj', 'S_sum')).toEqual([NaN]);
    expect(column(r, 'self_attn.q_proj', 'S_max')).toEqual([2]);
    expect(Array.from(r.loss)).toEqual([NaN]);
  });

  it('fills NaN for stats and modules a sample of the same layer set did not give, and leaves out pairs none gave', () => {
    const r = read([
      `{"model.layers.0.self_attn.q_proj.weight": {"S_sum": 1}, "model.layers.1.self_attn.q_proj.weight": {"S_sum": 1.5}}`,
      `{"model.layers.0.self_attn.k_proj.weight": {"S_sum": 2}, "model.layers.1.self_attn.k_proj.weight": {"S_max": 3}}`,
    ]);
    expect(r.layerCount).toBe(2);
    expect(column(r, 'self_attn.q_proj', 'S_sum')).toEqual([1, 1.5, NaN, NaN]);
    expect(column(r, 'self_attn.k_proj', 'S_sum')).toEqual([NaN, NaN, 2, NaN]);
    expect(column(r, 'self_attn.k_proj', 'S_max')).toEqual([NaN, NaN, NaN, 3]);
    expect(r.values.get('self_attn.q_proj')?.has('S_max')).toBe(false);
    expect(r.stats).toEqual(['S_sum', 'S_max']);
  });

  it('builds the run from the records of the majority layer set and sets the others aside, naming their lines and layers', () => {
    const lines = Array.from({ length: 10 }, (_, s) => {
      const layers = s === 3 ? 3 : s === 7 ? 1 : 2;
      const parts = Array.from({ length: layers }, (_, l) => `"model.layers.${l}.self_attn.q_proj.weight": {"S_sum": ${s * 10 + l}}`);
      return `{${parts.join(', ')}}`;
    });
    const r = read(lines);
    expect([r.sampleCount, r.layerCount]).toEqual([8, 2]);
    expect(column(r, 'self_attn.q_proj', 'S_sum').slice(0, 8)).toEqual([0, 1, 10, 11, 20, 21, 40, 41]);
    expect(r.skipped).toEqual([
      { line: 4, reason: "layers 0–2, not the layers 0–1 of 8 of the file's records; set aside" },
      { line: 8, reason: "layers 0, not the layers 0–1 of 8 of the file's records; set aside" },
    ]);
  });

  it('takes the majority even when it comes after a minority, however the two interleave', () => {
    const line = (layers: number, s: number) => `{${Array.from({ length: layers }, (_, l) => `"model.layers.${l}.self_attn.q_proj.weight": {"S_sum": ${s}}`).join(', ')}}`;
    const r = read([line(4, 0), line(4, 1), line(2, 2), line(4, 3), line(2, 4), line(2, 5), line(2, 6)]);
    expect([r.sampleCount, r.layerCount]).toEqual([4, 2]);
    expect(r.skipped.map((s) => s.line)).toEqual([1, 2, 4]);
  });

  it('sets aside one record naming layer 1000 instead of turning every curve NaN', () => {
    const rows = Array.from({ length: 5 }, (_, s) => `{"model.layers.0.self_attn.q_proj.weight": {"S_sum": ${s}}, "model.layers.1.self_attn.q_proj.weight": {"S_sum": ${s}}}`);
    rows.splice(2, 0, `{"model.layers.0.self_attn.q_proj.weight": {"S_sum": 9}, "model.layers.1000.self_attn.q_proj.weight": {"S_sum": 9}}`);
    const r = read(rows);
    expect([r.sampleCount, r.layerCount]).toEqual([5, 2]);
    expect(column(r, 'self_attn.q_proj', 'S_sum').every(Number.isFinite)).toBe(true);
    expect(r.skipped).toEqual([{ line: 3, reason: "layers 0, 1000, not the layers 0–1 of 5 of the file's records; set aside" }]);
  });

  it('orders modules q, k, v, o first, then the rest by first appearance', () => {
    const r = read([
      `{"model.layers.0.mlp.up_proj.weight": {"S_sum": 1}, "model.layers.0.self_attn.o_proj.weight": {"S_sum": 1}, "model.layers.0.mlp.down_proj.weight": {"S_sum": 1}, "model.layers.0.self_attn.q_proj.weight": {"S_sum": 1}}`,
    ]);
    expect(r.modules).toEqual(['self_attn.q_proj', 'self_attn.o_proj', 'mlp.up_proj', 'mlp.down_proj']);
  });

  it('reads GPT-2 and GPT-NeoX names by their layer index', () => {
    const r = read([`{"transformer.h.3.attn.c_attn.weight": {"S_sum": 1}, "gpt_neox.layers.1.attention.query_key_value.weight": {"S_sum": 2}}`]);
    expect(r.modules).toEqual(['attn.c_attn', 'attention.query_key_value']);
    expect(r.layerCount).toBe(4);
    expect(column(r, 'attention.query_key_value', 'S_sum')[1]).toBe(2);
  });

  it('keeps matrices without a layer index in extra, and sets aside a record naming a layer beyond the budget', () => {
    const r = read([
      `{"lm_head.weight": {"S_sum": 5}, "model.layers.0.self_attn.q_proj.weight": {"S_sum": 1}}`,
      `{"model.layers.1024.x.weight": {"S_sum": 6}, "model.layers.0.self_attn.q_proj.weight": {"S_sum": 2}}`,
    ]);
    expect([r.sampleCount, r.layerCount]).toEqual([1, 1]);
    expect({ ...sampleExtra(r, 0) }).toEqual({ 'lm_head.weight': { S_sum: 5 } });
    expect(r.skipped).toEqual([{ line: 2, reason: 'layer 1024 (model.layers.1024.x.weight) is beyond the limit of 1024 layers (raise it with --budget layers=N); set aside' }]);
  });

  it('touches no prototype for keys such as __proto__ and constructor', () => {
    const r = read([
      `{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 2}}, "toString": 3, ` +
        `"model.layers.0.__proto__.weight": {"__proto__": 4, "constructor": 5, "S_sum": 1}}`,
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
    const extra = sampleExtra(r, 0) as Record<string, unknown>;
    expect(Object.getPrototypeOf(extra)).toBeNull();
    expect(Object.keys(extra)).toEqual(['__proto__', 'constructor', 'toString']);
    expect(extra['__proto__']).toEqual({ polluted: 1 });
    expect(r.modules).toEqual(['__proto__']);
    expect(r.stats).toEqual(['S_sum', '__proto__', 'constructor']);
    expect(column(r, '__proto__', '__proto__')).toEqual([4]);
  });

  it('keeps a text field that is not a string in extra and leaves the text empty', () => {
    const r = read([`{"instruction": 12, "output": null, "model.layers.0.q_proj.weight": {"S_sum": 1}}`]);
    expect(sampleText(r, 0)).toMatchObject({ instruction: '', input: '', output: '' });
    expect({ ...sampleExtra(r, 0) }).toEqual({ instruction: 12, output: null });
  });
});
