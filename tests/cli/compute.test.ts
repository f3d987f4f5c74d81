import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultThreads, progressBar, run } from '../../scripts/cli/compute';
import { shuffleResponses } from '../../scripts/cli/computeData';
import { saveModelDir } from '../../scripts/lib/modelDir';
import { useNodeBackend } from '../../scripts/lib/nodeBackend';
import { parseRun } from '../../src/core/format/runParser';
import { sampleExtra, sampleText } from '../../src/core/format/run';
import { parseConfig } from '../../src/core/model/config';
import { disposeParams, initParams } from '../../src/core/model/params';
import { ByteTokenizer, DEFAULT_SPECIAL_TOKENS } from '../../src/core/model/tokenizer';

let dir: string;
let modelDir: string;
let chatDir: string;
let dataFile: string;
const records = [
  { instruction: 'What is 2 + 3?', input: '', output: 'The answer is 5.' },
  { instruction: 'What is 4 + 4?', input: '', output: 'Four plus four is 8. The answer is 8.' },
  { instruction: 'Add.', input: '1 and 6', output: '7' },
];

beforeAll(async () => {
  await useNodeBackend('wasm');
  dir = mkdtempSync(join(tmpdir(), 'gradlens-compute-'));
  modelDir = join(dir, 'tiny');
  chatDir = join(dir, 'tiny-chat');
  const config = parseConfig({
    model_type: 'llama', vocab_size: 262, hidden_size: 16, intermediate_size: 24,
    num_hidden_layers: 3, num_attention_heads: 2, num_key_value_heads: 1,
  });
  const params = initParams(config, 3);
  await saveModelDir(modelDir, { name: 'tiny', config, params, tokenizer: new ByteTokenizer(DEFAULT_SPECIAL_TOKENS), template: 'base' });
  await saveModelDir(chatDir, { name: 'tiny', config, params, tokenizer: new ByteTokenizer(DEFAULT_SPECIAL_TOKENS), template: 'chat' });
  disposeParams(params);
  dataFile = join(dir, 'data.jsonl');
  writeFileSync(dataFile, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterAll(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

describe('the default thread count', () => {
  it('is the cores the load average leaves idle, rounded, at least one and at most the cores', () => {
    expect(defaultThreads(2, 0)).toBe(2);
    expect(defaultThreads(2, 0.4)).toBe(2);
    expect(defaultThreads(2, 0.6)).toBe(1);
    expect(defaultThreads(2, 14)).toBe(1);
    expect(defaultThreads(8, 2.2)).toBe(6);
    expect(defaultThreads(4, -1)).toBe(4);
  });
});

describe('gradlens compute', () => {
  it('writes one record per sample that reads back through the run reader with q/k/v/o for every layer', async () => {
    const out = join(dir, 'out', 'grads.jsonl');
    expect(await run(['--model', modelDir, '--data', dataFile, '--out', out, '--with-tokens', '--max-length', '40'])).toBe(0);
    const bytes = readFileSync(out);
    const r = parseRun(out, new Uint8Array(bytes));
    expect(r.sampleCount).toBe(3);
    expect(r.layerCount).toBe(3);
    expect(r.modules).toEqual(['self_attn.q_proj', 'self_attn.k_proj', 'self_attn.v_proj', 'self_attn.o_proj']);
    expect(r.stats).toEqual(expect.arrayContaining(['S_sum', 'S_max', 'S_min', 'frobenius_norm', 'effective_rank']));
    expect(r.skipped).toEqual([]);
    const first = JSON.parse(bytes.toString('utf8').split('\n')[0]) as Record<string, unknown>;
    expect((first.input_ids as number[]).length).toBeLessThanOrEqual(40);
    expect(first.response_start).toBeTypeOf('number');
  });

  it('writes token_norms (one cₜ per position for every q/k/v/o matrix) next to input_ids and response_start with --token-norms', async () => {
    const out = join(dir, 'token-norms.jsonl');
    expect(await run(['--model', modelDir, '--data', dataFile, '--out', out, '--token-norms', '--threads', '2'])).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      const record = JSON.parse(line) as Record<string, unknown>;
      const keys = Object.keys(record);
      expect(keys.slice(-3)).toEqual(['input_ids', 'response_start', 'token_norms']);
      const ids = record.input_ids as number[];
      const norms = record.token_norms as Record<string, number[]>;
      const matrices = keys.filter((k) => k.startsWith('model.layers.'));
      expect(Object.keys(norms)).toEqual(matrices);
      for (const m of matrices) {
        expect(norms[m], m).toHaveLength(ids.length);
        expect(norms[m].every((c) => Number.isFinite(c) && c >= 0), m).toBe(true);
        expect(norms[m].some((c) => c > 0), m).toBe(true);
      }
    }
    // The reader keeps them as the sample's extra fields and reads the statistics as without them.
    const run1 = parseRun(out, new Uint8Array(readFileSync(out)));
    expect(run1.sampleCount).toBe(3);
    expect(Object.keys(sampleExtra(run1, 0) ?? {})).toEqual(['input_ids', 'response_start', 'token_norms']);
  });

  it('writes the same file with a second thread computing samples as with this thread alone', async () => {
    const one = join(dir, 'one-thread.jsonl');
    const two = join(dir, 'two-threads.jsonl');
    expect(await run(['--model', modelDir, '--data', 'builtin:mixed', '--limit', '6', '--max-length', '96', '--threads', '1', '--out', one, '--with-tokens'])).toBe(0);
    const said = vi.mocked(process.stderr.write).mock.calls.length;
    expect(await run(['--model', modelDir, '--data', 'builtin:mixed', '--limit', '6', '--max-length', '96', '--threads', '2', '--out', two, '--with-tokens'])).toBe(0);
    expect(vi.mocked(process.stderr.write).mock.calls.slice(said).map((c) => String(c[0])).join('')).toContain('on wasm, 2 threads: 6 samples');
    expect(readFileSync(two, 'utf8')).toBe(readFileSync(one, 'utf8'));
    expect(readFileSync(one, 'utf8').trim().split('\n')).toHaveLength(6);
  });

  it('accepts the subcommand name first and --limit', async () => {
    const out = join(dir, 'limited.jsonl');
    expect(await run(['compute', '--model', modelDir, '--data', dataFile, '--limit', '2', '--backend', 'cpu', '--out', out])).toBe(0);
    expect(parseRun(out, new Uint8Array(readFileSync(out))).sampleCount).toBe(2);
    await useNodeBackend('wasm');
  });

  it('resumes an interrupted run: keeps complete records, drops a cut line, computes only what is missing', async () => {
    const out = join(dir, 'resume.jsonl');
    expect(await run(['--model', modelDir, '--data', dataFile, '--limit', '1', '--max-length', '32', '--out', out])).toBe(0);
    const first = readFileSync(out, 'utf8');
    writeFileSync(out, `${first}{"instruction": "What is 4 + 4?", "inp`); // interrupted mid-line
    expect(await run(['--model', modelDir, '--data', dataFile, '--max-length', '32', '--resume', '--out', out])).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text.startsWith(first)).toBe(true);
    const r = parseRun(out, new Uint8Array(Buffer.from(text)));
    expect(r.sampleCount).toBe(3);
    expect(r.skipped).toEqual([]);
    expect(Array.from({ length: r.sampleCount }, (_, i) => sampleText(r, i).instruction)).toEqual(records.map((x) => x.instruction));
  });

  it("writes the follow-up's format with --format unified, on two threads as on one, read back with spectra and cosine maps", async () => {
    const one = join(dir, 'unified-one.jsonl');
    const two = join(dir, 'unified-two.jsonl');
    expect(await run(['--model', modelDir, '--data', dataFile, '--format', 'unified', '--max-length', '40', '--threads', '1', '--out', one])).toBe(0);
    expect(await run(['--model', modelDir, '--data', dataFile, '--format', 'unified', '--max-length', '40', '--threads', '2', '--out', two])).toBe(0);
    expect(readFileSync(two, 'utf8')).toBe(readFileSync(one, 'utf8'));
    const first = JSON.parse(readFileSync(one, 'utf8').split('\n')[0]) as Record<string, unknown>;
    expect(Object.keys(first['model.layers.2.self_attn.q_proj.weight'] as object)).toEqual(['M_mean', 'M_max', 'M_min', 'frobenius_norm', 'S_list']);
    const r = parseRun(one, new Uint8Array(readFileSync(one)));
    expect(r.skipped).toEqual([]);
    expect(r.stats).toEqual(expect.arrayContaining(['S_sum', 'effective_rank', 'cosine_sim_qkvo']));
    expect([...(r.cosineSim?.keys() ?? [])]).toEqual(['self_attn.q_proj', 'self_attn.k_proj', 'self_attn.v_proj', 'self_attn.o_proj']);
    expect(r.spectra?.get('self_attn.q_proj')?.offsets.length).toBe(3 * 3 + 1);
    expect(r.modules.slice(4)).toEqual(['self_attn.q_proj_x_o_proj', 'self_attn.k_proj_x_v_proj']);
  });

  it('exits with 2 and a reason on bad usage', async () => {
    expect(await run(['--model', modelDir, '--data', dataFile, '--out', join(dir, 'x.jsonl'), '--format', 'numpy'])).toBe(2);
    expect(await run(['--model', modelDir, '--data', dataFile])).toBe(2);
    expect(await run(['--model', modelDir, '--data', dataFile, '--out', join(dir, 'x.jsonl'), '--limit', '0'])).toBe(2);
    expect(await run(['--model', join(dir, 'nowhere'), '--data', dataFile, '--out', join(dir, 'x.jsonl')])).toBe(2);
  });
});

describe('shuffleResponses', () => {
  it('gives every record another record\'s response, deterministically', () => {
    const many = Array.from({ length: 9 }, (_, i) => ({ instruction: `q${i}`, input: '', output: `a${i}` }));
    const s = shuffleResponses(many, 7);
    s.forEach((r, i) => expect(r.output).not.toBe(`a${i}`));
    expect(s.map((r) => r.output).sort()).toEqual(many.map((r) => r.output).sort());
    expect(shuffleResponses(many, 7)).toEqual(s);
  });
});

describe('progressBar', () => {
  it('shows done/total, rate and time left', () => {
    expect(progressBar({ done: 5, total: 10, samplesPerSecond: 2.5, secondsLeft: 2 }, 10)).toBe('[#####.....] 5/10  2.50 samples/s  2s left');
    expect(progressBar({ done: 1, total: 100, samplesPerSecond: 1, secondsLeft: 99 }, 4)).toContain('1m39s left');
  });
});

describe('gradlens compute on built-in data', () => {
  it('computes a built-in generator\'s records with the chosen setting', async () => {
    const out = join(dir, 'builtin.jsonl');
    expect(await run(['--model', modelDir, '--data', 'builtin:arithmetic', '--setting', 'none', '--limit', '2', '--max-length', '64', '--out', out])).toBe(0);
    const r = parseRun(out, new Uint8Array(readFileSync(out)));
    expect(r.sampleCount).toBe(2);
    expect(sampleText(r, 0).output.length).toBeLessThan(40); // None CoT: the answer only
  });

  it('refuses an unknown built-in dataset with exit code 2', async () => {
    expect(await run(['--model', modelDir, '--data', 'builtin:nope', '--out', join(dir, 'x.jsonl')])).toBe(2);
  });

  it('refuses an experiment of one problem (irrelevant responses need another problem)', async () => {
    expect(await run(['experiment', '--model', modelDir, '--data', 'builtin:arithmetic', '-n', '1', '--out-dir', join(dir, 'x')])).toBe(2);
  });
});

describe('gradlens experiment', () => {
  it('writes the six runs in the release layout and prints the MAD and relative-difference tables', async () => {
    const outDir = join(dir, 'exp');
    let printed = '';
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((printed += String(s)), true));
    try {
      expect(await run(['experiment', '--model', modelDir, '--data', 'builtin:weekday', '-n', '2', '--max-length', '96', '--out-dir', outDir])).toBe(0);
    } finally {
      spy.mockRestore();
    }
    for (const [task, suffix] of [['cot_2', 'no_cot'], ['cot_2', 'with_cot_gpt4o'], ['cot_2_wrong_answer_shuffle', 'with_cot']]) {
      const path = join(outDir, task, 'tiny', `grads_weekday_train_${suffix}.jsonl`);
      const r = parseRun(path, new Uint8Array(readFileSync(path)));
      expect(r.sampleCount).toBe(2);
      expect(r.meta).toMatchObject({ model: 'tiny', dataset: 'weekday_train' });
    }
    expect(printed).toContain('MAD of S_sum');
    expect(printed).toContain('Relative difference');
    expect(printed).toMatch(/correctness/);

    // --resume: the six complete runs are kept as they are and nothing is computed again.
    const path = join(outDir, 'cot_2', 'tiny', 'grads_weekday_train_no_cot.jsonl');
    const before = readFileSync(path, 'utf8');
    const messages: string[] = [];
    vi.mocked(process.stderr.write).mockImplementation((s: string | Uint8Array) => (messages.push(String(s)), true));
    const quiet = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await run(['experiment', '--model', modelDir, '--data', 'builtin:weekday', '-n', '2', '--max-length', '96', '--out-dir', outDir, '--resume'])).toBe(0);
    } finally {
      quiet.mockRestore();
      vi.mocked(process.stderr.write).mockImplementation(() => true);
    }
    expect(messages.filter((m) => /^resuming: 2 records already in .*, 0 to compute/.test(m))).toHaveLength(6);
    expect(readFileSync(path, 'utf8')).toBe(before);
  });
});

describe('gradlens experiment on a base and an instruct model', () => {
  it('writes both models\' runs side by side (`_it_new` for the chat model) and pairs them by variant', async () => {
    const outDir = join(dir, 'exp2');
    let printed = '';
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((printed += String(s)), true));
    try {
      expect(await run(['experiment', '--model', `${modelDir},${chatDir}`, '--data', 'builtin:arithmetic', '-n', '2', '--max-length', '48', '--out-dir', outDir])).toBe(0);
    } finally {
      spy.mockRestore();
    }
    const path = join(outDir, 'cot_2', 'tiny_it_new', 'grads_arithmetic_train_no_cot.jsonl');
    expect(parseRun(path, new Uint8Array(readFileSync(path))).meta).toMatchObject({ model: 'tiny', variant: 'instruct' });
    expect(printed).toMatch(/variant/);
  });
});
