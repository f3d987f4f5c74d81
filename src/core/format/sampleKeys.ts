/**
 * Per-sample keys: a 53-bit hash of each sample's prompt (instruction and input) and of
 * its response (output). Pairing samples across runs and counting identical responses
 * need only these, so a run restored from storage pairs without reading its texts.
 */
import type { Run, SampleTexts } from './run.ts';
import { TEXTS_PER_SAMPLE } from './texts.ts';

/** Per sample, the hash of its prompt and of its response (integers below 2^53, exact in a Float64Array). */
export interface SampleKeys {
  prompt: Float64Array;
  response: Float64Array;
}

const encoder = new TextEncoder();
const NUL = new Uint8Array([0]);

/**
 * A 53-bit hash of byte ranges taken as one string (cyrb53, public domain, over bytes).
 * Written by hand: it must be synchronous and cheap per sample (Web Crypto's digests are
 * async), and 53 bits keep collisions between 5,000 samples near 1e-9.
 */
function hashBytes(parts: readonly Uint8Array[]): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) {
      const b = part[i];
      h1 = Math.imul(h1 ^ b, 2654435761);
      h2 = Math.imul(h2 ^ b, 1597334677);
    }
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** The key two samples pair on: their instruction and input (joined by a NUL, so ('ab', '') ≠ ('a', 'b')). */
export function pairingKey(instruction: string, input: string): number {
  return hashBytes([encoder.encode(instruction), NUL, encoder.encode(input)]);
}

/** The key of a response (output) text. */
export function responseKey(output: string): number {
  return hashBytes([encoder.encode(output)]);
}

/** The keys of `sampleCount` samples' packed texts, hashed from their UTF-8 bytes (no decoding). */
export function keysOfTexts(texts: SampleTexts, sampleCount: number): SampleKeys {
  const { bytes, ends } = texts;
  const text = (at: number) => (at < ends.length ? bytes.subarray(at === 0 ? 0 : ends[at - 1], ends[at]) : bytes.subarray(0, 0));
  const prompt = new Float64Array(sampleCount);
  const response = new Float64Array(sampleCount);
  for (let s = 0; s < sampleCount; s++) {
    const at = TEXTS_PER_SAMPLE * s;
    prompt[s] = hashBytes([text(at), NUL, text(at + 1)]);
    response[s] = hashBytes([text(at + 2)]);
  }
  return { prompt, response };
}

/** Keys computed from a run's texts, once per run object (runs never change once built). */
const computed = new WeakMap<Run, SampleKeys>();

/**
 * The run's per-sample keys: those it carries (parsed in a worker, or restored from
 * storage), else computed from its texts. A run has at least one of the two.
 */
export function sampleKeys(run: Run): SampleKeys {
  if (run.keys) return run.keys;
  let keys = computed.get(run);
  if (keys === undefined) {
    if (!run.texts) throw new Error(`run ${run.name} has neither sample keys nor texts`);
    keys = keysOfTexts(run.texts, run.sampleCount);
    computed.set(run, keys);
  }
  return keys;
}
