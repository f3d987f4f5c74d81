import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../../scripts/lib/nodeBackend';
import { computeRecords, type ComputeModel, type ComputeProgress } from '../../../src/core/model/computeRecords';
import { parseConfig } from '../../../src/core/model/config';
import { disposeParams, initParams } from '../../../src/core/model/params';
import { encodeSample } from '../../../src/core/model/template';
import { ByteTokenizer, DEFAULT_SPECIAL_TOKENS } from '../../../src/core/model/tokenizer';

const config = parseConfig({
  model_type: 'llama', vocab_size: 262, hidden_size: 16, intermediate_size: 24,
  num_hidden_layers: 2, num_attention_heads: 2, num_key_value_heads: 1,
});
const records = [
  { instruction: 'What is 2 + 3?', input: '', output: '5' },
  { instruction: 'Add the numbers.', input: '4 and 4', output: 'Four plus four is 8. The answer is 8.' },
  { instruction: 'What is 1 + 1?', output: '2' },
];
let model: ComputeModel;
beforeAll(async () => {
  await useNodeBackend('wasm');
  model = { config, params: initParams(config, 1), tokenizer: new ByteTokenizer(DEFAULT_SPECIAL_TOKENS), template: 'base' };
});
afterAll(() => disposeParams(model.params));

async function collect(gen: AsyncGenerator<Record<string, unknown>>): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const r of gen) out.push(r);
  return out;
}

describe('computeRecords', () => {
  it('yields one record per sample, in order, with the text and a loss', async () => {
    const out = await collect(computeRecords(model, records));
    expect(out.map((r) => r.output)).toEqual(['5', 'Four plus four is 8. The answer is 8.', '2']);
    expect(out[1].input).toBe('4 and 4');
    expect(out[2].input).toBe('');
    for (const r of out) expect(Number.isFinite(r.loss)).toBe(true);
    expect(out[0]['model.layers.1.self_attn.o_proj.weight']).toBeDefined();
  });

  it('tokenizes with the model\'s template and truncates at maxLength', async () => {
    const [r] = await collect(computeRecords(model, [records[1]], { withTokens: true, maxLength: 20 }));
    const expected = encodeSample(model.tokenizer, records[1], { template: 'base', maxLength: 20 });
    expect(r.input_ids).toEqual(expected.ids);
    expect(r.response_start).toBe(expected.responseStart);
    expect((r.input_ids as number[]).length).toBe(20);
  });

  it('reports progress after each sample', async () => {
    const seen: ComputeProgress[] = [];
    await collect(computeRecords(model, records, { onProgress: (p) => seen.push(p) }));
    expect(seen.map((p) => [p.done, p.total])).toEqual([[1, 3], [2, 3], [3, 3]]);
    expect(seen[2].secondsLeft).toBe(0);
    for (const p of seen) expect(p.samplesPerSecond).toBeGreaterThan(0);
  });

  it('stops before the next sample once the signal aborts', async () => {
    const controller = new AbortController();
    const out: Record<string, unknown>[] = [];
    for await (const r of computeRecords(model, records, { signal: controller.signal })) {
      out.push(r);
      controller.abort();
    }
    expect(out).toHaveLength(1);
  });

  it('yields nothing for an empty dataset', async () => {
    expect(await collect(computeRecords(model, []))).toEqual([]);
  });
});
