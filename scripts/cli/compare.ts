/**
 * `gradlens compare A B`: relative difference of B's curve against A's (the reference,
 * e.g. correct responses) per module, with the five most different layers and the
 * count of samples whose responses are identical; and how sure each difference is
 * (compareResampled: per-layer differences, MAD and relative difference with bootstrap
 * intervals and permutation p-values, pairing samples by instruction text).
 */
import type { Run, StatName } from '../../src/core/format/run.ts';
import { computeCurve } from '../../src/core/stats/computeCurve.ts';
import { countIdenticalResponses } from '../../src/core/stats/pairRuns.ts';
import { relativeDifference } from '../../src/core/stats/relativeDifference.ts';
import { comparisonSide } from '../../src/core/stats/resampling/comparisonSide.ts';
import { compareResampled, type ResampledComparison } from '../../src/core/stats/resampling/compareResampled.ts';
import { listStats, statModules } from '../../src/core/stats/statValues.ts';
import { toCsv, toLatex, type Table, type TableColumn } from '../../src/core/stats/table.ts';
import {
  alignTable,
  expandInputs,
  EXIT_OK,
  FileError,
  formatHelp,
  formatNumber,
  listOption,
  loadRun,
  BUDGET_OPTION,
  budgetOption,
  parseCommandArgs,
  parseSplitsOption,
  runCommand,
  selectModules,
  toJsonOutput,
  UsageError,
  type CommandSpec,
} from './args.ts';

/** Usage, summary and options of `gradlens compare` (parsing and --help). */
export const spec: CommandSpec = {
  usage:
    'gradlens compare A B [--stat NAME] [--module KEY]... [--ci LEVEL] [--resamples N] [--seed N]\n' +
    '                        [--splits A,B] [--unpaired] [--json | --csv | --latex]',
  summary:
    "Relative difference of B against the reference A, per module: mean over layers of |a - b| / |a|\n" +
    '(a = 0 replaced by 1e-10, as the study computes it), the five layers of largest ratio, and how\n' +
    'many samples have the same instruction and an identical response in both files. A and B may be\n' +
    'one folder holding exactly two statistics files (in path order).\n' +
    'How sure: samples pair by instruction text (unpaired runs are resampled independently); per\n' +
    'layer and module the mean difference B - A with a percentile bootstrap interval, effect size,\n' +
    'permutation p and Benjamini-Hochberg q; per module the same interval and p for MAD (all, early,\n' +
    'middle, late; B - A) and for the relative difference. --resamples 0 skips them.\n' +
    'Exit 1 when a file cannot be used or the files differ in layer count, 2 for a bad command line.\n' +
    'In JSON, NaN and ±Infinity are null.',
  options: [
    { name: 'stat', type: 'string', value: 'NAME', description: 'statistic (default S_sum)' },
    { name: 'module', type: 'string', multiple: true, value: 'KEY', description: 'only these modules (q, q_proj or self_attn.q_proj; repeatable)' },
    { name: 'ci', type: 'string', value: 'LEVEL', description: 'interval level, between 0 and 1 (default 0.95)' },
    { name: 'resamples', type: 'string', value: 'N', description: 'bootstrap resamples and Monte Carlo permutations (default 10000; 0: none)' },
    { name: 'seed', type: 'string', value: 'N', description: 'seed of the resampling (default 1): the same seed gives the same numbers' },
    { name: 'splits', type: 'string', value: 'A,B', description: 'MAD split points (default: the study\'s for its layer counts)' },
    { name: 'unpaired', type: 'boolean', description: 'resample each file independently even when their samples pair' },
    { name: 'json', type: 'boolean', description: 'machine-readable JSON on stdout' },
    { name: 'csv', type: 'boolean', description: 'the comparison as CSV (RFC 4180)' },
    { name: 'latex', type: 'boolean', description: 'the comparison as a booktabs LaTeX table' },
    BUDGET_OPTION,
  ],
};

/** How `compare` resamples, from the command line; null for --resamples 0. */
export interface ResamplingChoice {
  ci: number;
  resamples: number;
  seed: number;
  splits?: [number, number];
  unpaired: boolean;
}

/** Parses --ci, --resamples, --seed, --splits and --unpaired; UsageError with the reason for a bad value. */
function parseResampling(values: Record<string, string | string[] | boolean | undefined>): ResamplingChoice | null {
  const number = (name: string, fallback: number, valid: (x: number) => boolean, what: string): number => {
    const text = values[name];
    if (typeof text !== 'string') return fallback;
    const x = Number(text);
    if (text.trim() === '' || !valid(x)) throw new UsageError(`bad --${name} "${text}": expected ${what}`);
    return x;
  };
  const resamples = number('resamples', 10_000, (x) => Number.isInteger(x) && x >= 0, 'a whole number, 0 or more');
  const ci = number('ci', 0.95, (x) => x > 0 && x < 1, 'a level between 0 and 1, e.g. 0.95');
  const seed = number('seed', 1, (x) => Number.isInteger(x), 'an integer');
  const splits = typeof values.splits === 'string' ? parseSplitsOption(values.splits) : undefined;
  if (resamples === 0) return null;
  return { ci, resamples, seed, splits, unpaired: values.unpaired === true };
}

/** One module's comparison, as written in the JSON output; the last three when resampled. */
interface ModuleComparison {
  relative_difference: number;
  top_layers: number[];
  ratios: Float64Array;
  reference_kept: number;
  other_kept: number;
  layers?: { diff: number; lo: number; hi: number; d: number; p: number; q: number }[];
  mad?: ResampledComparison['modules'][number]['mad'];
  /** The relative difference of the resampled samples' curves (the pairs' when paired), its interval and p. */
  relative_difference_ci?: { value: number; lo: number; hi: number; p: number };
}

/** The comparison of two runs for one statistic (resampled unless `resampling` is null); FileError when they cannot be compared. */
export function compareRuns(reference: Run, other: Run, stat: StatName, modules: readonly string[], resampling: ResamplingChoice | null = null) {
  for (const r of [reference, other]) {
    if (!listStats(r).includes(stat)) {
      throw new UsageError(`unknown statistic "${stat}" in ${r.file}; statistics: ${listStats(r).join(', ') || '(none)'}`);
    }
  }
  if (reference.layerCount !== other.layerCount) {
    throw new FileError(
      `cannot compare ${reference.file} (${reference.layerCount} layers) with ${other.file} (${other.layerCount} layers)`,
    );
  }
  const chosen = (modules.length ? selectModules(reference, modules) : statModules(reference, stat)).filter((m) => other.modules.includes(m));
  if (chosen.length === 0) throw new FileError(`${reference.file} and ${other.file} have no module in common`);
  const byModule = Object.create(null) as Record<string, ModuleComparison>; // a module named __proto__ is a key like any other
  for (const module of chosen) {
    const a = computeCurve(reference, module, stat);
    const b = computeCurve(other, module, stat);
    const rd = relativeDifference(a.mean.subarray(0, a.span), b.mean.subarray(0, a.span));
    byModule[module] = {
      relative_difference: rd.value,
      top_layers: rd.topLayers,
      ratios: rd.ratios,
      reference_kept: a.kept,
      other_kept: b.kept,
    };
  }
  const base = {
    reference: reference.file,
    other: other.file,
    stat,
    layers: reference.layerCount,
    identical_responses: countIdenticalResponses(reference, other),
    samples_compared: Math.min(reference.sampleCount, other.sampleCount),
    modules: byModule,
  };
  if (resampling === null) return base;
  const found = resample(reference, other, stat, chosen, resampling);
  for (const m of found.modules) {
    byModule[m.module].layers = m.layers;
    byModule[m.module].mad = m.mad;
    byModule[m.module].relative_difference_ci = m.relativeDifference;
  }
  return {
    ...base,
    paired: found.paired,
    n: found.pairs,
    unpaired: { reference: found.unpairedA, other: found.unpairedB },
    test: found.test,
    exact: found.exact,
    permutations: found.permutations,
    resamples: found.resamples,
    seed: found.seed,
    ci: found.ci,
    splits: found.splits,
  };
}

/** compareResampled on the two runs; its RangeErrors (bad splits) become UsageErrors. */
function resample(reference: Run, other: Run, stat: StatName, modules: readonly string[], choice: ResamplingChoice): ResampledComparison {
  try {
    return compareResampled(comparisonSide(reference, stat, modules, false), comparisonSide(other, stat, modules, false), {
      ci: choice.ci,
      resamples: choice.resamples,
      seed: choice.seed,
      splits: choice.splits,
      pairing: choice.unpaired ? 'unpaired' : 'auto',
      modules,
    });
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(e.message);
    throw e;
  }
}

/**
 * The comparison as a table: one row per module (the pair is as the user gave it, so no
 * pairing attribute). Resampled, it adds the relative difference of the resampled samples'
 * curves (the paired samples': the value above is over all samples) with its interval and
 * p, and MAD (all layers) B − A with its interval and p.
 */
function comparisonTable(result: ReturnType<typeof compareRuns>): Table {
  const level = 'ci' in result ? `${Math.round(result.ci * 1000) / 10}%` : '';
  const resampled: TableColumn[] =
    'ci' in result
      ? [
          { key: 'rdResampled', label: 'RD of resampled samples', kind: 'number' },
          { key: 'rdLo', label: `RD ${level} low`, kind: 'number' },
          { key: 'rdHi', label: `RD ${level} high`, kind: 'number' },
          { key: 'rdP', label: 'RD p', kind: 'number' },
          { key: 'madAll', label: 'MAD B-A', kind: 'number' },
          { key: 'madAllLo', label: `MAD ${level} low`, kind: 'number' },
          { key: 'madAllHi', label: `MAD ${level} high`, kind: 'number' },
          { key: 'madAllP', label: 'MAD p', kind: 'number' },
        ]
      : [];
  return {
    columns: [
      { key: 'reference', label: 'Reference', kind: 'text' },
      { key: 'other', label: 'Other', kind: 'text' },
      { key: 'module', label: 'Module', kind: 'text' },
      { key: 'layers', label: 'Layers', kind: 'integer' },
      { key: 'value', label: 'Relative difference', kind: 'number' },
      { key: 'topLayers', label: 'Top layers', kind: 'layers' },
      { key: 'identical', label: 'Identical responses', kind: 'integer' },
      ...resampled,
    ],
    rows: Object.entries(result.modules).map(([module, m]) => ({
      reference: result.reference,
      other: result.other,
      module,
      layers: result.layers,
      value: m.relative_difference,
      topLayers: m.top_layers,
      identical: result.identical_responses,
      ...(m.mad && m.relative_difference_ci
        ? {
            rdResampled: m.relative_difference_ci.value,
            rdLo: m.relative_difference_ci.lo,
            rdHi: m.relative_difference_ci.hi,
            rdP: m.relative_difference_ci.p,
            madAll: m.mad.all.value,
            madAllLo: m.mad.all.lo,
            madAllHi: m.mad.all.hi,
            madAllP: m.mad.all.p,
          }
        : {}),
    })),
  };
}

/** A p-value for the text tables: three significant digits, "<1e-4" style never (the exact p is printed). */
function formatP(p: number): string {
  return Number.isNaN(p) ? 'NaN' : p.toPrecision(3);
}

/** "[lo, hi]" at four significant digits. */
function formatInterval(lo: number, hi: number): string {
  return `[${formatNumber(lo)}, ${formatNumber(hi)}]`;
}

/** Layer indices as ranges: [0, 1, 2, 5, 7, 8] → "0-2, 5, 7-8"; none → "none". */
export function layerRanges(layers: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < layers.length; i++) {
    let j = i;
    while (j + 1 < layers.length && layers[j + 1] === layers[j] + 1) j++;
    parts.push(i === j ? String(layers[i]) : `${layers[i]}-${layers[j]}`);
    i = j;
  }
  return parts.length ? parts.join(', ') : 'none';
}

/** The resampled part of the text output: how it was resampled, then per module the relative difference, MAD and the layers with q < 0.05. */
function resampledText(result: ReturnType<typeof compareRuns>): string {
  if (!('ci' in result)) return '';
  const level = `${Math.round(result.ci * 1000) / 10}%`;
  const pairing = result.paired
    ? `paired by instruction: ${result.n} pairs (unpaired: ${result.unpaired.reference} in A, ${result.unpaired.other} in B)`
    : `unpaired (${result.n} samples pair by instruction; each file resampled on its own)`;
  const test = `${result.test} permutation p, ${result.exact ? `exact over all ${result.permutations} arrangements` : `Monte Carlo, ${result.permutations} permutations`}`;
  const head = `\n${pairing}\n${result.resamples} bootstrap resamples, seed ${result.seed}, ${level} percentile intervals; ${test}\n\n`;
  const rows: string[][] = [];
  const layerLines: string[] = [];
  for (const [module, m] of Object.entries(result.modules)) {
    if (!m.mad || !m.relative_difference_ci || !m.layers) continue;
    const rd = m.relative_difference_ci;
    rows.push([module, 'rel. diff', formatNumber(rd.value), formatInterval(rd.lo, rd.hi), formatP(rd.p)]);
    for (const [part, t] of Object.entries(m.mad)) rows.push(['', `MAD ${part} B-A`, formatNumber(t.value), formatInterval(t.lo, t.hi), formatP(t.p)]);
    const up = m.layers.flatMap((x, l) => (x.q < 0.05 && x.diff > 0 ? [l] : []));
    const down = m.layers.flatMap((x, l) => (x.q < 0.05 && x.diff < 0 ? [l] : []));
    layerLines.push(`${module}: B > A at ${layerRanges(up)}; B < A at ${layerRanges(down)}`);
  }
  const table = alignTable(['module', 'statistic', 'value', `${level} interval`, 'p'], rows, [false, false, true, false, true]);
  return head + table + `\nlayers where B - A has q < 0.05 (Benjamini-Hochberg over layers x modules):\n${layerLines.join('\n')}\n`;
}

/** Entry point: `gradlens compare A B …`; returns the exit code. */
export async function run(argv: string[]): Promise<number> {
  return runCommand(async () => {
    const args = parseCommandArgs(argv, spec);
    if (args.help) {
      process.stdout.write(formatHelp(spec));
      return EXIT_OK;
    }
    const stat = typeof args.values.stat === 'string' ? args.values.stat : 'S_sum';
    const modules = listOption(args.values.module);
    const resampling = parseResampling(args.values);
    const formats = ['json', 'csv', 'latex'].filter((f) => args.values[f] === true);
    if (formats.length > 1) throw new UsageError(`choose one of --${formats.join(', --')}`);
    const files = await expandInputs(args.positionals);
    if (files.length !== 2) {
      throw new UsageError(`compare needs exactly two files, A (reference) and B (or a folder holding two); got ${files.length}`);
    }
    const warn = (line: string) => process.stderr.write(line + '\n');
    const reference = await loadRun(files[0], warn, budgetOption(args.values.budget));
    const other = await loadRun(files[1], warn, budgetOption(args.values.budget));
    const result = compareRuns(reference, other, stat, modules, resampling);

    if (formats[0] === 'json') {
      process.stdout.write(toJsonOutput(result) + '\n');
    } else if (formats[0] === 'csv' || formats[0] === 'latex') {
      const table = comparisonTable(result);
      process.stdout.write(formats[0] === 'csv' ? toCsv(table) : toLatex(table, `Relative difference of ${stat}`));
    } else {
      const head =
        `reference ${result.reference}\nother     ${result.other}\n` +
        `stat ${stat}  layers ${result.layers}  identical responses ${result.identical_responses} of ${result.samples_compared}\n`;
      const rows = Object.entries(result.modules).map(([module, m]) => [
        module,
        formatNumber(m.relative_difference),
        m.top_layers.join(' '),
        String(m.reference_kept),
        String(m.other_kept),
      ]);
      const header = ['module', 'rel. diff', 'top layers', 'kept A', 'kept B'];
      process.stdout.write(head + alignTable(header, rows, [false, true, false, true, true]) + resampledText(result));
    }
    return EXIT_OK;
  });
}
