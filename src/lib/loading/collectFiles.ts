/**
 * Turning what the user gives (a drop, a file picker, a folder picker) into files with
 * paths. Folders are walked; inside folders only statistics files are kept, so dropping
 * a release tree with READMEs in it loads just the runs.
 */
import { isStatsFile } from '../../core/format/statsFileName';

export { isStatsFile };

/** A file to load and the path its run's metadata is read from. */
export interface PathedFile {
  file: File;
  path: string;
}

/** Files from a file or folder `<input>`: the folder picker's relative path is kept as the path. */
export function filesFromInput(list: FileList | readonly File[]): PathedFile[] {
  return Array.from(list).flatMap((file) => {
    const relative = file.webkitRelativePath;
    if (!relative) return [{ file, path: file.name }];
    return isStatsFile(file.name) ? [{ file, path: relative }] : [];
  });
}

function readAllEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  // readEntries returns at most ~100 entries per call; keep asking until it returns none.
  return new Promise((resolve, reject) => {
    const all: FileSystemEntry[] = [];
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) resolve(all);
        else {
          all.push(...batch);
          next();
        }
      }, reject);
    next();
  });
}

function entryFile(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/** Walks a dropped entry; files below a folder keep the path from the dropped folder down. */
export async function walkEntry(entry: FileSystemEntry, inFolder = false): Promise<PathedFile[]> {
  if (entry.isFile) {
    if (inFolder && !isStatsFile(entry.name)) return [];
    const file = await entryFile(entry as FileSystemFileEntry);
    return [{ file, path: inFolder ? entry.fullPath.replace(/^\//, '') : file.name }];
  }
  if (entry.isDirectory) {
    const children = await readAllEntries((entry as FileSystemDirectoryEntry).createReader());
    const nested = await Promise.all(children.map((c) => walkEntry(c, true)));
    return nested.flat().sort((a, b) => a.path.localeCompare(b.path));
  }
  return [];
}

/** Files from a drop: folders walked through `webkitGetAsEntry`, plain files as they are. */
export async function filesFromDataTransfer(data: DataTransfer): Promise<PathedFile[]> {
  const items = Array.from(data.items ?? []).filter((i) => i.kind === 'file');
  // Entries must be taken synchronously, before the first await: the drop's data store closes after.
  const taken = items.map((i) => ({ entry: i.webkitGetAsEntry?.() ?? null, file: i.getAsFile() }));
  if (taken.length === 0) return filesFromInput(data.files);
  const found = await Promise.all(
    taken.map(async ({ entry, file }) => {
      if (entry) return walkEntry(entry);
      return file ? [{ file, path: file.name }] : [];
    }),
  );
  return found.flat();
}
