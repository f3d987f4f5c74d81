import { describe, expect, it } from 'vitest';
import { filesFromInput, isStatsFile, walkEntry } from '../../../src/lib/loading/collectFiles.ts';

function fileAt(name: string, relative = ''): File {
  const f = new File(['{}'], name);
  Object.defineProperty(f, 'webkitRelativePath', { value: relative });
  return f;
}

// Minimal stand-ins for the File and Directory Entries API a drop hands over.
function fileEntry(fullPath: string): FileSystemFileEntry {
  const name = fullPath.split('/').pop()!;
  return { isFile: true, isDirectory: false, name, fullPath, file: (ok: (f: File) => void) => ok(fileAt(name)) } as unknown as FileSystemFileEntry;
}
function dirEntry(fullPath: string, children: FileSystemEntry[], batch = 2): FileSystemDirectoryEntry {
  return {
    isFile: false,
    isDirectory: true,
    name: fullPath.split('/').pop()!,
    fullPath,
    createReader() {
      let at = 0;
      return {
        readEntries(ok: (e: FileSystemEntry[]) => void) {
          const next = children.slice(at, at + batch);
          at += batch;
          setTimeout(() => ok(next), 0);
        },
      };
    },
  } as unknown as FileSystemDirectoryEntry;
}

describe('collecting files', () => {
  it.each<[string, boolean]>([
    ['grads_gsm8k_train_no_cot.jsonl', true],
    ['grads.jsonl.gz', true],
    ['records.json', true],
    ['x.ndjson', true],
    ['README.md', false],
    ['.DS_Store', false],
  ])('treats %j as a statistics file: %s', (name, yes) => {
    expect(isStatsFile(name)).toBe(yes);
  });

  it('keeps a picked file under its own name, whatever its extension', () => {
    const f = fileAt('notes.txt');
    expect(filesFromInput([f])).toEqual([{ file: f, path: 'notes.txt' }]);
  });

  it('keeps the folder picker’s relative path and drops non-statistics files', () => {
    const a = fileAt('grads_x_no_cot.jsonl', 'grads_exp/cot_500/llama3_8b/grads_x_no_cot.jsonl');
    const readme = fileAt('README.md', 'grads_exp/README.md');
    expect(filesFromInput([a, readme])).toEqual([{ file: a, path: 'grads_exp/cot_500/llama3_8b/grads_x_no_cot.jsonl' }]);
  });

  it('walks a dropped folder through every batch of entries, keeping paths from the folder down', async () => {
    const tree = dirEntry('/grads_exp', [
      dirEntry('/grads_exp/cot_500', [
        dirEntry('/grads_exp/cot_500/llama3_8b', [
          fileEntry('/grads_exp/cot_500/llama3_8b/grads_a_with_cot.jsonl'),
          fileEntry('/grads_exp/cot_500/llama3_8b/grads_a_no_cot.jsonl'),
          fileEntry('/grads_exp/cot_500/llama3_8b/notes.txt'),
        ]),
      ]),
      fileEntry('/grads_exp/README.md'),
      fileEntry('/grads_exp/top.jsonl.gz'),
    ]);
    const found = await walkEntry(tree);
    expect(found.map((f) => f.path)).toEqual([
      'grads_exp/cot_500/llama3_8b/grads_a_no_cot.jsonl',
      'grads_exp/cot_500/llama3_8b/grads_a_with_cot.jsonl',
      'grads_exp/top.jsonl.gz',
    ]);
  });

  it('keeps a dropped single file whatever its name', async () => {
    const found = await walkEntry(fileEntry('/odd.txt'));
    expect(found.map((f) => f.path)).toEqual(['odd.txt']);
  });
});
