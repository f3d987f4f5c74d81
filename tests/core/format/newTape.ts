import { LineTape } from '../../../src/core/format/lineTape.ts';

/** A LineTape for a test; these tests need WebAssembly, so its absence fails them. */
export function newTape(): LineTape {
  const tape = LineTape.create();
  if (tape === null) throw new Error('WebAssembly is unavailable here');
  return tape;
}
