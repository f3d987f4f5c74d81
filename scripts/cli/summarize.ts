/**
 * `gradlens summarize FILE...`: per run and module, the curve of one statistic and its
 * MAD (all / early / middle / late), as an aligned table, JSON, CSV or LaTeX.
 */
import type { Run, StatName } from '../../src/core/format/run.ts';
import { countSkipped } from '../../src/core/format/skipLog.ts';
import { computeCurve } from '../../src/core/stats/computeCurve.ts';
import { computeMad, defaultSplits, validateSplits, type Mad } from '../../src/core/stats/mad.ts';
import { listStats, statModules } from '../../src/core/stats/statValues.ts';
import { toCsv, toLatex } from '../../src/core/stats/table.ts';
import { madTable } from '../../src/core/stats/tables.ts';
import {
  alignTable,
  expandInputs,
  EXIT_OK,
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

/** Usage, summary and options of `gradlens summarize` (parsing and --help). */
export const spec: CommandSpec = {
  usage: 'gradlens summarize FILE|DIR... [--stat NAME] [--module KEY]... [--splits A,B] [--json | --csv | --latex]',
  summary:
    'Per-layer curve (mean over samples without NaN) and MAD of each module, per file.\n' +
    'A folder stands for the statistics files below it (.jsonl, .json, .ndjson, .gz), in path order.\n' +
    'Lines the reader skips are reported on stderr as FILE:LINE: REASON (exit 0).\n' +
    'Exit 1 when a file cannot be read or holds no usable record, 2 for a bad command line\n' +
    '(unknown option, statistic or module, bad --splits). In JSON, NaN and ±Infinity are null.',
  options: [
    { name: 'stat', type: 'string', value: 'NAME', description: 'statistic (default S_sum; also S_ratio, S_sum_regularized, ...)' },
    { name: 'module', type: 'string', multiple: true, value: 'KEY', description: 'only these modules (repeatable or comma-separated; q, q_proj or self_attn.q_proj)' },
    { name: 'splits', type: 'string', value: 'A,B', description: 'MAD parts [0,A) [A,B) [B,L) instead of the defaults for the layer count' },
    { name: 'json', type: 'boolean', description: 'machine-readable JSON on stdout' },
    { name: 'csv', type: 'boolean', description: 'the MAD table as CSV (RFC 4180)' },
    { name: 'latex', type: 'boolean', description: 'the MAD table as a booktabs LaTeX table' },
    BUDGET_OPTION,
  ],
};

/** One module's summary, as written in the JSON output. */
interface ModuleSummary {
  /** Samples the curve averages (rows without NaN), and rows dropped for a NaN. */
  kept: number;
  dropped: number;
  curve: Float64Array;
  mad: Mad;
}

/** One run's summary, as written in the JSON output. */
interface RunSummary {
  file: string;
  name: string;
  samples: number;
  /** Records of another layer set than the run's, not in it (also in skipped). */
  setAside: number;
  /** Lines skipped, set-aside records included (the list below names at most the first 1000 and counts the rest in its last entry). */
  skippedLines: number;
  skipped: { line: number; reason: string }[];
  layers: number;
  stat: StatName;
  splits: [number, number];
  modules: Record<string, ModuleSummary>;
}

const SPARK = '▁▂▃▄▅▆▇█';

/** The curve in one character per layer, scaled from its smallest to its largest finite value; non-finite layers as '·'. */
export function sparkline(curve: ArrayLike<number>): string {
  const finite = Array.from(curve).filter(Number.isFinite);
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  return Array.from(curve, (x) => {
    if (!Number.isFinite(x)) return '·';
    const t = hi > lo ? (x - lo) / (hi - lo) : 0.5;
    return SPARK[Math.min(SPARK.length - 1, Math.floor(t * SPARK.length))];
  }).join('');
}

/** The statistic's summary for one run; UsageError for a statistic the run lacks or splits that do not fit. */
export function summarizeRun(run: Run, stat: StatName, modules: readonly string[], splits?: readonly number[]): RunSummary {
  if (!listStats(run).includes(stat)) {
    throw new UsageError(`unknown statistic "${stat}" in ${run.file}; statistics: ${listStats(run).join(', ') || '(none)'}`);
  }
  let used: [number, number];
  try {
    used = splits ? validateSplits(splits, run.layerCount) : defaultSplits(run.layerCount);
  } catch (e) {
    throw new UsageError(`${run.file}: ${(e as Error).message}`);
  }
  const counts = countSkipped(run.skipped);
  const out: RunSummary = {
    file: run.file,
    name: run.name,
    samples: run.sampleCount,
    setAside: counts.setAside,
    skippedLines: counts.lines,
    skipped: run.skipped.map((s) => ({ line: s.line, reason: s.reason })),
    layers: run.layerCount,
    stat,
    splits: used,
    // Null prototype: a module named __proto__ is a key like any other.
    modules: Object.create(null) as Record<string, ModuleSummary>,
  };
  // Without named modules, those that have the statistic (a follow-up run's Q×O pair has no S_sum).
  for (const module of modules.length ? selectModules(run, modules) : statModules(run, stat)) {
    const curve = computeCurve(run, module, stat);
    out.modules[module] = {
      kept: curve.kept,
      dropped: curve.dropped,
      curve: curve.mean,
      mad: computeMad(curve, splits ? used : undefined),
    };
  }
  return out;
}

/** Smallest and largest non-NaN value; [NaN, NaN] when there is none. */
function extent(curve: ArrayLike<number>): [number, number] {
  const values = Array.from(curve).filter((x) => !Number.isNaN(x));
  return values.length ? [Math.min(...values), Math.max(...values)] : [NaN, NaN];
}

function formatText(summary: RunSummary): string {
  const head =
    `${summary.file}\n  samples ${summary.samples}  skipped ${summary.skippedLines}  layers ${summary.layers}` +
    `  stat ${summary.stat}  splits ${summary.splits.join(',')}` +
    (summary.setAside > 0 ? `\n  ${summary.setAside} record(s) of other layer sets set aside (lines on stderr)` : '') +
    (summary.setAside >= summary.samples ? `: the curves use the most frequent layer set, ${summary.samples} of ${summary.samples + summary.setAside} records, not a majority` : '') +
    '\n';
  const rows = Object.entries(summary.modules).map(([module, m]) => [
    module,
    String(m.kept),
    String(m.dropped),
    formatNumber(m.mad.all),
    formatNumber(m.mad.early),
    formatNumber(m.mad.middle),
    formatNumber(m.mad.late),
    formatNumber(extent(m.curve)[0]),
    sparkline(m.curve),
    formatNumber(extent(m.curve)[1]),
  ]);
  const header = ['module', 'samples used', 'NaN rows', 'MAD all', 'early', 'middle', 'late', 'min', 'curve', 'max'];
  const right = [false, true, true, true, true, true, true, true, false, false];
  const body = alignTable(header, rows, right)
    .split('\n')
    .map((l) => (l ? '  ' + l : l))
    .join('\n');
  return head + body;
}

/** Entry point: `gradlens summarize …`; returns the exit code. */
export async function run(argv: string[]): Promise<number> {
  return runCommand(async () => {
    const args = parseCommandArgs(argv, spec);
    if (args.help) {
      process.stdout.write(formatHelp(spec));
      return EXIT_OK;
    }
    const stat = typeof args.values.stat === 'string' ? args.values.stat : 'S_sum';
    const splits = typeof args.values.splits === 'string' ? parseSplitsOption(args.values.splits) : undefined;
    const modules = listOption(args.values.module);
    const formats = ['json', 'csv', 'latex'].filter((f) => args.values[f] === true);
    if (formats.length > 1) throw new UsageError(`choose one of --${formats.join(', --')}`);
    if (args.positionals.length === 0) throw new UsageError('summarize needs at least one FILE or folder (see gradlens summarize --help)');
    const files = await expandInputs(args.positionals);

    const warn = (line: string) => process.stderr.write(line + '\n');
    const runs: Run[] = [];
    const summaries: RunSummary[] = [];
    for (const file of files) {
      const loaded = await loadRun(file, warn, budgetOption(args.values.budget));
      const summary = summarizeRun(loaded, stat, modules, splits);
      for (const [module, m] of Object.entries(summary.modules)) {
        if (m.kept === 0) warn(`${file}: ${module}: no sample without NaN (${m.dropped} dropped); its curve and MAD are NaN`);
      }
      summaries.push(summary);
      if (formats[0] === 'csv' || formats[0] === 'latex') {
        const kept = selectModules(loaded, modules);
        runs.push({ ...loaded, modules: kept });
      }
    }
    if (formats[0] === 'json') {
      process.stdout.write(toJsonOutput({ runs: summaries }) + '\n');
    } else if (formats[0] === 'csv' || formats[0] === 'latex') {
      const table = madTable(runs, stat, splits);
      process.stdout.write(formats[0] === 'csv' ? toCsv(table) : toLatex(table, `MAD of ${stat} by layer part`));
    } else {
      process.stdout.write(summaries.map(formatText).join('\n'));
    }
    return EXIT_OK;
  });
}
