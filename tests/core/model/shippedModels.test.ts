import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../../scripts/lib/nodeBackend';
import { formatLoss, loadByteModelDir as loadModelDir, type ModelMetrics } from '../../../scripts/lib/modelDir';
import { disposeParams } from '../../../src/core/model/params';
import { heldoutLoss } from '../../../src/core/model/trainCorpus';

const MODELS = fileURLToPath(new URL('../../../data/models/', import.meta.url));

beforeAll(async () => {
  await useNodeBackend('wasm');
});

describe.each(['base', 'instruct'] as const)('the shipped %s model', (name) => {
  const dir = `${MODELS}${name}`;
  const metrics = () => JSON.parse(readFileSync(`${dir}/metrics.json`, 'utf8')) as ModelMetrics;

  it('loads in HF layout with the template its stage needs', async () => {
    const model = await loadModelDir(dir);
    expect(model.template).toBe(name === 'base' ? 'base' : 'chat');
    expect(model.config).toEqual(metrics().config);
    expect(model.tokenizer.vocabSize).toBe(model.config.vocab_size);
    disposeParams(model.params);
  });

  it('has the held-out loss its card states, recomputed within 1% (relative)', async () => {
    const model = await loadModelDir(dir);
    const loss = heldoutLoss(model);
    const m = metrics();
    expect(Math.abs(loss - m.heldout_loss) / m.heldout_loss).toBeLessThan(0.01);
    expect(readFileSync(`${dir}/README.md`, 'utf8')).toContain(`| held-out loss | ${formatLoss(m.heldout_loss)} |`);
    disposeParams(model.params);
  });

  it('states a uniform baseline of ln(vocab size) and a held-out loss below it', () => {
    const m = metrics();
    expect(m.uniform_loss).toBeCloseTo(Math.log(m.config.vocab_size), 10);
    expect(m.heldout_loss).toBeLessThan(m.uniform_loss);
    expect(readFileSync(`${dir}/README.md`, 'utf8')).toContain(`| uniform baseline ln(${m.config.vocab_size}) | ${formatLoss(m.uniform_loss)} |`);
  });
});

describe('the shipped models together', () => {
  it('base reaches at most half of ln(vocab size) on held-out generated problems', () => {
    const m = JSON.parse(readFileSync(`${MODELS}base/metrics.json`, 'utf8')) as ModelMetrics;
    expect(m.heldout_loss).toBeLessThanOrEqual(m.uniform_loss / 2);
  });

  it('weigh under 15 MB together', () => {
    const bytes = ['base', 'instruct'].reduce((s, n) => s + statSync(`${MODELS}${n}/model.safetensors`).size, 0);
    expect(bytes).toBeLessThan(15e6);
  });

  it('report the instruct model exact-match accuracy in its card as measured', () => {
    const m = JSON.parse(readFileSync(`${MODELS}instruct/metrics.json`, 'utf8')) as ModelMetrics;
    expect(m.accuracy).toBeDefined();
    const a = m.accuracy!;
    expect(a.exact_match).toBeCloseTo(a.correct / a.total, 12);
    expect(readFileSync(`${MODELS}instruct/README.md`, 'utf8')).toContain(`(${a.correct} of ${a.total})`);
  });
});
