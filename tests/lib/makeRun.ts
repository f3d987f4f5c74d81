/**
 * Hand-built runs for component tests: values from a formula per (module, stat), so a
 * test can compute expected curves by hand.
 */
import type { Run, RunMeta, SampleText } from '../../src/core/format/run.ts';
import { packTexts } from '../../src/core/format/texts.ts';
import type { RunEntry } from '../../src/lib/state/types.ts';

export const LLAMA_MODULES = ['self_attn.q_proj', 'self_attn.k_proj', 'self_attn.v_proj', 'self_attn.o_proj'];

export interface MakeRunOptions {
  id?: string;
  name?: string;
  layers?: number;
  samples?: number;
  modules?: string[];
  stats?: string[];
  meta?: RunMeta;
  /** Value of (sample, layer, module index, stat); defaults to a smooth positive curve. */
  value?: (sample: number, layer: number, moduleIndex: number, stat: string) => number;
  loss?: (sample: number) => number;
  text?: (sample: number) => SampleText;
}

/** A Run with `samples` × `layers` values for every module and statistic. */
export function makeRun(o: MakeRunOptions = {}): Run {
  const L = o.layers ?? 4;
  const N = o.samples ?? 3;
  const modules = o.modules ?? LLAMA_MODULES;
  const stats = o.stats ?? ['S_sum', 'S_max', 'S_min'];
  const value = o.value ?? ((s, l, m, stat) => (stat === 'S_max' ? 0.5 : 1) * (10 + m * 5 + l * (m + 1) + s));
  const values = new Map<string, Map<string, Float64Array>>();
  modules.forEach((module, m) => {
    const byStat = new Map<string, Float64Array>();
    for (const stat of stats) {
      const a = new Float64Array(N * L);
      for (let s = 0; s < N; s++) for (let l = 0; l < L; l++) a[s * L + l] = value(s, l, m, stat);
      byStat.set(stat, a);
    }
    values.set(module, byStat);
  });
  const id = o.id ?? 'run-a';
  return {
    id,
    name: o.name ?? `${id}.jsonl`,
    file: o.name ?? `${id}.jsonl`,
    meta: o.meta ?? {},
    sampleCount: N,
    layerCount: L,
    modules,
    stats,
    values,
    loss: Float64Array.from({ length: N }, (_, s) => (o.loss ? o.loss(s) : 1 + s / 10)),
    texts: packTexts(Array.from({ length: N }, (_, s) => (o.text ? o.text(s) : { instruction: `instruction ${s}`, input: '', output: `output ${s}` }))),
    skipped: [],
    bytes: 0,
  };
}

/** A visible RunEntry for a run. */
export function makeEntry(run: Run, label = run.name, color = '#4e79a7'): RunEntry {
  return { run, label, color, hidden: false, source: { kind: 'file', ref: run.file } };
}
