/**
 * Test helper: a Run from nested arrays, so statistics tests do not depend on the
 * file reader. `values[module][stat]` is a [samples][layers] array.
 */
import type { Run, RunMeta, SampleText } from '../../../src/core/format/run.ts';
import { packTexts } from '../../../src/core/format/texts.ts';

export interface RunSpec {
  name?: string;
  file?: string;
  meta?: RunMeta;
  values: Record<string, Record<string, number[][]>>;
  /** Per-sample loss; NaN for every sample when omitted. */
  loss?: number[];
  /** Per-sample texts; `output` defaults to `out<i>`, instruction to `q<i>`. */
  samples?: Partial<SampleText>[];
  /** Used when `values` has no module (an empty run). */
  sampleCount?: number;
  layerCount?: number;
}

/** Builds a Run; throws if the nested arrays are ragged, so a typo cannot pass silently. */
export function makeRun(spec: RunSpec): Run {
  const modules = Object.keys(spec.values);
  const stats: string[] = [];
  let sampleCount = spec.sampleCount;
  let layerCount = spec.layerCount;
  const values = new Map<string, Map<string, Float64Array>>();
  for (const module of modules) {
    const byStat = new Map<string, Float64Array>();
    for (const [stat, rows] of Object.entries(spec.values[module])) {
      if (!stats.includes(stat)) stats.push(stat);
      sampleCount ??= rows.length;
      layerCount ??= rows[0]?.length ?? 0;
      if (rows.length !== sampleCount || rows.some((r) => r.length !== layerCount)) {
        throw new Error(`ragged values for ${module} ${stat}`);
      }
      byStat.set(stat, Float64Array.from(rows.flat()));
    }
    values.set(module, byStat);
  }
  sampleCount ??= 0;
  layerCount ??= 0;
  const samples: SampleText[] = Array.from({ length: sampleCount }, (_, i) => ({
    instruction: spec.samples?.[i]?.instruction ?? `q${i}`,
    input: spec.samples?.[i]?.input ?? '',
    output: spec.samples?.[i]?.output ?? `out${i}`,
  }));
  return {
    id: spec.name ?? 'run',
    name: spec.name ?? 'run',
    file: spec.file ?? `${spec.name ?? 'run'}.jsonl`,
    meta: spec.meta ?? {},
    sampleCount,
    layerCount,
    modules,
    stats,
    values,
    loss: Float64Array.from(spec.loss ?? Array.from({ length: sampleCount }, () => NaN)),
    texts: packTexts(samples),
    skipped: [],
    bytes: 0,
  };
}

/** A deep copy of a Run's numeric content, to check that a function left it unchanged. */
export function snapshotRun(run: Run): unknown {
  return {
    values: [...run.values].map(([m, byStat]) => [m, [...byStat].map(([s, v]) => [s, Array.from(v)])]),
    loss: Array.from(run.loss),
    texts: run.texts && [Array.from(run.texts.bytes), Array.from(run.texts.ends)],
    modules: run.modules.slice(),
    stats: run.stats.slice(),
  };
}
