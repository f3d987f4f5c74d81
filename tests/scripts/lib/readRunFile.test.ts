import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { syntheticStatsLines } from '../../../src/core/data/syntheticStats.ts';
import { RunReadError } from '../../../src/core/format/runParser.ts';
import type { ParseProgress } from '../../../src/core/format/runParser.ts';
import { readRunFile } from '../../../scripts/lib/readRunFile.ts';

const dir = mkdtempSync(join(tmpdir(), 'gradlens-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const text = [...syntheticStatsLines({ samples: 30, layers: 4, setting: 'none', correctness: 'correct', seed: 9 })].join('\n') + '\n';

describe('readRunFile', () => {
  it.each([
    ['grads_toy_no_cot.jsonl', new TextEncoder().encode(text)],
    ['grads_toy_no_cot.jsonl.gz', gzipSync(new TextEncoder().encode(text))],
  ])('streams %s from disk into a run, reporting progress', async (name, bytes) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    const seen: ParseProgress[] = [];
    const run = await readRunFile(path, (p) => seen.push(p));
    expect(run.sampleCount).toBe(30);
    expect(run.layerCount).toBe(4);
    expect(run.meta).toMatchObject({ dataset: 'toy', setting: 'none' });
    expect(seen.at(-1)?.bytes).toBe(bytes.length);
  });

  it('rejects with RunReadError for a file without records, and with the fs error for a missing file', async () => {
    const empty = join(dir, 'empty.jsonl');
    writeFileSync(empty, '');
    await expect(readRunFile(empty)).rejects.toBeInstanceOf(RunReadError);
    await expect(readRunFile(join(dir, 'missing.jsonl'))).rejects.toThrow(/ENOENT/);
  });
});
