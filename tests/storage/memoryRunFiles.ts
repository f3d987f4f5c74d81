import type { RunFiles } from '../../src/storage/runFiles.ts';

/** Run files in memory (OPFS is a browser's; the e2e tests use the real one); `quotaBytes` refuses writes past that many bytes, as a full browser store does. */
export function memoryRunFiles({ quotaBytes = Infinity }: { quotaBytes?: number } = {}): RunFiles & { names(): string[] } {
  const files = new Map<string, Uint8Array>();
  const used = () => [...files.values()].reduce((n, f) => n + f.byteLength, 0);
  return {
    writable: true,
    async write(name, parts) {
      const size = parts.reduce((n, p) => n + p.byteLength, 0);
      if (used() + size > quotaBytes) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      const file = new Uint8Array(size);
      let at = 0;
      for (const p of parts) {
        file.set(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), at);
        at += p.byteLength;
      }
      files.set(name, file);
    },
    async read(name, start, end) {
      const file = files.get(name);
      if (!file) throw new DOMException(`${name} not found`, 'NotFoundError');
      return file.slice(start, end).buffer;
    },
    async remove(names) {
      for (const name of names) files.delete(name);
    },
    names: () => [...files.keys()].sort(),
  };
}
