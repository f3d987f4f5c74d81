/**
 * `npm run train -- --stage base|instruct [--config tiny|small] [--steps N] [--seed S]
 *   [--out DIR] [--init DIR] [--resume] [--backend wasm|cpu] [--batch-size B] [--seq-len T]
 *   [--lr X] [--checkpoint-every N] [--stop-after N]`
 *
 * Trains the Llama-style model with tfjs in Node on the corpus the project generates:
 * - base: plain-text pre-training on packed windows of generated documents;
 * - instruct: continues from a base model (--init, default data/models/base) on
 *   instruction/response pairs in the chat template, loss on the responses only.
 * Writes into --out (default data/models/<stage>): the model in HF layout, loss_log.jsonl
 * (step, lr, train loss, held-out loss), metrics.json and README.md (the model card), and
 * a resumable checkpoint under <out>/checkpoints/latest, git-ignored (model + AdamW moments + trainer state;
 * the data order is a function of seed and step, so a resumed run sees the same batches).
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync } from 'node:fs';
import { appendFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadByteModelDir, saveModelDir, writeModelCard, type ModelMetrics } from './lib/modelDir';
import { useNodeBackend, type NodeBackend } from './lib/nodeBackend';
import { parseConfig, type LlamaConfig } from '../src/core/model/config';
import type { LoadedModel as AnyLoadedModel } from '../src/core/model/modelFolder';
/** Training runs on byte-level models only. */
type LoadedModel = AnyLoadedModel<ByteTokenizer>;
import { disposeParams, initParams, type Params } from '../src/core/model/params';
import { readSafetensors, writeSafetensors } from '../src/core/model/safetensors';
import { ByteTokenizer, DEFAULT_SPECIAL_TOKENS } from '../src/core/model/tokenizer';
import { DEFAULT_HYPER, initAdam, learningRate, trainStep, evalLoss, type AdamState, type TrainHyper } from '../src/core/model/train';
import { CORPUS_DESCRIPTION, heldoutBatches, trainingSource, type TrainStage } from '../src/core/model/trainCorpus';
import { countedLabels, mulberry32, stepSeed } from '../src/core/model/trainData';

/** Model sizes the script knows; `tiny` is what ships. */
const PRESETS: Record<string, Omit<LlamaConfig, 'model_type' | 'vocab_size' | 'hidden_act'>> = {
  tiny: { hidden_size: 96, intermediate_size: 256, num_hidden_layers: 6, num_attention_heads: 4, num_key_value_heads: 4, rms_norm_eps: 1e-5, rope_theta: 10000, max_position_embeddings: 1024, tie_word_embeddings: true },
  small: { hidden_size: 128, intermediate_size: 352, num_hidden_layers: 8, num_attention_heads: 4, num_key_value_heads: 4, rms_norm_eps: 1e-5, rope_theta: 10000, max_position_embeddings: 1024, tie_word_embeddings: true },
};

/** Per-stage defaults: batch shape, steps, learning rate, evaluation and checkpoint cadence. */
const STAGE_DEFAULTS: Record<TrainStage, { steps: number; batchSize: number; seqLen: number; peakLr: number; warmup: number }> = {
  base: { steps: 250, batchSize: 4, seqLen: 256, peakLr: 3e-3, warmup: 20 },
  instruct: { steps: 100, batchSize: 4, seqLen: 768, peakLr: 1e-3, warmup: 8 },
};
const EVAL_EVERY = 100;
const CHECKPOINT_EVERY = 50;

interface Args {
  stage: TrainStage;
  config: string;
  steps: number;
  seed: number;
  out: string;
  init: string;
  resume: boolean;
  backend: NodeBackend;
  batchSize: number;
  seqLen: number;
  lr: number;
  checkpointEvery: number;
  /** Stop this session after so many steps (as if interrupted), leaving the checkpoint; 0 = run to the end. */
  stopAfter: number;
}

function parseArgs(argv: string[]): Args {
  const get = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const stage = (get('--stage') ?? 'base') as TrainStage;
  if (stage !== 'base' && stage !== 'instruct') throw new Error(`--stage must be base or instruct, got ${stage}`);
  const d = STAGE_DEFAULTS[stage];
  const num = (flag: string, fallback: number) => {
    const v = get(flag);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} must be a positive number, got ${v}`);
    return n;
  };
  const config = get('--config') ?? 'tiny';
  if (!PRESETS[config]) throw new Error(`--config must be one of ${Object.keys(PRESETS).join(', ')}`);
  return {
    stage,
    config,
    steps: Math.round(num('--steps', d.steps)),
    seed: Math.round(num('--seed', 1)),
    out: get('--out') ?? join('data', 'models', stage),
    init: get('--init') ?? join('data', 'models', 'base'),
    resume: argv.includes('--resume'),
    backend: (get('--backend') ?? 'wasm') as NodeBackend,
    batchSize: Math.round(num('--batch-size', d.batchSize)),
    seqLen: Math.round(num('--seq-len', d.seqLen)),
    lr: num('--lr', d.peakLr),
    checkpointEvery: Math.round(num('--checkpoint-every', CHECKPOINT_EVERY)),
    stopAfter: argv.includes('--stop-after') ? Math.round(num('--stop-after', 1)) : 0,
  };
}

interface TrainerState {
  stage: TrainStage;
  step: number;
  seed: number;
  args: Args;
  elapsedSeconds: number;
  tokensSeen: number;
}

async function saveCheckpoint(dir: string, model: LoadedModel, adam: AdamState, state: TrainerState): Promise<void> {
  const tmp = `${dir}.tmp`;
  await rm(tmp, { recursive: true, force: true });
  await saveModelDir(tmp, model);
  const moments = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const [name, t] of adam.m) moments.set(`m.${name}`, { shape: t.shape, data: t.dataSync() as Float32Array });
  for (const [name, t] of adam.v) moments.set(`v.${name}`, { shape: t.shape, data: t.dataSync() as Float32Array });
  await writeFile(join(tmp, 'optimizer.safetensors'), writeSafetensors(moments, { adam_step: String(adam.step) }));
  await writeFile(join(tmp, 'trainer_state.json'), `${JSON.stringify(state, null, 2)}\n`);
  // Replace the old checkpoint only once the new one is complete.
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
}

async function loadCheckpoint(dir: string): Promise<{ model: LoadedModel; adam: AdamState; state: TrainerState }> {
  const model = await loadByteModelDir(dir);
  const state = JSON.parse(await readFile(join(dir, 'trainer_state.json'), 'utf8')) as TrainerState;
  const moments = readSafetensors(new Uint8Array(await readFile(join(dir, 'optimizer.safetensors'))));
  const m: Params = new Map();
  const v: Params = new Map();
  for (const name of model.params.keys()) {
    const mi = moments.get(`m.${name}`);
    const vi = moments.get(`v.${name}`);
    if (!mi || !vi) throw new Error(`${dir}/optimizer.safetensors: missing moments of ${name}`);
    m.set(name, tf.tensor(mi.data, mi.shape));
    v.set(name, tf.tensor(vi.data, vi.shape));
  }
  return { model, adam: { step: state.step, m, v }, state };
}

function progressLine(step: number, total: number, loss: number, lr: number, secondsPerStep: number): string {
  const width = 30;
  const filled = Math.round((width * step) / total);
  const eta = Math.max(0, (total - step) * secondsPerStep);
  const mmss = `${Math.floor(eta / 60)}m${String(Math.round(eta % 60)).padStart(2, '0')}s`;
  return `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${step}/${total} loss ${loss.toFixed(3)} lr ${lr.toExponential(1)} ${secondsPerStep.toFixed(2)} s/step eta ${mmss} `;
}

async function main(): Promise<void> {
  const cli = parseArgs(process.argv.slice(2));
  const backend = await useNodeBackend(cli.backend);
  const ckptDir = join(cli.out, 'checkpoints', 'latest'); // checkpoints/ is git-ignored
  const logPath = join(cli.out, 'loss_log.jsonl');
  await mkdir(cli.out, { recursive: true });

  let model: LoadedModel;
  let adam: AdamState;
  let state: TrainerState;
  if (cli.resume && existsSync(join(ckptDir, 'trainer_state.json'))) {
    ({ model, adam, state } = await loadCheckpoint(ckptDir));
    // Keep only the log lines the checkpoint has seen.
    if (existsSync(logPath)) {
      const kept = readFileSync(logPath, 'utf8').split('\n').filter((l) => l && (JSON.parse(l) as { step: number }).step <= state.step);
      await writeFile(logPath, kept.map((l) => `${l}\n`).join(''));
    }
    process.stderr.write(`resuming ${state.stage} at step ${state.step} from ${ckptDir}\n`);
  } else {
    if (cli.stage === 'base') {
      const config = parseConfig({ model_type: 'llama', vocab_size: new ByteTokenizer(DEFAULT_SPECIAL_TOKENS).vocabSize, hidden_act: 'silu', ...PRESETS[cli.config] });
      model = { name: 'base', config, params: initParams(config, cli.seed), tokenizer: new ByteTokenizer(DEFAULT_SPECIAL_TOKENS), template: 'base' };
    } else {
      model = await loadByteModelDir(cli.init);
      model.name = 'instruct';
      model.template = 'chat';
    }
    adam = initAdam(model.params);
    state = { stage: cli.stage, step: 0, seed: cli.seed, args: cli, elapsedSeconds: 0, tokensSeen: 0 };
    await writeFile(logPath, '');
  }
  const args = state.args;
  const hyper: TrainHyper = { ...DEFAULT_HYPER, peakLr: args.lr, warmupSteps: STAGE_DEFAULTS[args.stage].warmup, totalSteps: args.steps };
  const source = trainingSource(model.tokenizer, args.stage, args.seed, args.seqLen);
  const heldout = heldoutBatches(model.tokenizer, args.stage);
  process.stderr.write(`${args.stage}: ${args.steps} steps × ${args.batchSize} × ≤${args.seqLen} tokens on ${backend}; ${source.description}\n`);

  const recent: number[] = [];
  const startStep = state.step;
  const startElapsed = state.elapsedSeconds;
  const t0 = performance.now();
  for (let step = startStep; step < args.steps; step++) {
    const batch = source.batch(args.batchSize, mulberry32(stepSeed(args.seed, step)));
    const lr = learningRate(step, hyper);
    const r = trainStep(model.config, model.params, adam, batch, lr, hyper);
    model.params = r.params;
    adam = r.adam;
    recent.push(r.loss);
    if (recent.length > 20) recent.shift();
    state.tokensSeen += countedLabels(batch);
    const done = step + 1;
    const session = (performance.now() - t0) / 1000;
    const elapsed = startElapsed + session;
    const entry: Record<string, number> = { step: done, lr, train_loss: r.loss, grad_norm: r.gradNorm, elapsed_s: Math.round(elapsed) };
    if (done % EVAL_EVERY === 0 || done === args.steps) entry.heldout_loss = evalLoss(model.config, model.params, heldout);
    await appendFile(logPath, `${JSON.stringify(entry)}\n`);
    const smoothed = recent.reduce((a, b) => a + b, 0) / recent.length;
    process.stderr.write(progressLine(done, args.steps, smoothed, lr, session / (done - startStep)));
    if (done % (args.checkpointEvery ?? CHECKPOINT_EVERY) === 0 || done === args.steps) {
      await saveCheckpoint(ckptDir, model, adam, { ...state, step: done, elapsedSeconds: elapsed });
    }
    if (cli.stopAfter > 0 && done - startStep >= cli.stopAfter && done < args.steps) {
      process.stderr.write(`\nstopped after ${cli.stopAfter} steps (--stop-after); continue with --resume\n`);
      return;
    }
  }
  process.stderr.write('\n');

  const finalLog = readFileSync(logPath, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { train_loss: number; elapsed_s: number });
  const last = finalLog.slice(-50);
  const heldoutLoss = evalLoss(model.config, model.params, heldout);
  const metrics: ModelMetrics = {
    name: args.stage,
    stage: args.stage,
    preset: args.config,
    config: model.config,
    parameters: [...model.params.values()].reduce((s, t) => s + t.size, 0),
    steps: args.steps,
    batch_size: args.batchSize,
    seq_len: args.seqLen,
    peak_lr: args.lr,
    seed: args.seed,
    tokens_seen: state.tokensSeen,
    wall_time_s: finalLog.at(-1)?.elapsed_s ?? 0,
    backend,
    final_train_loss: last.reduce((s, e) => s + e.train_loss, 0) / Math.max(1, last.length),
    heldout_loss: heldoutLoss,
    uniform_loss: Math.log(model.tokenizer.vocabSize),
    corpus: CORPUS_DESCRIPTION[args.stage],
    command: `npm run train -- --stage ${args.stage} --config ${args.config} --steps ${args.steps} --seed ${args.seed}${args.stage === 'instruct' ? ` --init ${args.init}` : ''}`,
  };
  await saveModelDir(cli.out, model);
  await writeModelCard(cli.out, metrics);
  process.stderr.write(`done: train loss ${metrics.final_train_loss.toFixed(4)}, held-out ${heldoutLoss.toFixed(4)} (uniform ${metrics.uniform_loss.toFixed(4)}), ${metrics.wall_time_s} s\n`);
  disposeParams(model.params);
  disposeParams(adam.m);
  disposeParams(adam.v);
}

main().catch((e: unknown) => {
  process.stderr.write(`\ntrain: ${(e as Error).message}\n`);
  process.exit(1);
});
