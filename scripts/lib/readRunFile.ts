/**
 * Node entry to the core reader: streams a statistics file from disk through
 * RunParser (same code as the browser worker), reporting progress per chunk.
 */
import { createReadStream } from 'node:fs';
import type { Run } from '../../src/core/format/run.ts';
import { RunParser } from '../../src/core/format/runParser.ts';
import type { ParseProgress } from '../../src/core/format/runParser.ts';

/** Chunk size of the file stream: large enough that per-chunk overhead vanishes, small enough to keep memory flat. */
const CHUNK_BYTES = 1 << 20;

/**
 * Reads a `.jsonl`, `.jsonl.gz` or `.json` statistics file into a Run. Rejects with
 * RunReadError when the file holds no usable record or cannot be decoded, and with the
 * fs error when it cannot be opened. `onProgress` is called after every chunk.
 */
export async function readRunFile(path: string, onProgress?: (p: ParseProgress) => void): Promise<Run> {
  const parser = new RunParser(path);
  const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    parser.push(chunk);
    onProgress?.(parser.progress);
  }
  return parser.finish();
}
