/**
 * The part of `gradlens compute` and `gradlens experiment` that loads models and
 * computes: imported by compute.ts only once the command line is valid, so `--help`
 * and usage errors never load tfjs, tokenizers or weights.
 */
import { existsSync } from 'node:fs';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { toJsonlLine } from '../../src/core/format/jsonl';
import { computeRecords, type ComputeInput, type ComputeProgress } from '../../src/core/model/computeRecords';
import { describeFit, describeModel } from '../../src/core/model/describeModel';
import { experimentPlan, modelStemOf } from '../../src/core/model/experimentPlan';
import { DEFAULT_MEMORY_BUDGET } from '../../src/core/model/memoryEstimate';
import { loadWeights, type LoadedModel } from '../../src/core/model/modelFolder';
import { disposeParams } from '../../src/core/model/params';
import { DEFAULT_MAX_LENGTH, describeTruncation, longestSample, truncation, type TemplateKind } from '../../src/core/model/template';
import { helperCount, type SampleHelper } from '../../src/core/model/sampleHelpers';
import type { StatsFormat } from '../../src/core/model/sampleStats';
import { dirFiles, inspectModelDir } from '../lib/modelDir';
import { useNodeBackend, type NodeBackend } from '../lib/nodeBackend';
import { startSampleThreads } from '../lib/sampleThreads';
import { repoRoot } from '../lib/repoRoot';
import { UsageError } from './args';
import type { ComputeCommand, ExperimentCommand } from './compute';
import { builtinName, finishedLines, loadRecords, printExperimentTables, sampleKey } from './computeData';
import { progressBar } from './progressBar';

/** Where shipped models live: data/models/<NAME> at the repository root. */
export const MODELS_DIR = join(repoRoot(), 'data/models');

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

/**
 * Compute records into `out`, drawing progress on stderr; returns the number written.
 * `out` is started afresh, or with `resume` keeps its complete records and computes
 * only the samples it lacks (as the study's script does after an interruption).
 */
async function computeToFile(
  model: LoadedModel,
  all: ComputeInput[],
  out: string,
  options: { maxLength?: number; withTokens?: boolean; format?: StatsFormat; tokenNorms?: boolean; label?: string; resume?: boolean; helpers?: readonly SampleHelper[] },
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
  const computing = computeRecords(model, records, { maxLength: options.maxLength, withTokens: options.withTokens, format: options.format, tokenNorms: options.tokenNorms, onProgress: draw, onWarning, helpers: options.helpers });
  for await (const record of computing) {
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

/**
 * Runs `body` with helper threads for `samples` samples of up to `seqLen` tokens: as
 * many as `threads` − 1 and the memory budget allow (none for one sample), closed after.
 */
async function withHelpers<T>(
  model: LoadedModel,
  backend: NodeBackend,
  threads: number,
  samples: number,
  seqLen: number,
  budget: number,
  body: (helpers: SampleHelper[], description: string) => Promise<T>,
): Promise<T> {
  const n = helperCount({ cores: threads, samples, config: model.config, seqLen, budget });
  const helpers = n > 0 ? startSampleThreads(n, model.config, model.params, backend) : [];
  try {
    return await body(helpers, `${backend}, ${n + 1} thread${n ? 's' : ''}`);
  } finally {
    for (const h of helpers) h.close();
  }
}

/** `gradlens compute` on a valid command line; returns the exit code. */
export async function runCompute(c: ComputeCommand): Promise<number> {
  const backend = await useNodeBackend(c.backend);
  const records = await loadRecords(c.data, { setting: c.setting, irrelevant: c.irrelevant, limit: c.limit, seed: c.seed });
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const { model, maxLength } = await resolveModel(c.model, { maxLength: c.maxLength, memoryBudget: c.memoryBudget, template: c.template, log, records });
  try {
    const budget = c.memoryBudget ?? DEFAULT_MEMORY_BUDGET;
    return await withHelpers(model, backend, c.threads, records.length, maxLength, budget, async (helpers, on) => {
      process.stderr.write(`${model.name} (${model.config.num_hidden_layers} layers, ${model.template}) on ${on}: ${records.length} samples → ${c.out}\n`);
      const n = await computeToFile(model, records, c.out, { maxLength, withTokens: c.withTokens, format: c.format, tokenNorms: c.tokenNorms, resume: c.resume, helpers });
      process.stderr.write(`wrote ${n} records to ${c.out}\n`);
      return 0;
    });
  } finally {
    disposeParams(model.params);
  }
}

/** `gradlens experiment` on a valid command line; returns the exit code. */
export async function runExperiment(c: ExperimentCommand): Promise<number> {
  const backend = await useNodeBackend(c.backend);
  const dataset = builtinName(c.data);
  const paths: string[] = [];
  // Several models (e.g. `--model base,instruct`) share the out-dir, so base and instruct runs pair too.
  for (const spec of c.models) {
    const { model, maxLength } = await resolveModel(spec, { maxLength: c.maxLength, log: (line) => process.stderr.write(`${line}\n`) });
    try {
      const plan = experimentPlan({ dataset, ...modelStemOf(model.name, model.template), n: c.n });
      await withHelpers(model, backend, c.threads, c.n, maxLength, DEFAULT_MEMORY_BUDGET, async (helpers, on) => {
        process.stderr.write(`fast-vs-slow experiment: ${model.name} on ${on}, ${c.n} problems × ${plan.length} runs → ${c.outDir}\n`);
        for (const step of plan) {
          const records = await loadRecords(c.data, { setting: step.setting, irrelevant: step.irrelevant, limit: c.n, seed: c.seed });
          const out = join(c.outDir, step.path);
          await computeToFile(model, records, out, { maxLength, tokenNorms: c.tokenNorms, label: step.label.padEnd(24), resume: c.resume, helpers });
          paths.push(out);
        }
      });
    } finally {
      disposeParams(model.params);
    }
  }
  await printExperimentTables(paths, (s) => process.stdout.write(s));
  return 0;
}
