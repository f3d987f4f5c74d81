import { Tape } from '../../../../src/core/format/accelerator/tape.ts';

/** A Tape for a test; these tests need WebAssembly, so its absence fails them. */
export function newTape(): Tape {
  const tape = Tape.create();
  if (tape === null) throw new Error('WebAssembly is unavailable here');
  return tape;
}
