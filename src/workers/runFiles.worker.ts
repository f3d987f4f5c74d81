// Reads stored runs' files (OPFS) for the page, so the page's thread does not copy their bytes in (see storage/runFiles.ts).
import { expose, transfer } from 'comlink';
import { opfsRunFiles } from '../storage/runFiles.ts';

const files = opfsRunFiles();

/** What the worker exposes: bytes [start, end) of a run's file, transferred. */
export const runFilesReader = {
  async read(name: string, start: number, end: number): Promise<ArrayBuffer> {
    if (!files) throw new Error('this browser has no file system for the site');
    const bytes = await files.read(name, start, end);
    return transfer(bytes, [bytes]);
  },
};

export type RunFilesReader = typeof runFilesReader;

expose(runFilesReader);
