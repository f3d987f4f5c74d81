/**
 * Batches for training and evaluation, from texts the project generates: packed
 * plain-text windows for pre-training, padded chat samples (loss on responses) for
 * instruction tuning, and one-row-per-document batches for held-out losses. Pure and
 * seeded: the same seed and step give the same batch on every machine.
 */
import type { Batch } from './train';
import { encodeSample, type TemplateKind, type TextRecord } from './template';
import type { ByteTokenizer } from './tokenizer';

/** A seeded uniform generator on [0, 1): the one the built-in datasets use. */
export { mulberry32 } from '../data/mulberry32.ts';

/** A seed for (run seed, step): batches depend on nothing else, so a resumed run sees the same data order. */
export function stepSeed(seed: number, step: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(step + 1, 0xc2b2ae35)) >>> 0;
}

/** Documents as one token stream: `<|bos|>` text `<|eos|>` for each, back to back. Empty input → []. */
export function packDocuments(tok: ByteTokenizer, docs: readonly string[]): number[] {
  const bos = tok.id('<|bos|>');
  const eos = tok.id('<|eos|>');
  const out: number[] = [];
  for (const d of docs) {
    out.push(bos);
    for (const id of tok.encode(d)) out.push(id);
    out.push(eos);
  }
  return out;
}

/**
 * `batchSize` windows of `seqLen` ids at random offsets of the stream, every label
 * counted (mask all 1). Throws when the stream is shorter than one window.
 */
export function packedBatch(stream: readonly number[], batchSize: number, seqLen: number, rand: () => number): Batch {
  if (stream.length < seqLen) throw new Error(`token stream of ${stream.length} ids is shorter than one window of ${seqLen}`);
  const ids: number[][] = [];
  const mask: number[][] = [];
  for (let b = 0; b < batchSize; b++) {
    const at = Math.floor(rand() * (stream.length - seqLen + 1));
    ids.push(stream.slice(at, at + seqLen));
    mask.push(new Array<number>(seqLen).fill(1));
  }
  return { ids, mask };
}

/** One encoded row: ids and the positions whose labels count (1) or not (0). */
export interface Row {
  ids: number[];
  mask: number[];
}

/** Right-pad rows to the longest with `<|pad|>` (mask 0); causal attention keeps real positions unchanged. */
export function padRows(tok: ByteTokenizer, rows: readonly Row[]): Batch {
  const pad = tok.id('<|pad|>');
  const t = Math.max(0, ...rows.map((r) => r.ids.length));
  return {
    ids: rows.map((r) => r.ids.concat(new Array<number>(t - r.ids.length).fill(pad))),
    mask: rows.map((r) => r.mask.concat(new Array<number>(t - r.mask.length).fill(0))),
  };
}

/** A document as a row: `<|bos|>` text `<|eos|>`, truncated to maxLength, every label counted. */
export function documentRow(tok: ByteTokenizer, doc: string, maxLength: number): Row {
  const ids = packDocuments(tok, [doc]).slice(0, maxLength);
  return { ids, mask: new Array<number>(ids.length).fill(1) };
}

/**
 * A record as a row in a template, labels counted on the response only (from
 * responseStart, as the study masks), ended by the template's end marker so a tuned
 * model learns to stop.
 */
export function responseRow(tok: ByteTokenizer, record: TextRecord, template: TemplateKind, maxLength: number): Row {
  const { ids, responseStart } = encodeSample(tok, record, { template, maxLength, closeResponse: true });
  return { ids, mask: ids.map((_, i) => (i >= responseStart ? 1 : 0)) };
}

/** Rows grouped into padded batches of `batchSize`, in order (the last may be smaller). */
export function toBatches(tok: ByteTokenizer, rows: readonly Row[], batchSize: number): Batch[] {
  const out: Batch[] = [];
  for (let i = 0; i < rows.length; i += batchSize) out.push(padRows(tok, rows.slice(i, i + batchSize)));
  return out;
}

/** `batchSize` rows drawn uniformly (with replacement) from `rows`, padded. */
export function sampledBatch(tok: ByteTokenizer, rows: readonly Row[], batchSize: number, rand: () => number): Batch {
  if (rows.length === 0) throw new Error('no rows to draw a batch from');
  return padRows(tok, Array.from({ length: batchSize }, () => rows[Math.floor(rand() * rows.length)]));
}

/** Number of labels that count in a batch (mask 1 at positions ≥ 1, HF's shift). */
export function countedLabels(batch: Batch): number {
  let n = 0;
  for (const row of batch.mask) for (let i = 1; i < row.length; i++) n += row[i];
  return n;
}
