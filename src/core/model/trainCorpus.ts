/**
 * What the shipped models are trained and held out on. Texts come from generators the
 * project owns (no downloads): the stage decides how they become batches, and the seed
 * ranges keep held-out problems apart from training ones.
 */
import type { LoadedModel } from './modelFolder';
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
  base: `${TRAIN_DOCS} generated plain-text documents (arithmetic word problems with answer-only, terse-step and detailed solutions, as documents), packed into windows with <|bos|>/<|eos|> between documents.`,
  instruct: `${TRAIN_RECORDS} generated arithmetic problems, each drawn as one instruction/response pair with a None, Simplified or Detailed response, in the chat template; loss on the response and its closing <|end|> only.`,
};

/** Plain-text training documents for seed `seed` (deterministic). */
export function baseDocuments(count: number, seed: number): string[] {
  return localDocuments(count, seed);
}

/** Instruction/response records for seed `seed` (deterministic). */
export function instructRecords(count: number, seed: number) {
  return localRecords(count, seed);
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
  const rows = instructRecords(TRAIN_RECORDS, seed).map((r) => responseRow(tok, r, 'chat', seqLen));
  return {
    description: `${rows.length} chat samples`,
    batch: (batchSize, rand) => sampledBatch(tok, rows, batchSize, rand),
  };
}

/**
 * The fixed held-out set of a stage as batches: base, 16 documents from the held-out
 * seed, every token counted; instruct, 16 chat samples, responses counted. The shipped
 * models' cards report the loss on exactly these.
 */
export function heldoutBatches(tok: ByteTokenizer, stage: TrainStage): Batch[] {
  const rows = stage === 'base'
    ? baseDocuments(HELDOUT_SIZE, HELDOUT_SEED).map((d) => documentRow(tok, d, HELDOUT_MAX_LENGTH))
    : instructRecords(HELDOUT_SIZE, HELDOUT_SEED).map((r) => responseRow(tok, r, 'chat', HELDOUT_MAX_LENGTH));
  return toBatches(tok, rows, 8);
}

/** Held-out loss of a model on its stage's fixed set (stage from its template: chat → instruct). */
export function heldoutLoss(model: LoadedModel): number {
  const stage: TrainStage = model.template === 'chat' ? 'instruct' : 'base';
  return evalLoss(model.config, model.params, heldoutBatches(model.tokenizer, stage));
}
