/**
 * A Hugging Face folder as the browser gives it: from a folder picker
 * (`webkitdirectory`, paths in webkitRelativePath), a multi-file picker, or a drop
 * (a dropped folder is read one level deep through its FileSystemEntry). Only the
 * folder's own files count (a checkpoint keeps nothing the model needs in subfolders).
 */
import type { ModelInfo } from '../../core/model/modelFolder';
import type { TemplateKind } from '../../core/model/template';
import type { ModelSource } from '../../workers/computeHandler';

/** A described folder, ready for a job: its source (File objects), what the worker found, and the template in force. */
export interface PickedModel {
  name: string;
  source: ModelSource;
  info: ModelInfo;
  template: TemplateKind;
  folderName: string;
}

/** The folder's name and its files by name. */
export interface PickedFolder {
  folderName: string;
  files: Record<string, File>;
}

/** Files from an <input type=file> (folder or files): top-level files by name; the folder name from their paths. */
export function folderFromList(list: ArrayLike<File>): PickedFolder {
  const files: Record<string, File> = {};
  let folderName = '';
  for (const f of Array.from(list)) {
    const parts = (f.webkitRelativePath || f.name).split('/');
    if (parts.length > 2) continue;
    if (parts.length === 2) folderName ||= parts[0];
    files[parts[parts.length - 1]] = f;
  }
  return { folderName, files };
}

function readDirectory(entry: FileSystemDirectoryEntry): Promise<File[]> {
  const reader = entry.createReader();
  const all: FileSystemEntry[] = [];
  return new Promise((resolve, reject) => {
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) {
          const files = all.filter((e): e is FileSystemFileEntry => e.isFile);
          Promise.all(files.map((e) => new Promise<File>((res, rej) => e.file(res, rej)))).then(resolve, reject);
          return;
        }
        all.push(...batch);
        next(); // readEntries returns at most 100 entries a call
      }, reject);
    next();
  });
}

/** Files from a drop: a dropped folder's top-level files, or the dropped files themselves. */
export async function folderFromDrop(data: DataTransfer): Promise<PickedFolder> {
  const entries = Array.from(data.items ?? [])
    .map((item) => (typeof item.webkitGetAsEntry === 'function' ? item.webkitGetAsEntry() : null))
    .filter((e): e is FileSystemEntry => e !== null);
  const dir = entries.find((e): e is FileSystemDirectoryEntry => e.isDirectory);
  if (dir) {
    const files: Record<string, File> = {};
    for (const f of await readDirectory(dir)) files[f.name] = f;
    return { folderName: dir.name, files };
  }
  return folderFromList(data.files);
}
