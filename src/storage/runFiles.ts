/**
 * Where stored runs' buffers live when the browser has an Origin Private File System:
 * one file per run (its numbers, keys and texts one after the other), in the folder
 * `runs`. IndexedDB keeps the small records that say which bytes of which file are what
 * (see idbRunStore). Chromium reads such a file back several times faster than the same
 * bytes stored as IndexedDB Blobs (the bench's reload).
 */

/** A run's buffers on disk, written and read whole or by byte range. */
export interface RunFiles {
  /** False where this context can only read and delete (the store then writes Blobs). */
  readonly writable: boolean;
  /** Writes `parts` one after the other into a new file `name` (a failure leaves no file). */
  write(name: string, parts: readonly ArrayBufferView[]): Promise<void>;
  /** Bytes [start, end) of file `name`, in a buffer of their own. */
  read(name: string, start: number, end: number): Promise<ArrayBuffer>;
  /** Deletes files; names not found are skipped. */
  remove(names: readonly string[]): Promise<void>;
}

const FOLDER = 'runs';

/** Writes through a sync access handle (dedicated workers: no copy into a stream), else a writable stream. */
async function writeFile(handle: FileSystemFileHandle, parts: readonly ArrayBufferView[]): Promise<void> {
  if (typeof handle.createSyncAccessHandle === 'function') {
    const access = await handle.createSyncAccessHandle();
    try {
      let at = 0;
      for (const part of parts) {
        // Chromium writes what fits and returns a bogus count instead of throwing when the quota is reached (measured here).
        const written = access.write(part as ArrayBufferView<ArrayBuffer>, { at });
        if (written !== part.byteLength) throw new DOMException(`only part of ${part.byteLength} bytes could be written`, 'QuotaExceededError');
        at += written;
      }
      access.flush();
    } finally {
      access.close();
    }
    return;
  }
  const stream = await handle.createWritable();
  try {
    for (const part of parts) await stream.write(part as ArrayBufferView<ArrayBuffer>);
    await stream.close();
  } catch (error) {
    await stream.abort().catch(() => undefined);
    throw error;
  }
}

/** True where this context can write OPFS files: a worker's sync access handles, or writable streams (the page; Safari's page has neither). */
function canWrite(): boolean {
  const proto = globalThis.FileSystemFileHandle?.prototype as Partial<FileSystemFileHandle> | undefined;
  return typeof proto?.createWritable === 'function' || typeof proto?.createSyncAccessHandle === 'function';
}

/**
 * The OPFS run files of this origin, or null where the browser has no OPFS (the store
 * then keeps buffers as IndexedDB Blobs). `read`, when given, reads instead (the page
 * passes a worker's, so its own thread does not copy the bytes in).
 */
export function opfsRunFiles({ read }: { read?: RunFiles['read'] } = {}): RunFiles | null {
  const storage = globalThis.navigator?.storage;
  if (typeof storage?.getDirectory !== 'function') return null;
  let folder: Promise<FileSystemDirectoryHandle> | null = null;
  const open = () => (folder ??= storage.getDirectory().then((root) => root.getDirectoryHandle(FOLDER, { create: true })));
  return {
    writable: canWrite(),
    async write(name, parts) {
      const dir = await open();
      try {
        await writeFile(await dir.getFileHandle(name, { create: true }), parts);
      } catch (error) {
        await dir.removeEntry(name).catch(() => undefined);
        throw error;
      }
    },
    async read(name, start, end) {
      if (read) return read(name, start, end);
      const file = await (await (await open()).getFileHandle(name)).getFile();
      return (start === 0 && end === file.size ? file : file.slice(start, end)).arrayBuffer();
    },
    async remove(names) {
      const dir = await open();
      await Promise.all(names.map((name) => dir.removeEntry(name).catch(() => undefined)));
    },
  };
}
