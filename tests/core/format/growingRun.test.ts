// GrowingRun against the run reader on the whole text: whatever the snapshots taken in
// between, the run so far equals parseRun of every line pushed so far; snapshots own
// their buffers; the update schedule spaces out as the run grows.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toJsonlLine } from '../../../src/core/format/jsonl';
import { syntheticFollowupLines } from '../../../src/core/data/syntheticFollowup';
import { GrowingRun, shouldUpdate } from '../../../src/core/format/growingRun';
import { sampleExtra, sampleText, type Run } from '../../../src/core/format/run';
import { parseRun } from '../../../src/core/format/runParser';

const FILE = 'cot_2/tiny/grads_arith_train_no_cot.jsonl';

/** A computed record of a 3-layer model: q/k/v/o with the 8 statistics, a loss, tokens; NaN in some. */
function line(i: number, modules = ['q', 'k', 'v', 'o']): string {
  const record: Record<string, unknown> = { instruction: `problem ${i} ✓`, input: i % 3 ? '' : 'more', output: `answer ${'x'.repeat(i % 7)}`, loss: i % 5 === 4 ? NaN : 1 + i / 10 };
  for (let l = 0; l < 3; l++) {
    for (const m of modules) {
      const s = (l + 1) * (i + 1) + m.length;
      record[`model.layers.${l}.self_attn.${m}_proj.weight`] = {
        M_mean: s / 1e7, M_max: s, M_min: -s, frobenius_norm: s, S_sum: i % 5 === 4 ? NaN : 2 * s, S_max: s, S_min: 0, effective_rank: 1 + l / 3,
      };
    }
  }
  record.input_ids = [1, 2, i];
  record.response_start = 1;
  return toJsonlLine(record);
}

function expectSameRun(a: Run, b: Run): void {
  for (const key of ['id', 'file', 'name', 'sampleCount', 'layerCount', 'modules', 'stats', 'meta', 'skipped', 'bytes'] as const) expect(a[key], key).toEqual(b[key]);
  expect(a.loss).toEqual(b.loss);
  expect([...a.values.keys()]).toEqual([...b.values.keys()]);
  for (const [m, byStat] of b.values) for (const [s, column] of byStat) expect(a.values.get(m)!.get(s), `${m} ${s}`).toEqual(column);
  for (let i = 0; i < b.sampleCount; i++) {
    expect(sampleText(a, i)).toEqual(sampleText(b, i));
    expect(sampleExtra(a, i)).toEqual(sampleExtra(b, i));
  }
}

describe('GrowingRun', () => {
  it('equals the reader on all lines so far, whatever snapshots were taken in between', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 40 }), (takes) => {
        const growing = new GrowingRun(FILE, 'compute-7');
        const lines: string[] = [];
        takes.forEach((take, i) => {
          lines.push(line(i));
          growing.push(lines[i]);
          if (!take) return;
          const run = growing.snapshot()!;
          expectSameRun(run, parseRun(FILE, new TextEncoder().encode(`${lines.join('\n')}\n`), { id: 'compute-7' }));
        });
        expectSameRun(growing.snapshot()!, parseRun(FILE, new TextEncoder().encode(`${lines.join('\n')}\n`), { id: 'compute-7' }));
      }),
      { numRuns: 40 },
    );
  });

  it('is null before the first record, labels the run by its path and gives new buffers each time', () => {
    const growing = new GrowingRun(FILE, 'compute-1');
    expect(growing.snapshot()).toBeNull();
    expect(growing.finish()).toBeNull();
    const first = growing.push(line(0))!;
    expect(first.meta).toMatchObject({ model: 'tiny', setting: 'none', correctness: 'correct' });
    growing.push(line(1));
    const second = growing.snapshot()!;
    expect(second.sampleCount).toBe(2);
    expect(second.loss.buffer).not.toBe(first.loss.buffer);
    expect(first.sampleCount).toBe(1);
    expect(first.loss).toEqual(Float64Array.from([1]));
  });

  it('takes snapshots on the schedule of shouldUpdate, and the last one at finish', () => {
    const growing = new GrowingRun(FILE, 'c');
    const at: number[] = [];
    for (let i = 0; i < 12; i++) if (growing.push(line(i))) at.push(i + 1);
    expect(at).toEqual([1, 2, 6, 10]);
    expect(growing.finish()!.sampleCount).toBe(12);
    expect(growing.finish()).toBeNull();
  });

  it('gives a module that appears later NaN for the samples before it', () => {
    const growing = new GrowingRun(FILE, 'c');
    growing.push(line(0, ['q', 'k']));
    growing.snapshot();
    growing.push(line(1, ['q', 'k', 'v']));
    const run = growing.snapshot()!;
    expect(run.modules).toEqual(['self_attn.q_proj', 'self_attn.k_proj', 'self_attn.v_proj']);
    expect(Array.from(run.values.get('self_attn.v_proj')!.get('S_sum')!)).toEqual([NaN, NaN, NaN, 2 * (1 * 2 + 1), 2 * (2 * 2 + 1), 2 * (3 * 2 + 1)]);
  });
});

describe('GrowingRun of records in the follow-up format', () => {
  it('carries the S_list spectra and cosine maps across chunks as the reader reads the whole text', () => {
    const lines = [...syntheticFollowupLines({ samples: 9, layers: 4, quality: 'lowest', seed: 3 })];
    const growing = new GrowingRun('grads/tiny/ifd_gpt2/grads_x_lowest_9.jsonl', 'live');
    for (const [i, l] of lines.entries()) {
      growing.push(l);
      if (i === 2 || i === 6) growing.snapshot();
    }
    const got = growing.finish()!;
    const whole = parseRun('grads/tiny/ifd_gpt2/grads_x_lowest_9.jsonl', new TextEncoder().encode(lines.join('\n') + '\n'), { id: 'live' });
    expect([...got.spectra!.keys()]).toEqual([...whole.spectra!.keys()]);
    for (const [m, s] of whole.spectra!) {
      expect(Array.from(got.spectra!.get(m)!.offsets), m).toEqual(Array.from(s.offsets));
      expect(Array.from(got.spectra!.get(m)!.values), m).toEqual(Array.from(s.values));
    }
    expect([...got.cosineSim!.keys()]).toEqual(['self_attn.q_proj', 'self_attn.k_proj', 'self_attn.v_proj', 'self_attn.o_proj']);
    for (const [m, c] of whole.cosineSim!) expect(Array.from(got.cosineSim!.get(m)!), m).toEqual(Array.from(c));
    expect(got.modules).toEqual(whole.modules);
    // The same (module, statistic) columns: no all-NaN S_sum on the Q×O pair module.
    const keys = (r: Run) => [...r.values].map(([m, byStat]) => [m, [...byStat.keys()].sort()]);
    expect(keys(got)).toEqual(keys(whole));
    expect(Array.from(got.values.get('self_attn.q_proj_x_o_proj')!.get('cosine_sim_qkvo')!)).toEqual(Array.from(whole.values.get('self_attn.q_proj_x_o_proj')!.get('cosine_sim_qkvo')!));
  });
});

describe('shouldUpdate', () => {
  it('updates on the first records, every few records, spacing out as the run grows, and at the end', () => {
    const at = (n: number) => {
      const shown: number[] = [];
      let last = 0;
      for (let c = 1; c <= n; c++) if (shouldUpdate(c, last, 4, false)) shown.push((last = c));
      return shown;
    };
    expect(at(12)).toEqual([1, 2, 6, 10]);
    const many = at(1000);
    expect(many.length).toBeLessThan(60);
    expect(many.length).toBeGreaterThan(20);
    expect(shouldUpdate(7, 6, 4, true)).toBe(true);
    expect(shouldUpdate(6, 6, 4, true)).toBe(true);
  });
});
