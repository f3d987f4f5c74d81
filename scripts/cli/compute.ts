/**
 * `gradlens compute` and `gradlens experiment`: live gradient statistics in Node, with
 * the same core the browser worker runs. This module only reads the command line;
 * computeJob.ts, which loads tfjs and the model, is imported once it is valid, so
 * `--help` and usage errors answer at once.
 */
import { availableParallelism, loadavg } from 'node:os';
import { BUILTIN_DATASETS } from '../../src/core/data/builtinDatasets';
import { COT_SETTINGS, type CotSetting } from '../../src/core/model/experimentPlan';
import { DEFAULT_MEMORY_BUDGET, formatBytes } from '../../src/core/model/memoryEstimate';
import type { StatsFormat } from '../../src/core/model/sampleStats';
import type { TemplateKind } from '../../src/core/model/template';
import type { NodeBackend } from '../lib/nodeBackend';
import { formatHelp, parseCommandArgs, UsageError, type CommandSpec, type OptionSpec } from './args';

export { progressBar } from './progressBar';

const DATASETS = BUILTIN_DATASETS.map((d) => `  builtin:${d.name.padEnd(11)} ${d.description}`).join('\n');

const COMMON: OptionSpec[] = [
  { name: 'max-length', type: 'string', value: 'T', description: 'cut each sample to T tokens (default 1024, the study\'s, or the model\'s maximum when lower)' },
  { name: 'backend', type: 'string', value: 'wasm|cpu', description: 'tfjs backend (default wasm; cpu is 4-6× slower)' },
  { name: 'seed', type: 'string', value: 'S', description: 'seed of built-in problems and of response shuffling (default 1)' },
  { name: 'resume', type: 'boolean', description: 'keep the complete records already in the output and compute only the missing samples' },
  { name: 'token-norms', type: 'boolean', description: 'add token_norms: per matrix, each position\'s share c_t = |delta_t| |x_t| of its gradient (implies --with-tokens)' },
  { name: 'threads', type: 'string', value: 'N', description: `threads computing samples, each with its own copy of the model (default: the idle cores, at most ${availableParallelism()}; fewer when memory is short)` },
];

/** Usage, summary and options of `gradlens compute`. */
export const computeSpec: CommandSpec = {
  usage: 'gradlens compute --model DIR|NAME --data FILE|builtin:NAME --out FILE.jsonl [options]',
  summary:
    'Per-sample gradient statistics in the study\'s format (one Layer_Gradient line per sample:\n' +
    'loss on the response tokens, then M_mean/max/min, frobenius_norm, S_sum/max/min and\n' +
    'effective_rank of every q/k/v/o gradient). On the shipped model about 0.1-0.3 s per\n' +
    'sample on 2 cores (README, "Command line").\n\n' +
    '--model NAME is a shipped model (base, instruct); --model DIR a Hugging Face folder of a\n' +
    'Llama, Mistral, Qwen2 or Qwen3 checkpoint, described with a memory estimate before computing.\n' +
    '--data is an Alpaca-style JSON/JSONL file ({instruction, input, output}) or a built-in dataset:\n' +
    `${DATASETS}\n` +
    'Exit 2 for a bad command line, 1 when a model or file cannot be used.',
  options: [
    { name: 'model', type: 'string', value: 'DIR|NAME', description: 'model folder, or a shipped model name' },
    { name: 'data', type: 'string', value: 'FILE|builtin:NAME', description: 'dataset file or built-in dataset (builtin:NAME?n=…&seed=… also works)' },
    { name: 'out', type: 'string', value: 'FILE.jsonl', description: 'statistics file to write (its folder is created)' },
    { name: 'setting', type: 'string', value: 'none|simplified|detailed', description: 'response style of a built-in dataset (default detailed; a file\'s records are used as they are)' },
    { name: 'irrelevant', type: 'boolean', description: 'pair each instruction with another sample\'s response (the study\'s wrong_answer_shuffle)' },
    { name: 'limit', type: 'string', value: 'N', description: 'the first N records only (default: all of a file, 100 of a built-in dataset)' },
    { name: 'with-tokens', type: 'boolean', description: 'add input_ids and response_start to each record' },
    {
      name: 'format',
      type: 'string',
      value: 'layer-gradient|unified',
      description: "what to write (default layer-gradient); unified: the follow-up study's (arXiv 2504.10766) S_list of every matrix and the cosine_sim / cosine_sim_qkvo blocks",
    },
    { name: 'template', type: 'string', value: 'base|chat', description: 'prompt template (default: the model\'s; chat for instruct checkpoints)' },
    { name: 'memory-budget', type: 'string', value: 'GB', description: `refuse a model whose estimate is above this (default ${formatBytes(DEFAULT_MEMORY_BUDGET)})` },
    ...COMMON,
  ],
};

/** Usage, summary and options of `gradlens experiment`. */
export const experimentSpec: CommandSpec = {
  usage: 'gradlens experiment --model NAME[,NAME…] --data builtin:NAME --out-dir DIR [options]',
  summary:
    'The fast-vs-slow experiment: N problems of a built-in dataset answered with None,\n' +
    'Simplified and Detailed CoT, each with correct and with irrelevant responses (6 runs per\n' +
    'model), written in the study\'s release layout under DIR, then the MAD and relative-\n' +
    'difference tables of S_sum. --model base,instruct also gives the base-vs-instruct\n' +
    'comparison. 20 problems on the shipped model take about half a minute on 2 cores.\n' +
    'Built-in datasets:\n' +
    `${DATASETS}\n` +
    'Exit 2 for a bad command line, 1 when a model or file cannot be used.',
  options: [
    { name: 'model', type: 'string', value: 'NAME[,NAME…]', description: 'shipped models or model folders, comma-separated' },
    { name: 'data', type: 'string', value: 'builtin:NAME', description: 'the built-in dataset (the runs pair by problem)' },
    { name: 'out-dir', type: 'string', value: 'DIR', description: 'where the runs go (created; grads_exp-style paths inside)' },
    { name: 'n', short: 'n', type: 'string', value: 'N', description: 'problems per run (default 20, at least 2)' },
    ...COMMON,
  ],
};

/** A valid `gradlens compute` command line. */
export interface ComputeCommand {
  model: string;
  data: string;
  out: string;
  setting?: CotSetting;
  irrelevant: boolean;
  limit?: number;
  maxLength?: number;
  withTokens: boolean;
  format: StatsFormat;
  tokenNorms: boolean;
  backend: NodeBackend;
  seed?: number;
  resume: boolean;
  threads: number;
  template?: TemplateKind;
  memoryBudget?: number;
}

/** A valid `gradlens experiment` command line. */
export interface ExperimentCommand {
  models: string[];
  data: string;
  outDir: string;
  n: number;
  maxLength?: number;
  tokenNorms: boolean;
  backend: NodeBackend;
  seed?: number;
  resume: boolean;
  threads: number;
}

function positiveInt(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer, got ${String(value)}`);
  return n;
}

function settingOf(value: unknown): CotSetting | undefined {
  if (value === undefined) return undefined;
  if (!(COT_SETTINGS as readonly unknown[]).includes(value)) throw new UsageError(`--setting must be none, simplified or detailed, got ${String(value)}`);
  return value as CotSetting;
}

function backendOf(value: unknown): NodeBackend {
  const b = value ?? 'wasm';
  if (b !== 'wasm' && b !== 'cpu') throw new UsageError(`--backend must be wasm or cpu, got ${String(b)}`);
  return b;
}

function memoryBudgetOf(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const gb = Number(value);
  if (!Number.isFinite(gb) || gb <= 0) throw new UsageError(`--memory-budget must be a positive number of GB, got ${String(value)}`);
  return gb * 1e9;
}

function formatOf(value: unknown): StatsFormat {
  if (value === undefined || value === 'layer-gradient' || value === 'unified') return value ?? 'layer-gradient';
  throw new UsageError(`--format must be layer-gradient or unified, got ${String(value)}`);
}

function templateOf(value: unknown): TemplateKind | undefined {
  if (value === undefined || value === 'base' || value === 'chat') return value;
  throw new UsageError(`--template must be base or chat, got ${String(value)}`);
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The command line of `gradlens compute`, checked; UsageError naming the first problem. */
export function parseComputeCommand(argv: readonly string[]): ComputeCommand | 'help' {
  const { values: v, positionals, help } = parseCommandArgs(argv, computeSpec);
  if (help) return 'help';
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]} (options take the form --name value)`);
  if (!v.model || !v.data || !v.out) throw new UsageError('--model, --data and --out are required (see gradlens compute --help)');
  return {
    model: text(v.model)!,
    data: text(v.data)!,
    out: text(v.out)!,
    setting: settingOf(v.setting),
    irrelevant: v.irrelevant === true,
    limit: positiveInt(v.limit, '--limit'),
    maxLength: positiveInt(v['max-length'], '--max-length'),
    withTokens: v['with-tokens'] === true || v['token-norms'] === true,
    tokenNorms: v['token-norms'] === true,
    format: formatOf(v.format),
    backend: backendOf(v.backend),
    seed: positiveInt(v.seed, '--seed'),
    resume: v.resume === true,
    threads: positiveInt(v.threads, '--threads') ?? defaultThreads(),
    template: templateOf(v.template),
    memoryBudget: memoryBudgetOf(v['memory-budget']),
  };
}

/**
 * The default thread count: the cores not already busy by the last minute's load
 * average (rounded), at least one. A sample thread pays only on an idle core: its
 * start-up (its own tfjs and a first, slower sample, ~1.5 s of CPU) made 12 samples
 * of the shipped model take 27 s on 2 threads against 20 s on 1 at load 14 on 2 cores.
 * Where the system reports no load (Windows) every core counts as idle.
 */
export function defaultThreads(cores: number = availableParallelism(), load: number = loadavg()[0]): number {
  return Math.max(1, Math.min(cores, Math.round(cores - load)));
}

/** The command line of `gradlens experiment`, checked; UsageError naming the first problem. */
export function parseExperimentCommand(argv: readonly string[]): ExperimentCommand | 'help' {
  const { values: v, positionals, help } = parseCommandArgs(argv, experimentSpec);
  if (help) return 'help';
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]} (options take the form --name value)`);
  if (!v.model || !v.data || !v['out-dir']) throw new UsageError('--model, --data and --out-dir are required (see gradlens experiment --help)');
  const data = text(v.data)!;
  if (!data.startsWith('builtin:')) throw new UsageError('experiment needs a built-in dataset (--data builtin:NAME): it pairs None/Simplified/Detailed responses of the same problems');
  const n = positiveInt(v.n, '-n') ?? 20;
  if (n < 2) throw new UsageError('-n must be at least 2: irrelevant responses pair each problem with another one');
  return {
    models: text(v.model)!.split(',').filter((m) => m !== ''),
    data,
    outDir: text(v['out-dir'])!,
    n,
    maxLength: positiveInt(v['max-length'], '--max-length'),
    tokenNorms: v['token-norms'] === true,
    backend: backendOf(v.backend),
    seed: positiveInt(v.seed, '--seed'),
    resume: v.resume === true,
    threads: positiveInt(v.threads, '--threads') ?? defaultThreads(),
  };
}

/**
 * Entry point for `gradlens compute …` (and `gradlens experiment …` when argv starts with
 * `experiment`); argv may start with the subcommand name. Returns the exit code:
 * 0 done, 2 usage error, 1 any other failure, with a one-line reason on stderr.
 */
export async function run(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  const sub = first === 'compute' || first === 'experiment' ? first : 'compute';
  const args = first === 'compute' || first === 'experiment' ? rest : argv;
  let usage = true;
  try {
    const command = sub === 'experiment' ? parseExperimentCommand(args) : parseComputeCommand(args);
    if (command === 'help') {
      process.stdout.write(formatHelp(sub === 'experiment' ? experimentSpec : computeSpec));
      return 0;
    }
    usage = false;
    const job = await import('./computeJob');
    return 'models' in command ? await job.runExperiment(command) : await job.runCompute(command);
  } catch (e) {
    const isUsage = usage || e instanceof UsageError;
    process.stderr.write(`gradlens ${sub}: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}\n`);
    return isUsage ? 2 : 1;
  }
}

/** Entry point for `gradlens experiment …`. */
export function runExperimentCli(argv: string[]): Promise<number> {
  return run(['experiment', ...argv]);
}
