/**
 * `gradlens compare A B`: relative difference of B's curve against A's (the reference,
 * e.g. correct responses) per module, with the five most different layers and the
 * count of samples whose responses are identical.
 */
import type { Run, StatName } from '../../src/core/format/run.ts';
import { computeCurve } from '../../src/core/stats/computeCurve.ts';
import { countIdenticalResponses } from '../../src/core/stats/pairRuns.ts';
import { relativeDifference } from '../../src/core/stats/relativeDifference.ts';
import { listStats } from '../../src/core/stats/statValues.ts';
import { toCsv, toLatex, type Table } from '../../src/core/stats/table.ts';
import {
  alignTable,
  EXIT_OK,
  FileError,
  formatHelp,
  formatNumber,
  listOption,
  loadRun,
  parseCommandArgs,
  runCommand,
  selectModules,
  toJsonOutput,
  UsageError,
  type CommandSpec,
} from './args.ts';

/** Usage, summary and options of `gradlens compare` (parsing and --help). */
export const spec: CommandSpec = {
  usage: 'gradlens compare A B [--stat NAME] [--module KEY]... [--json | --csv | --latex]',
  summary:
    "Relative difference of B against the reference A, per module: mean over layers of |a - b| / |a|\n" +
    '(a = 0 replaced by 1e-10, as the study computes it), the five layers of largest ratio, and how\n' +
    'many samples have the same instruction and an identical response in both files.\n' +
    'Exit 1 when a file cannot be used or the files differ in layer count, 2 for a bad command line.\n' +
    'In JSON, NaN and ±Infinity are null.',
  options: [
    { name: 'stat', type: 'string', value: 'NAME', description: 'statistic (default S_sum)' },
    { name: 'module', type: 'string', multiple: true, value: 'KEY', description: 'only these modules (q, q_proj or self_attn.q_proj; repeatable)' },
    { name: 'json', type: 'boolean', description: 'machine-readable JSON on stdout' },
    { name: 'csv', type: 'boolean', description: 'the comparison as CSV (RFC 4180)' },
    { name: 'latex', type: 'boolean', description: 'the comparison as a booktabs LaTeX table' },
  ],
};

/** One module's comparison, as written in the JSON output. */
interface ModuleComparison {
  relative_difference: number;
  top_layers: number[];
  ratios: Float64Array;
  reference_kept: number;
  other_kept: number;
}

/** The comparison of two runs for one statistic; FileError when they cannot be compared. */
export function compareRuns(reference: Run, other: Run, stat: StatName, modules: readonly string[]) {
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
  const chosen = selectModules(reference, modules).filter((m) => other.modules.includes(m));
  if (chosen.length === 0) throw new FileError(`${reference.file} and ${other.file} have no module in common`);
  const byModule: Record<string, ModuleComparison> = {};
  for (const module of chosen) {
    const a = computeCurve(reference, module, stat);
    const b = computeCurve(other, module, stat);
    const rd = relativeDifference(a.mean, b.mean);
    byModule[module] = {
      relative_difference: rd.value,
      top_layers: rd.topLayers,
      ratios: rd.ratios,
      reference_kept: a.kept,
      other_kept: b.kept,
    };
  }
  return {
    reference: reference.file,
    other: other.file,
    stat,
    layers: reference.layerCount,
    identical_responses: countIdenticalResponses(reference, other),
    samples_compared: Math.min(reference.sampleCount, other.sampleCount),
    modules: byModule,
  };
}

/** The comparison as a table: one row per module (the pair is as the user gave it, so no pairing attribute). */
function comparisonTable(result: ReturnType<typeof compareRuns>): Table {
  return {
    columns: [
      { key: 'reference', label: 'Reference', kind: 'text' },
      { key: 'other', label: 'Other', kind: 'text' },
      { key: 'module', label: 'Module', kind: 'text' },
      { key: 'layers', label: 'Layers', kind: 'integer' },
      { key: 'value', label: 'Relative difference', kind: 'number' },
      { key: 'topLayers', label: 'Top layers', kind: 'layers' },
      { key: 'identical', label: 'Identical responses', kind: 'integer' },
    ],
    rows: Object.entries(result.modules).map(([module, m]) => ({
      reference: result.reference,
      other: result.other,
      module,
      layers: result.layers,
      value: m.relative_difference,
      topLayers: m.top_layers,
      identical: result.identical_responses,
    })),
  };
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
    const formats = ['json', 'csv', 'latex'].filter((f) => args.values[f] === true);
    if (formats.length > 1) throw new UsageError(`choose one of --${formats.join(', --')}`);
    if (args.positionals.length !== 2) {
      throw new UsageError(`compare needs exactly two files, A (reference) and B; got ${args.positionals.length}`);
    }
    const warn = (line: string) => process.stderr.write(line + '\n');
    const reference = await loadRun(args.positionals[0], warn);
    const other = await loadRun(args.positionals[1], warn);
    const result = compareRuns(reference, other, stat, modules);

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
      process.stdout.write(head + alignTable(header, rows, [false, true, false, true, true]));
    }
    return EXIT_OK;
  });
}
