/** Model folders on disk (Node): thin fs wrappers around src/core/model/modelFolder. */
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { LlamaConfig } from '../../src/core/model/config';
import { asByteModel, inspectModel, loadModel, saveModel, type InspectOptions, type InspectedModel, type LoadedModel, type ModelFiles } from '../../src/core/model/modelFolder';
import type { ByteTokenizer } from '../../src/core/model/tokenizer';

/** A folder's files on disk; weight ranges are read through a file handle, never the whole shard. */
export function dirFiles(dir: string): ModelFiles {
  const path = (file: string) => join(dir, file);
  return {
    read: async (file) => (existsSync(path(file)) ? new Uint8Array(await readFile(path(file))) : null),
    size: async (file) => (existsSync(path(file)) ? (await stat(path(file))).size : null),
    async readRange(file, begin, end) {
      const handle = await open(path(file), 'r');
      try {
        const out = new Uint8Array(end - begin);
        let done = 0;
        while (done < out.length) {
          const { bytesRead } = await handle.read(out, done, out.length - done, begin + done);
          if (bytesRead === 0) throw new Error(`${file}: ends before byte ${end}`);
          done += bytesRead;
        }
        return out;
      } finally {
        await handle.close();
      }
    },
  };
}

/** Inspect the model folder `dir` (config, headers, tokenizer; no weights read); named as loadModelDir names it. */
export async function inspectModelDir(dir: string, options: InspectOptions = {}): Promise<InspectedModel> {
  return inspectModel(dirFiles(dir), { folderName: basename(resolve(dir)), ...options });
}

/** Load the model folder `dir`; its name defaults to config.json's gradlens_name, else the folder name. */
export async function loadModelDir(dir: string, nameOrOptions?: string | InspectOptions): Promise<LoadedModel> {
  const options = typeof nameOrOptions === 'string' ? { name: nameOrOptions } : (nameOrOptions ?? {});
  return loadModel(dirFiles(dir), { folderName: basename(resolve(dir)), ...options });
}

/** Load a byte-level model folder (the shipped models, training checkpoints); throws for a checkpoint with tokenizer.json. */
export async function loadByteModelDir(dir: string, name?: string): Promise<LoadedModel<ByteTokenizer>> {
  return asByteModel(await loadModelDir(dir, name));
}

/** Write a model's files into `dir` (created when missing); returns the paths written. */
export async function saveModelDir(dir: string, model: LoadedModel<ByteTokenizer>): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [file, bytes] of saveModel(model)) {
    const path = join(dir, file);
    await writeFile(path, bytes);
    written.push(path);
  }
  return written;
}

/** What a shipped model's metrics.json holds (the card is rendered from it). */
export interface ModelMetrics {
  name: string;
  stage: 'base' | 'instruct';
  preset: string;
  config: LlamaConfig;
  parameters: number;
  steps: number;
  batch_size: number;
  seq_len: number;
  peak_lr: number;
  seed: number;
  tokens_seen: number;
  wall_time_s: number;
  backend: string;
  final_train_loss: number;
  /** Mean loss per counted token on the fixed held-out set of trainCorpus.heldoutBatches. */
  heldout_loss: number;
  /** Informational: loss on 16 built-in arithmetic problems from the held-out seed range (scripts/evalHeldout.ts). */
  heldout_builtin_loss?: number;
  /** ln(vocab size): the loss of a uniform guess. */
  uniform_loss: number;
  corpus: string;
  command: string;
  /** Set by scripts/evalInstruct.ts. */
  accuracy?: { correct: number; total: number; exact_match: number; problems: string; command: string; wall_time_s: number; answer_only?: number };
}

/** Held-out loss as the card prints it (4 decimals); tests compare the card and metrics.json through it. */
export function formatLoss(x: number): string {
  return x.toFixed(4);
}

const fmtTime = (s: number) => `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;

/** The README model card for metrics (see ModelMetrics). */
export function renderModelCard(m: ModelMetrics, special: Record<string, number>): string {
  const c = m.config;
  const instruct = m.stage === 'instruct';
  const lines = [
    `# gradlens \`${m.name}\` — a ${c.num_hidden_layers}-layer byte-level Llama ${instruct ? 'tuned on instructions (chat template)' : 'pre-trained on generated text'}`,
    '',
    `Trained by gradlens's own script on text the project generates (no downloads), so the`,
    `app can show the study's base-vs-instruct comparison on real trained weights. Tiny on`,
    `purpose: it trains in minutes on 2 CPU cores and runs in a browser.`,
    '',
    '## Files (Hugging Face layout)',
    '',
    '- `config.json`: `LlamaConfig` (`model_type: "llama"`), plus `gradlens_template` (`"' + (instruct ? 'chat' : 'base') + '"`) and `gradlens_name`.',
    '- `model.safetensors`: float32 parameters with HF names; linear weights `[out, in]`; embeddings tied to the LM head.',
    '- `special_tokens.json`: the special tokens (name → id).',
    '- `metrics.json`: every number on this card, machine-readable; `loss_log.jsonl`: step, lr, train loss, gradient norm, held-out loss every 100 steps.',
    '',
    '## Config',
    '',
    '| field | value |',
    '| --- | --- |',
    ...(['num_hidden_layers', 'hidden_size', 'intermediate_size', 'num_attention_heads', 'num_key_value_heads', 'vocab_size', 'max_position_embeddings', 'rope_theta', 'rms_norm_eps', 'tie_word_embeddings'] as const).map((k) => `| ${k} | ${String(c[k])} |`),
    `| parameters | ${m.parameters.toLocaleString('en-US')} |`,
    '',
    '## Tokenizer and template',
    '',
    'Byte level: the UTF-8 bytes of the text are ids 0–255. Special tokens:',
    '',
    ...Object.entries(special).map(([k, v]) => `- \`${k}\` = ${v}`),
    '',
    instruct
      ? 'Chat template: `<|bos|><|user|>` instruction (+ "\\n" + input) `<|end|><|assistant|>` response; trained with `<|end|>` after the response. The response starts right after `<|assistant|>`.'
      : 'Documents are `<|bos|>` text `<|eos|>`. For statistics, the study\'s base template: `<|bos|>` instruction (+ "\\n" + input) + "\\n" + output.',
    '',
    '## Training',
    '',
    ...(instruct ? ['- Starts from the shipped `base` model (data/models/base; its card describes the pre-training) and continues with a fresh AdamW state.'] : []),
    `- Corpus: ${m.corpus}`,
    `- ${m.steps} steps of AdamW (β 0.9/0.95, weight decay 0.05 on matrices, gradient clipping at 1), batch ${m.batch_size} × ≤ ${m.seq_len} tokens, peak learning rate ${m.peak_lr} with linear warmup and cosine decay to 10%; seed ${m.seed}.`,
    `- ${m.tokens_seen.toLocaleString('en-US')} ${instruct ? 'response ' : ''}tokens with loss seen.`,
    `- Wall time on this machine (2 CPU cores, shared, tfjs ${m.backend} backend in Node): ${fmtTime(m.wall_time_s)} (${m.wall_time_s} s).`,
    '',
    '## Results',
    '',
    '| measure | nats per token |',
    '| --- | --- |',
    `| final train loss (mean of the last 50 steps) | ${formatLoss(m.final_train_loss)} |`,
    `| held-out loss | ${formatLoss(m.heldout_loss)} |`,
    ...(m.heldout_builtin_loss === undefined ? [] : [`| held-out loss on built-in arithmetic problems (informational) | ${formatLoss(m.heldout_builtin_loss)} |`]),
    `| uniform baseline ln(${c.vocab_size}) | ${formatLoss(m.uniform_loss)} |`,
    '',
    `Held-out loss: ${formatLoss(m.heldout_loss)} = ${((100 * m.heldout_loss) / m.uniform_loss).toFixed(1)}% of the uniform baseline${m.heldout_loss <= m.uniform_loss / 2 ? ' (at most half of it, as required)' : ' (NOT below half of it)'}.`,
    instruct
      ? 'Held-out set: 16 chat samples (None / Simplified / Detailed responses) of arithmetic problems from seeds the training never used; loss on the response tokens only (`heldoutBatches` in `src/core/model/trainCorpus.ts`, checked by `tests/core/model/shippedModels.test.ts`).'
      : 'Held-out set: 16 documents of generated problems from seeds the training never used, every token counted (`heldoutBatches` in `src/core/model/trainCorpus.ts`, checked by `tests/core/model/shippedModels.test.ts`).',
    'The held-out set uses the training script\'s own problem generator (trainText.ts), whose texts are shorter and more regular than the built-in generator\'s, so it can come out below the train loss; it is kept fixed so the figure does not move when the built-in generators evolve. The informational row (`heldoutBuiltinBatches`, `npx tsx scripts/evalHeldout.ts`) measures 16 unseen built-in problems.',
    '',
  ];
  if (m.accuracy) {
    const a = m.accuracy;
    lines.push(
      '## Exact-match accuracy',
      '',
      `${(100 * a.exact_match).toFixed(1)}% (${a.correct} of ${a.total}) on ${a.problems}: greedy decoding in the chat template, the last number of the answer compared with the problem's answer. Measured by \`${a.command}\` in ${fmtTime(a.wall_time_s)}.`,
      ...(a.answer_only === undefined ? [] : ['', `${a.answer_only} of ${a.total} answers were answer-only (the number alone, the None style); the rest showed steps. Every answer is in \`eval_answers.jsonl\`.`]),
      '',
    );
  } else if (instruct) {
    lines.push('## Exact-match accuracy', '', 'Not measured yet: run `npx tsx scripts/evalInstruct.ts`.', '');
  }
  lines.push('## Reproduce', '', '```sh', ...(instruct ? ['npm run train -- --stage base   # if data/models/base is not there yet'] : []), m.command, ...(instruct ? ['npx tsx scripts/evalInstruct.ts'] : []), '```', '', 'Training is seeded and deterministic for a backend; wall time varies with the machine and its load.', '');
  return lines.join('\n');
}

/** Write metrics.json and README.md into a model folder. */
export async function writeModelCard(dir: string, metrics: ModelMetrics): Promise<void> {
  const special = JSON.parse(await readFile(join(dir, 'special_tokens.json'), 'utf8')) as Record<string, number>;
  await writeFile(join(dir, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
  await writeFile(join(dir, 'README.md'), renderModelCard(metrics, special));
}
