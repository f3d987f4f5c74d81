/** Model folders on disk (Node): thin fs wrappers around src/core/model/modelFolder. */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { loadModel, saveModel, type LoadedModel } from '../../src/core/model/modelFolder';

/** Load the model folder `dir`; its name defaults to config.json's gradlens_name, else the folder name. */
export async function loadModelDir(dir: string, name?: string): Promise<LoadedModel> {
  const read = async (file: string): Promise<Uint8Array | null> => {
    const path = join(dir, file);
    return existsSync(path) ? new Uint8Array(await readFile(path)) : null;
  };
  const model = await loadModel(read, name);
  if (name === undefined && model.name === 'model') model.name = basename(resolve(dir));
  return model;
}

/** Write a model's files into `dir` (created when missing); returns the paths written. */
export async function saveModelDir(dir: string, model: LoadedModel): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [file, bytes] of saveModel(model)) {
    const path = join(dir, file);
    await writeFile(path, bytes);
    written.push(path);
  }
  return written;
}
