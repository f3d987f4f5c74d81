/**
 * Node entry to the core reader: streams a statistics file from disk through
 * RunParser (same code as the browser worker), reporting progress per chunk.
 */
import { open } from 'node:fs/promises';
import type { Run } from '../../src/core/format/run.ts';
import { RunParser } from '../../src/core/format/runParser.ts';
import type { ParseProgress, RunParserOptions } from '../../src/core/format/runParser.ts';

/** Chunk size of the reads: large enough that per-chunk overhead vanishes, small enough to keep memory flat. */
const CHUNK_BYTES = 1 << 20;

/**
 * Reads a `.jsonl`, `.jsonl.gz` or `.json` statistics file into a Run. Rejects with
 * RunReadError when the file holds no usable record or cannot be decoded, and with the
 * fs error when it cannot be opened. `onProgress` is called after every chunk; `options`
 * are the parser's (budgets, say).
 */
export async function readRunFile(path: string, onProgress?: (p: ParseProgress) => void, options: RunParserOptions = {}): Promise<Run> {
  const file = await open(path, 'r');
  let reading: Promise<{ bytesRead: number }> = Promise.resolve({ bytesRead: 0 });
  try {
    const parser = new RunParser(path, { ...options, expectedBytes: (await file.stat()).size });
    // Two buffers, reused in turn: the next chunk is read while this one is parsed, and
    // the parser copies what it keeps (fresh buffers per chunk, as a read stream makes,
    // cost more in page faults than reading does).
    const buffers = [new Uint8Array(CHUNK_BYTES), new Uint8Array(CHUNK_BYTES)];
    let position = 0;
    reading = file.read(buffers[0], 0, CHUNK_BYTES, position);
    for (let turn = 0; ; turn ^= 1) {
      const { bytesRead } = await reading;
      if (bytesRead === 0) break;
      position += bytesRead;
      reading = file.read(buffers[turn ^ 1], 0, CHUNK_BYTES, position);
      parser.push(buffers[turn].subarray(0, bytesRead));
      onProgress?.(parser.progress);
      if (parser.done) break; // a budget stopped the reading: the rest is not read
    }
    return parser.finish();
  } finally {
    await reading.catch(() => undefined);
    await file.close();
  }
}
