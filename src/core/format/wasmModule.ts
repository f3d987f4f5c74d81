/**
 * Compiling gradlens's WebAssembly kernels (wasm/, checked in as base64 by
 * `npm run build:wasm`): synchronously, so core functions stay synchronous in Node, in
 * workers and, for kernels under Chrome's 4 KB limit, on the page's main thread.
 */

/** The bytes of base64 text (an index loop: `Uint8Array.from` over the string made an iterator step per byte). */
function base64Bytes(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The compiled module of a kernel's base64 bytes, or null where WebAssembly is missing or refuses it (callers then take their JavaScript path). */
export function compileWasm(base64: string): WebAssembly.Module | null {
  try {
    return new WebAssembly.Module(base64Bytes(base64));
  } catch {
    return null;
  }
}

/** The exports of a new instance of `module` (a kernel imports nothing), or null when there is no module or instantiation fails (out of memory, say). */
export function instantiateWasm<Exports>(module: WebAssembly.Module | null): Exports | null {
  if (module === null) return null;
  try {
    return new WebAssembly.Instance(module, {}).exports as unknown as Exports;
  } catch {
    return null;
  }
}

/** Grows a kernel's memory to at least `bytes`; false when it cannot grow (out of memory), so the caller takes its JavaScript path. */
export function growMemory(memory: WebAssembly.Memory, bytes: number): boolean {
  const have = memory.buffer.byteLength;
  if (bytes <= have) return true;
  try {
    memory.grow(Math.ceil((bytes - have) / 65536));
    return true;
  } catch {
    return false;
  }
}
