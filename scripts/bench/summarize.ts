/**
 * Benchmark: computing every curve (mean, percentiles, std) and MAD of a loaded run,
 * for all modules × all selectable statistics, at 500 × 32 (a study file) and 10× the
 * samples. Baseline, measured in the same process: the straightforward version with
 * d3-array (rows as number[][], NaN rows filtered, d3.mean / d3.quantileSorted /
 * d3.deviation per layer). Called by `npm run bench`; also runs alone:
 *   npx tsx scripts/bench/summarize.ts
 */
import { deviation, mean, quantileSorted } from 'd3-array';
import { pathToFileURL } from 'node:url';
import { syntheticStatsLines } from '../../src/core/data/syntheticStats.ts';
import { sampleText, type Run } from '../../src/core/format/run.ts';
import { parseRun } from '../../src/core/format/runParser.ts';
import { packTexts } from '../../src/core/format/texts.ts';
import { curveFromValues } from '../../src/core/stats/computeCurve.ts';
import { computeMad, meanAbsoluteDifference } from '../../src/core/stats/mad.ts';
import { listStats, statValues } from '../../src/core/stats/statValues.ts';

/** A 500-sample, 32-layer run as the reader produces it from a synthetic study-like file (1% NaN samples). */
function loadStudyRun(): Run {
  const text = Array.from(
    syntheticStatsLines({ samples: 500, layers: 32, setting: 'none', correctness: 'correct', seed: 7, nanRate: 0.01 }),
  ).join('\n');
  return parseRun('bench.jsonl', new TextEncoder().encode(text));
}

/** The same run with every sample repeated `times` times (same columns, `times`× the samples). */
function repeatSamples(run: Run, times: number): Run {
  const tile = (a: Float64Array) => {
    const out = new Float64Array(a.length * times);
    for (let t = 0; t < times; t++) out.set(a, t * a.length);
    return out;
  };
  const values = new Map([...run.values].map(([m, byStat]) => [m, new Map([...byStat].map(([s, v]) => [s, tile(v)]))]));
  return {
    ...run,
    sampleCount: run.sampleCount * times,
    values,
    loss: tile(run.loss),
    texts: packTexts(Array.from({ length: run.sampleCount * times }, (_, i) => sampleText(run, i % run.sampleCount))),
  };
}

/**
 * gradlens: every curve + MAD of the run, computed afresh (curveFromValues, the work
 * behind computeCurve, whose per-run cache would answer repeats for free). Returns a
 * checksum so the work is not optimised away.
 */
function summarizeAll(run: Run): number {
  let check = 0;
  for (const stat of listStats(run)) {
    for (const module of run.modules) {
      const curve = curveFromValues(statValues(run, module, stat), run.sampleCount, run.layerCount);
      const mad = computeMad(curve.mean);
      const median = curve.median[0]; // the bands are computed on first use: ask for them, as the baseline computes them
      check += curve.kept + (Number.isFinite(mad.all) ? mad.all : 0) + (Number.isFinite(median) ? median : 0);
    }
  }
  return check;
}

/** Baseline: the same results the plain way with d3-array over nested number arrays. */
function summarizeAllD3(run: Run): number {
  let check = 0;
  const L = run.layerCount;
  for (const stat of listStats(run)) {
    for (const module of run.modules) {
      const flat = statValues(run, module, stat);
      const rows: number[][] = [];
      for (let s = 0; s < run.sampleCount; s++) rows.push(Array.from(flat.subarray(s * L, (s + 1) * L)));
      const kept = rows.filter((r) => !r.some(Number.isNaN));
      const curve: number[] = [];
      let median = NaN;
      for (let l = 0; l < L; l++) {
        const column = kept.map((r) => r[l]).sort((a, b) => a - b);
        curve.push(mean(column) ?? NaN);
        const bands = [0.05, 0.25, 0.5, 0.75, 0.95].map((p) => quantileSorted(column, p));
        if (l === 0) median = bands[2] ?? NaN;
        deviation(column);
      }
      const mad = meanAbsoluteDifference(curve);
      check += kept.length + (Number.isFinite(mad) ? mad : 0) + (Number.isFinite(median) ? median : 0);
    }
  }
  return check;
}

/** Median wall time in ms of `repeats` calls, after `warmups` untimed calls. */
function time(fn: () => number, repeats: number, warmups: number): { ms: number; check: number } {
  let check = 0;
  for (let i = 0; i < warmups; i++) check = fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    check = fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], check };
}

/** Prints ms per full summary and the ratio against the d3-array baseline, for 500 × 32 and 10×. */
export async function benchSummarize(): Promise<void> {
  console.log('\n## Summarize: all curves (mean, p5–p95, std) + MAD, every module × statistic');
  const t0 = performance.now();
  const run = loadStudyRun();
  console.log(`(synthetic 500 × 32 run generated and parsed in ${(performance.now() - t0).toFixed(0)} ms; ${run.modules.length} modules × ${listStats(run).length} statistics)`);
  const rows: string[][] = [['run', 'gradlens ms', 'd3-array ms', 'gradlens / d3-array']];
  // The 10× case runs once each: the 500 case has warmed the JIT, and the d3 baseline takes seconds there.
  for (const [label, r, repeats, warmups] of [
    ['500 × 32', run, 5, 1],
    ['5000 × 32 (10×)', repeatSamples(run, 10), 1, 0],
  ] as const) {
    const ours = time(() => summarizeAll(r), repeats, warmups);
    const base = time(() => summarizeAllD3(r), repeats, warmups);
    if (Math.abs(ours.check - base.check) > 1e-6 * Math.abs(base.check)) {
      throw new Error(`summarize bench: results differ from the baseline (${ours.check} vs ${base.check})`);
    }
    rows.push([label, ours.ms.toFixed(1), base.ms.toFixed(1), (ours.ms / base.ms).toFixed(2)]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c])).join('  '));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchSummarize();
}
