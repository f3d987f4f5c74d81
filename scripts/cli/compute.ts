/**
 * `gradlens compute` and `gradlens experiment`: live gradient statistics in Node, with
 * the same core the browser worker runs.
 *
 *   gradlens compute --model DIR|NAME --data FILE|builtin:NAME [--setting none|simplified|detailed]
 *     [--irrelevant] [--limit N] [--max-length T] [--with-tokens] [--backend wasm|cpu] [--resume] --out FILE.jsonl
 *   gradlens experiment --model NAME[,NAME…] --data builtin:NAME [-n N] [--max-length T] [--backend wasm|cpu] --out-dir DIR
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile, appendFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { toJsonlLine } from '../../src/core/format/jsonl';
import { computeRecords, type ComputeInput, type ComputeProgress } from '../../src/core/model/computeRecords';
import { COT_SETTINGS, experimentPlan, modelStemOf, type CotSetting } from '../../src/core/model/experimentPlan';
import { describeFit, describeModel } from '../../src/core/model/describeModel';
import { DEFAULT_MEMORY_BUDGET } from '../../src/core/model/memoryEstimate';
import { loadWeights, type LoadedModel } from '../../src/core/model/modelFolder';
import { disposeParams } from '../../src/core/model/params';
import { DEFAULT_MAX_LENGTH, describeTruncation, longestSample, truncation, type TemplateKind } from '../../src/core/model/template';
import { dirFiles, inspectModelDir } from '../lib/modelDir';
import { useNodeBackend, type NodeBackend } from '../lib/nodeBackend';
import { UsageError } from './args';
import { builtinName, finishedLines, loadRecords, printExperimentTables, sampleKey } from './computeData';

/** Where shipped models live: data/models/<NAME> at the repository root. */
export const MODELS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../data/models');

const USAGE = `usage:
  gradlens compute --model DIR|NAME --data FILE|builtin:NAME [--setting none|simplified|detailed]
                   [--irrelevant] [--limit N] [--max-length T] [--with-tokens] [--backend wasm|cpu] [--resume]
                   [--template base|chat] [--memory-budget GB] --out FILE.jsonl
    (--model DIR: a Hugging Face folder of a Llama, Mistral, Qwen2 or Qwen3 checkpoint; its
     architecture, size and memory estimate are printed before computing)
  gradlens experiment --model NAME[,NAME…] --data builtin:NAME [-n N] [--max-length T] [--backend wasm|cpu] --out-dir DIR
    (--model base,instruct runs both shipped models: the base-vs-instruct comparison in one call)`;

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer, got ${value}`);
  return n;
}

function settingOf(value: string | undefined): CotSetting | undefined {
  if (value === undefined) return undefined;
  const s = value;
  if (!(COT_SETTINGS as readonly string[]).includes(s)) throw new UsageError(`--setting must be none, simplified or detailed, got ${s}`);
  return s as CotSetting;
}

function backendOf(value: string | undefined): NodeBackend {
  const b = value ?? 'wasm';
  if (b !== 'wasm' && b !== 'cpu') throw new UsageError(`--backend must be wasm or cpu, got ${b}`);
  return b;
}

/** How resolveModel checks a model before loading its weights. */
export interface ResolveOptions {
  /** The user's --max-length (default: the study's 1024, or the model's maximum when lower). */
  maxLength?: number;
  /** Bytes the estimate may reach (--memory-budget; default DEFAULT_MEMORY_BUDGET). */
  memoryBudget?: number;
  template?: TemplateKind;
  /** Where the description and the estimate go (stderr). */
  log?: (line: string) => void;
  /** The job's records: the memory check is made at their longest sample (else at maxLength). */
  records?: readonly ComputeInput[];
}

/**
 * A model folder path, or the name of a shipped model under data/models: inspected
 * first (architecture, size, tokenizer, memory estimate at the sample length, written to
 * `log`), refused with one line when the length or the estimate does not fit, then
 * loaded. Returns the model and the sample length to use.
 */
export async function resolveModel(spec: string, options: ResolveOptions = {}): Promise<{ model: LoadedModel; maxLength: number }> {
  const shipped = join(MODELS_DIR, spec);
  const dir = existsSync(join(spec, 'config.json')) ? spec : /^[\w.-]+$/.test(spec) && existsSync(join(shipped, 'config.json')) ? shipped : null;
  if (!dir) throw new UsageError(`--model ${spec}: neither a model folder (with config.json) nor a shipped model under data/models`);
  const budget = options.memoryBudget ?? DEFAULT_MEMORY_BUDGET;
  const inspected = await inspectModelDir(dir, { name: dir === shipped ? spec : undefined, template: options.template, memoryBudget: budget });
  const { info } = inspected;
  const maxLength = options.maxLength ?? Math.min(DEFAULT_MAX_LENGTH, info.maxLength);
  const capped = Number.isSafeInteger(maxLength) && maxLength >= 1 && maxLength <= info.maxLength;
  const longest = options.records && capped ? longestSample(inspected.tokenizer, info.template, options.records, maxLength) : undefined;
  const fit = describeFit(info, maxLength, budget, longest);
  if (fit.error) throw new Error(`--model ${spec}: ${fit.error}`);
  options.log?.(`${info.name}: ${describeModel(info)}`);
  options.log?.(fit.estimate);
  const params = await loadWeights(dirFiles(dir), inspected);
  return { model: { name: info.name, config: info.config, params, tokenizer: inspected.tokenizer, template: info.template }, maxLength };
}

function memoryBudgetOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const gb = Number(value);
  if (!Number.isFinite(gb) || gb <= 0) throw new UsageError(`--memory-budget must be a positive number of GB, got ${value}`);
  return gb * 1e9;
}

function templateOf(value: string | undefined): TemplateKind | undefined {
  if (value === undefined || value === 'base' || value === 'chat') return value;
  throw new UsageError(`--template must be base or chat, got ${value}`);
}

/** A one-line progress bar for stderr. */
export function progressBar(p: ComputeProgress, width = 28): string {
  const filled = p.total ? Math.round((width * p.done) / p.total) : width;
  const eta = p.secondsLeft >= 60 ? `${Math.floor(p.secondsLeft / 60)}m${String(Math.round(p.secondsLeft % 60)).padStart(2, '0')}s` : `${Math.round(p.secondsLeft)}s`;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.done}/${p.total}  ${p.samplesPerSecond.toFixed(2)} samples/s  ${eta} left`;
}

/**
 * Compute records into `out`, drawing progress on stderr; returns the number written.
 * `out` is started afresh, or with `resume` keeps its complete records and computes
 * only the samples it lacks (as the study's script does after an interruption).
 */
async function computeToFile(
  model: LoadedModel,
  all: ComputeInput[],
  out: string,
  options: { maxLength?: number; withTokens?: boolean; label?: string; resume?: boolean },
): Promise<number> {
  await mkdir(dirname(resolve(out)), { recursive: true });
  const done = options.resume ? await finishedLines(out) : { lines: [], keys: new Set<string>() };
  await writeFile(out, done.lines.length ? `${done.lines.join('\n')}\n` : '');
  const records = all.filter((r) => !done.keys.has(sampleKey(r)));
  if (done.lines.length) process.stderr.write(`resuming: ${done.lines.length} records already in ${out}, ${records.length} to compute\n`);
  const cut = describeTruncation(truncation(model.tokenizer, records, { template: model.template, maxLength: options.maxLength }));
  if (cut) process.stderr.write(`warning: ${options.label ? `${options.label}: ` : ''}${cut}\n`);
  const tty = process.stderr.isTTY;
  let written = 0;
  let pending: string[] = [];
  const draw = (p: ComputeProgress) => {
    const line = `${options.label ? `${options.label} ` : ''}${progressBar(p)}`;
    if (tty) process.stderr.write(`\r${line}\x1b[K`);
    else if (p.done === p.total || p.done % 10 === 0) process.stderr.write(`${line}\n`);
  };
  const onWarning = (message: string) => process.stderr.write(`${tty ? '\n' : ''}warning: ${options.label ? `${options.label.trim()}: ` : ''}${message}\n`);
  for await (const record of computeRecords(model, records, { maxLength: options.maxLength, withTokens: options.withTokens, onProgress: draw, onWarning })) {
    pending.push(toJsonlLine(record));
    written++;
    if (pending.length >= 8) {
      await appendFile(out, `${pending.join('\n')}\n`);
      pending = [];
    }
  }
  if (pending.length) await appendFile(out, `${pending.join('\n')}\n`);
  if (tty && records.length) process.stderr.write('\n');
  return written;
}

async function runCompute(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string' },
      data: { type: 'string' },
      setting: { type: 'string' },
      irrelevant: { type: 'boolean', default: false },
      limit: { type: 'string' },
      'max-length': { type: 'string' },
      'with-tokens': { type: 'boolean', default: false },
      backend: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string' },
      resume: { type: 'boolean', default: false },
      template: { type: 'string' },
      'memory-budget': { type: 'string' },
    },
    strict: true,
  });
  if (!values.model || !values.data || !values.out) throw new UsageError('--model, --data and --out are required');
  const limit = positiveInt(values.limit, '--limit');
  const setting = settingOf(values.setting);
  const memoryBudget = memoryBudgetOf(values['memory-budget']);
  const template = templateOf(values.template);
  const backend = await useNodeBackend(backendOf(values.backend));
  const records = await loadRecords(values.data, { setting, irrelevant: values.irrelevant, limit, seed: positiveInt(values.seed, '--seed') });
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const { model, maxLength } = await resolveModel(values.model, { maxLength: positiveInt(values['max-length'], '--max-length'), memoryBudget, template, log, records });
  try {
    process.stderr.write(`${model.name} (${model.config.num_hidden_layers} layers, ${model.template}) on ${backend}: ${records.length} samples → ${values.out}\n`);
    const n = await computeToFile(model, records, values.out, { maxLength, withTokens: values['with-tokens'], resume: values.resume });
    process.stderr.write(`wrote ${n} records to ${values.out}\n`);
    return 0;
  } finally {
    disposeParams(model.params);
  }
}

async function runExperiment(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string' },
      data: { type: 'string' },
      n: { type: 'string', short: 'n' },
      'max-length': { type: 'string' },
      backend: { type: 'string' },
      'out-dir': { type: 'string' },
      seed: { type: 'string' },
    },
    strict: true,
  });
  if (!values.model || !values.data || !values['out-dir']) throw new UsageError('--model, --data and --out-dir are required');
  if (!values.data.startsWith('builtin:')) throw new UsageError('experiment needs a built-in dataset (--data builtin:NAME): it pairs None/Simplified/Detailed responses of the same problems');
  const n = positiveInt(values.n, '-n') ?? 20;
  if (n < 2) throw new UsageError('-n must be at least 2: irrelevant responses pair each problem with another one');
  const userMaxLength = positiveInt(values['max-length'], '--max-length');
  const seed = positiveInt(values.seed, '--seed');
  const backend = await useNodeBackend(backendOf(values.backend));
  const outDir = values['out-dir'];
  const dataset = builtinName(values.data);
  const paths: string[] = [];
  // Several models (e.g. `--model base,instruct`) share the out-dir, so base and instruct runs pair too.
  for (const spec of values.model.split(',').filter((m) => m !== '')) {
    const { model, maxLength } = await resolveModel(spec, { maxLength: userMaxLength, log: (line) => process.stderr.write(`${line}\n`) });
    try {
      const plan = experimentPlan({ dataset, ...modelStemOf(model.name, model.template), n });
      process.stderr.write(`fast-vs-slow experiment: ${model.name} on ${backend}, ${n} problems × ${plan.length} runs → ${outDir}\n`);
      for (const step of plan) {
        const records = await loadRecords(values.data, { setting: step.setting, irrelevant: step.irrelevant, limit: n, seed });
        const out = join(outDir, step.path);
        await computeToFile(model, records, out, { maxLength, label: step.label.padEnd(24) });
        paths.push(out);
      }
    } finally {
      disposeParams(model.params);
    }
  }
  await printExperimentTables(paths, (s) => process.stdout.write(s));
  return 0;
}

/**
 * Entry point for `gradlens compute …` (and `gradlens experiment …` when argv starts with
 * `experiment`); argv may start with the subcommand name. Returns the exit code:
 * 0 done, 2 usage error, 1 any other failure (message on stderr).
 */
export async function run(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  const sub = first === 'compute' || first === 'experiment' ? first : 'compute';
  const args = first === 'compute' || first === 'experiment' ? rest : argv;
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    return sub === 'experiment' ? await runExperiment(args) : await runCompute(args);
  } catch (e) {
    const usage = e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`gradlens ${sub}: ${e instanceof Error ? e.message : String(e)}\n${usage ? `${USAGE}\n` : ''}`);
    return usage ? 2 : 1;
  }
}

/** Entry point for `gradlens experiment …`. */
export function runExperimentCli(argv: string[]): Promise<number> {
  return run(['experiment', ...argv]);
}
