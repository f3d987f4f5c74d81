/**
 * What the shipped models are trained and held out on. Texts come from generators the
 * project owns (no downloads): the stage decides how they become batches, and the seed
 * ranges keep held-out problems apart from training ones.
 */
import { generateArithmeticProblem } from '../data/arithmetic';
import { mulberry32 as dataRandom } from '../data/mulberry32';
import type { Problem } from '../data/problem';
import type { LoadedModel } from './modelFolder';
import type { TextRecord } from './template';
import { evalLoss, type Batch } from './train';
import { documentRow, packDocuments, packedBatch, responseRow, sampledBatch, toBatches } from './trainData';
import { localDocuments, localRecords } from './trainText';
import type { ByteTokenizer } from './tokenizer';

/** The two shipped training stages. */
export type TrainStage = 'base' | 'instruct';

/** Training data of a stage: a batch for a given random source. */
export interface TrainingSource {
  description: string;
  batch(batchSize: number, rand: () => number): Batch;
}

/** Training seeds are below this; held-out sets use seeds from here up, so no held-out problem is a training problem's seed. */
export const HELDOUT_SEED = 1_000_003;

/** Number of documents (base) or records (instruct) generated for training. */
const TRAIN_DOCS = 6000;
const TRAIN_RECORDS = 3000;
/** Held-out size (documents or records), fixed: the tests recompute the card's figure on it. */
export const HELDOUT_SIZE = 16;
/** Longest held-out row, in tokens. */
const HELDOUT_MAX_LENGTH = 512;

/** One line per stage for the model card. */
export const CORPUS_DESCRIPTION: Record<TrainStage, string> = {
  base: `${TRAIN_DOCS} generated plain-text documents: arithmetic word problems, half from the built-in generator (src/core/data/arithmetic.ts) and half from the training script's own (src/core/model/trainText.ts), each the problem + "\\n" + one of its None / Simplified / Detailed responses (the study's base template); packed into windows with <|bos|>/<|eos|> between documents.`,
  instruct: `${TRAIN_RECORDS} built-in arithmetic problems (src/core/data/arithmetic.ts), each one instruction/response pair with its None, Simplified or Detailed response (drawn at random), in the chat template; batches drawn within one response style (less padding); loss on the response and its closing <|end|> only.`,
};

const STYLES = ['none', 'simplified', 'detailed'] as const;

/** `count` built-in arithmetic problems (src/core/data) from one seed's stream. */
export function builtinProblems(count: number, seed: number): Problem[] {
  const random = dataRandom(seed);
  return Array.from({ length: count }, (_, i) => generateArithmeticProblem(random, `arithmetic-${seed}-${i}`));
}

/**
 * Plain-text training documents for seed `seed` (deterministic): half built-in
 * arithmetic problems, half the training scripts' own (trainText.ts), each a problem and
 * one of its responses in the study's base template, shuffled together.
 */
export function baseDocuments(count: number, seed: number): string[] {
  const pickStyle = dataRandom(seed ^ 0x3c6ef372);
  const builtin = builtinProblems(Math.ceil(count / 2), seed).map((p) => `${p.instruction}\n${p.responses[STYLES[Math.floor(pickStyle() * 3)]]}`);
  const local = localDocuments(count - builtin.length, seed);
  return builtin.flatMap((d, i) => (i < local.length ? [d, local[i]] : [d]));
}

/** The held-out documents: the training scripts' own problems only, so the shipped figure does not move when the built-in generators evolve. */
function heldoutDocuments(): string[] {
  return localDocuments(HELDOUT_SIZE, HELDOUT_SEED);
}

/** Instruction/response records for seed `seed`: built-in arithmetic problems, each with one response style drawn at random. */
export function instructRecords(count: number, seed: number): Array<TextRecord & { style: (typeof STYLES)[number] }> {
  const pickStyle = dataRandom(seed ^ 0x7f4a7c15);
  return builtinProblems(count, seed).map((p) => {
    const style = STYLES[Math.floor(pickStyle() * 3)];
    return { instruction: p.instruction, input: '', output: p.responses[style], style };
  });
}

/** Held-out chat records: the training scripts' own problems (stable figure, as for base). */
function heldoutRecords(): TextRecord[] {
  return localRecords(HELDOUT_SIZE, HELDOUT_SEED);
}

/** The training data of a stage for a run seed; windows (base) or padded samples (instruct) up to seqLen tokens. */
export function trainingSource(tok: ByteTokenizer, stage: TrainStage, seed: number, seqLen: number): TrainingSource {
  if (seed >= HELDOUT_SEED) throw new Error(`training seed must be below ${HELDOUT_SEED} (held-out range)`);
  if (stage === 'base') {
    const stream = packDocuments(tok, baseDocuments(TRAIN_DOCS, seed));
    return {
      description: `${TRAIN_DOCS} documents, ${stream.length} tokens`,
      batch: (batchSize, rand) => packedBatch(stream, batchSize, seqLen, rand),
    };
  }
  // Rows grouped by response style: a batch draws one style, then its rows, so padding stays small.
  const records = instructRecords(TRAIN_RECORDS, seed);
  const groups = STYLES.map((style) => records.filter((r) => r.style === style).map((r) => responseRow(tok, r, 'chat', seqLen)));
  return {
    description: `${records.length} chat samples (${groups.map((g, i) => `${g.length} ${STYLES[i]}`).join(', ')})`,
    batch: (batchSize, rand) => sampledBatch(tok, groups[Math.floor(rand() * groups.length)], batchSize, rand),
  };
}

/**
 * The fixed held-out set of a stage as batches: base, 16 documents from the held-out
 * seed, every token counted; instruct, 16 chat samples, responses counted. The shipped
 * models' cards report the loss on exactly these.
 */
export function heldoutBatches(tok: ByteTokenizer, stage: TrainStage): Batch[] {
  const rows = stage === 'base'
    ? heldoutDocuments().map((d) => documentRow(tok, d, HELDOUT_MAX_LENGTH))
    : heldoutRecords().map((r) => responseRow(tok, r, 'chat', HELDOUT_MAX_LENGTH));
  return toBatches(tok, rows, 8);
}

/**
 * A second held-out set, informational: 16 built-in arithmetic problems from the held-out
 * seed range (base: documents in the base template with a drawn response style; instruct:
 * chat samples, responses counted). Moves when the built-in generator changes, so the
 * tests check the stable set above instead.
 */
export function heldoutBuiltinBatches(tok: ByteTokenizer, stage: TrainStage): Batch[] {
  const pickStyle = dataRandom(HELDOUT_SEED + 3);
  const problems = builtinProblems(HELDOUT_SIZE, HELDOUT_SEED + 3);
  const rows = problems.map((p) => {
    const output = p.responses[STYLES[Math.floor(pickStyle() * 3)]];
    return stage === 'base'
      ? documentRow(tok, `${p.instruction}\n${output}`, 1024)
      : responseRow(tok, { instruction: p.instruction, input: '', output }, 'chat', 1024);
  });
  return toBatches(tok, rows, 8);
}

/** Held-out loss of a model on its stage's fixed set (stage from its template: chat → instruct). */
export function heldoutLoss(model: LoadedModel<ByteTokenizer>): number {
  const stage: TrainStage = model.template === 'chat' ? 'instruct' : 'base';
  return evalLoss(model.config, model.params, heldoutBatches(model.tokenizer, stage));
}

/** An arithmetic problem to answer: the instruction and its numeric answer as text. */
export interface EvalProblem {
  instruction: string;
  answer: string;
}

/** `count` built-in arithmetic problems from the held-out seed range (never trained on), for exact-match accuracy. */
export function heldoutProblems(count: number): EvalProblem[] {
  return builtinProblems(count, HELDOUT_SEED + 1).map((p) => ({ instruction: p.instruction, answer: p.answer }));
}
