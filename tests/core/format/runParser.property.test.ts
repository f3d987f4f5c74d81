import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPythonFloat, toJsonlLine } from '../../../src/core/format/jsonl.ts';
import { sampleText, type Run } from '../../../src/core/format/run.ts';
import { parseRun, RunParser, RunReadError } from '../../../src/core/format/runParser.ts';

const LF = 0x0a;
const enc = (text: string) => new TextEncoder().encode(text);

const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.constantFrom('NaN is not a number', '-Infinity', '"NaN"', '\\', 'é中😀', '{"x": NaN}', '\r', '\n\n'),
);
const stat = fc.oneof(fc.double(), fc.constantFrom(NaN, Infinity, -Infinity, -0, 1e-7, 1e16));
/** A sample over `layers` layers (a file's records share one layer set, as the study's do). */
const sampleSpec = (layers: number) =>
  fc.record({
    instruction: text,
    output: text,
    loss: stat,
    values: fc.array(fc.tuple(stat, stat), { minLength: layers, maxLength: layers }),
  });

interface SampleSpec {
  instruction: string;
  output: string;
  loss: number;
  values: [number, number][];
}
interface FileSpec {
  samples: SampleSpec[];
  crlf: boolean;
  trailingNewline: boolean;
}

function recordOf(uid: number, s: SampleSpec): Record<string, unknown> {
  const record: Record<string, unknown> = { uid, instruction: s.instruction, output: s.output, loss: s.loss };
  s.values.forEach(([a, b], layer) => {
    record[`model.layers.${layer}.self_attn.q_proj.weight`] = { S_sum: a, S_max: b };
    record[`model.layers.${layer}.self_attn.k_proj.weight`] = { S_sum: b, S_max: a };
  });
  return record;
}

const fileSpec: fc.Arbitrary<FileSpec> = fc.integer({ min: 1, max: 3 }).chain((layers) =>
  fc.record({
    samples: fc.array(sampleSpec(layers), { minLength: 1, maxLength: 6 }),
    crlf: fc.boolean(),
    trailingNewline: fc.boolean(),
  }),
);

function buildFile(spec: FileSpec): { lines: string[]; bytes: Uint8Array } {
  const lines = spec.samples.map((s, i) => toJsonlLine(recordOf(i, s)));
  const eol = spec.crlf ? '\r\n' : '\n';
  return { lines, bytes: enc(lines.join(eol) + (spec.trailingNewline ? eol : '')) };
}

const num = (x: number) => formatPythonFloat(x);

/** Everything the reader says about sample `s`, restricted to the modules, stats and layers of `shape`. */
function fingerprint(run: Run, s: number, shape: Run): string {
  const parts: string[] = [sampleText(run, s).instruction, sampleText(run, s).output, num(run.loss[s])];
  for (const module of shape.modules) {
    for (const stat of shape.stats) {
      const column = run.values.get(module)?.get(stat);
      for (let l = 0; l < shape.layerCount; l++) parts.push(column ? num(column[s * run.layerCount + l]) : 'missing');
    }
  }
  return JSON.stringify(parts);
}

function feed(file: string, bytes: Uint8Array, cuts: number[]): Run {
  const parser = new RunParser(file);
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    parser.push(bytes.slice(at, Math.max(at, cut)));
    at = Math.max(at, cut);
  }
  parser.push(bytes.slice(at));
  return parser.finish();
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function splitLines(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === LF) {
      let line = bytes.subarray(start, i);
      if (line.length && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
      out.push(line);
      start = i + 1;
    }
  }
  return out;
}

describe('RunParser properties', () => {
  it('reads the same run whatever the chunk boundaries', () => {
    fc.assert(
      fc.property(fileSpec, fc.array(fc.nat(), { maxLength: 12 }), (spec, rawCuts) => {
        const { bytes } = buildFile(spec);
        const whole = parseRun('p.jsonl', bytes);
        const cuts = rawCuts.map((c) => c % (bytes.length + 1));
        const chunked = feed('p.jsonl', bytes, cuts);
        expect(chunked.sampleCount).toBe(whole.sampleCount);
        for (let s = 0; s < whole.sampleCount; s++) expect(fingerprint(chunked, s, whole)).toBe(fingerprint(whole, s, whole));
      }),
      { numRuns: 200 },
    );
  });

  it('reads every value it was written with, NaN and ±Infinity included', () => {
    fc.assert(
      fc.property(fileSpec, (spec) => {
        const { lines, bytes } = buildFile(spec);
        const run = parseRun('p.jsonl', bytes);
        expect(run.sampleCount).toBe(lines.length);
        expect(run.skipped).toEqual([]);
        spec.samples.forEach((s, i) => {
          expect(sampleText(run, i).instruction).toBe(s.instruction);
          expect(num(run.loss[i])).toBe(num(s.loss));
          s.values.forEach(([a, b], layer) => {
            expect(num(run.values.get('self_attn.q_proj')?.get('S_sum')?.[i * run.layerCount + layer] ?? NaN)).toBe(num(a));
            expect(num(run.values.get('self_attn.k_proj')?.get('S_sum')?.[i * run.layerCount + layer] ?? NaN)).toBe(num(b));
          });
        });
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on corrupted bytes (except RunReadError when nothing is usable) and keeps every line the corruption left intact', () => {
    const corruption = fc.array(fc.record({ pos: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(fileSpec, corruption, fc.array(fc.nat(), { maxLength: 6 }), (spec, damage, rawCuts) => {
        const { lines, bytes } = buildFile(spec);
        const bad = bytes.slice();
        // The first two bytes decide the file kind (gzip magic, `[` for arrays); damage the rest.
        for (const { pos, byte } of damage) if (bad.length > 2) bad[2 + (pos % (bad.length - 2))] = byte;
        const original = lines.map((l) => enc(l));
        const intact = splitLines(bad)
          .map((line) => original.findIndex((o) => equalBytes(o, line)))
          .filter((i) => i >= 0);
        let run: Run;
        try {
          run = feed('bad.jsonl', bad, rawCuts.map((c) => c % (bad.length + 1)));
        } catch (error) {
          expect(error).toBeInstanceOf(RunReadError);
          expect(intact).toEqual([]);
          return;
        }
        const found = new Set<string>();
        for (let s = 0; s < run.sampleCount; s++) {
          for (const i of intact) {
            const alone = parseRun('one.jsonl', original[i]);
            if (fingerprint(run, s, alone) === fingerprint(alone, 0, alone)) found.add(String(i));
          }
        }
        // An intact line is in the run, or set aside because damage left more records of another layer set.
        const setAside = new Set(run.skipped.filter((s) => s.reason.endsWith('set aside')).map((s) => s.line));
        const lineOf = splitLines(bad).map((line) => original.findIndex((o) => equalBytes(o, line)));
        for (const i of intact) if (!found.has(String(i))) expect(lineOf.some((o, n) => o === i && setAside.has(n + 1))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
