/**
 * `gradlens pairs FILE...`: pairs the files automatically by what their paths say
 * (release layout; runs differing only in correctness, setting or variant) and reports
 * the relative difference of each pair per module — the study's comparison table.
 */
import type { Run } from '../../src/core/format/run.ts';
import { describeRun } from '../../src/core/format/runPath.ts';
import { pairRuns } from '../../src/core/stats/pairRuns.ts';
import { listStats } from '../../src/core/stats/statValues.ts';
import { toCsv, toLatex } from '../../src/core/stats/table.ts';
import { relativeDifferenceTable } from '../../src/core/stats/tables.ts';
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
  runCommand,
  selectModules,
  toJsonOutput,
  UsageError,
  type CommandSpec,
} from './args.ts';

/** Usage, summary and options of `gradlens pairs` (parsing and --help). */
export const spec: CommandSpec = {
  usage: 'gradlens pairs FILE|DIR... [--stat NAME] [--module KEY]... [--json | --csv | --latex]',
  summary:
    'Pairs files whose release paths (<task>[_wrong_answer_shuffle]/<model>[_it_new]/grads_<dataset>_<setting>.jsonl)\n' +
    'differ in exactly one of correctness, setting or variant, and reports the relative difference of\n' +
    'each pair per module. Reference: the correct run, the faster setting (None → Simplified → Detailed\n' +
    "CoT), the base model. A folder stands for the statistics files below it (a release tree).\n" +
    "Every file is held in memory: pass one model's files at a time.\n" +
    'Exit 1 when a file cannot be used or no two files pair, 2 for a bad command line. In JSON, NaN and ±Infinity are null.',
  options: [
    { name: 'stat', type: 'string', value: 'NAME', description: 'statistic (default S_sum)' },
    { name: 'module', type: 'string', multiple: true, value: 'KEY', description: 'only these modules (q, q_proj or self_attn.q_proj; repeatable)' },
    { name: 'json', type: 'boolean', description: 'machine-readable JSON on stdout' },
    { name: 'csv', type: 'boolean', description: 'the table as CSV (RFC 4180)' },
    { name: 'latex', type: 'boolean', description: 'the table as a booktabs LaTeX table' },
    BUDGET_OPTION,
  ],
};

/** Entry point: `gradlens pairs …`; returns the exit code. */
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
    const files = await expandInputs(args.positionals);
    if (files.length < 2) throw new UsageError('pairs needs at least two FILEs, or folders holding them (see gradlens pairs --help)');

    const warn = (line: string) => process.stderr.write(line + '\n');
    const runs: Run[] = [];
    for (const file of files) {
      const loaded = await loadRun(file, warn, budgetOption(args.values.budget));
      if (!listStats(loaded).includes(stat)) {
        throw new UsageError(`unknown statistic "${stat}" in ${file}; statistics: ${listStats(loaded).join(', ') || '(none)'}`);
      }
      // Labels from the path, so the table says which run is which; modules narrowed to the selection.
      runs.push({ ...loaded, name: describeRun(loaded.meta, loaded.name), modules: selectModules(loaded, modules) });
    }
    const pairs = pairRuns(runs);
    if (pairs.length === 0) {
      throw new FileError('no two files pair: their paths must differ in exactly one of correctness, setting or variant');
    }
    for (const p of pairs) {
      if (p.reference.layerCount !== p.other.layerCount) {
        throw new FileError(
          `cannot compare ${p.reference.file} (${p.reference.layerCount} layers) with ${p.other.file} (${p.other.layerCount} layers)`,
        );
      }
    }
    const perPair = pairs.map((p) => relativeDifferenceTable([p], stat));
    const table = { columns: perPair[0].columns, rows: perPair.flatMap((t) => t.rows) };

    if (formats[0] === 'json') {
      const out = pairs.map((p, i) => {
        const rows = perPair[i].rows;
        return {
          reference: p.reference.file,
          other: p.other.file,
          differs_in: p.differsIn,
          layers: p.reference.layerCount,
          identical_responses: rows[0]?.identical ?? null,
          modules: Object.fromEntries(rows.map((r) => [r.module, { relative_difference: r.value, top_layers: r.topLayers }])),
        };
      });
      process.stdout.write(toJsonOutput({ stat, pairs: out }) + '\n');
    } else if (formats[0] === 'csv') {
      process.stdout.write(toCsv(table));
    } else if (formats[0] === 'latex') {
      process.stdout.write(toLatex(table, `Relative difference of ${stat} between paired runs`));
    } else {
      const rows = table.rows.map((r) => [
        r.reference,
        r.other,
        r.differsIn,
        r.module,
        formatNumber(r.value),
        r.topLayers.join(' '),
        r.identical === null ? '' : String(r.identical),
      ]);
      const header = ['reference', 'other', 'differs in', 'module', 'rel. diff', 'top layers', 'identical'];
      process.stdout.write(`stat ${stat}\n` + alignTable(header, rows, [false, false, false, false, true, false, true]));
    }
    return EXIT_OK;
  });
}
