/**
 * The `gradlens` command line: dispatches `gradlens <command> …` to a subcommand module
 * exporting `run(argv: string[]): Promise<number>` (the exit code). Each subcommand is
 * imported only when it runs (a static import() each, so the CLI bundle splits them
 * into their own chunks): `--help` and `summarize` never load the model code.
 * Run as `npx gradlens …` (bin/gradlens.cjs, the bundle built at install) or
 * `npm run gradlens -- …` (these sources through tsx).
 */
import { pathToFileURL } from 'node:url';

/** A subcommand's entry: argv after the command name → exit code. */
export type SubcommandEntry = (argv: string[]) => Promise<number>;

/** A registry entry: what `gradlens --help` says and how to load the entry. */
export interface Subcommand {
  summary: string;
  load: () => Promise<SubcommandEntry>;
}

/** The registry: add a subcommand by adding its module here. */
export const COMMANDS: Readonly<Record<string, Subcommand>> = {
  summarize: { summary: 'curves and MAD (all / early / middle / late) of statistics files', load: async () => (await import('./cli/summarize.ts')).run },
  compare: { summary: 'relative difference of run B against run A, per module', load: async () => (await import('./cli/compare.ts')).run },
  pairs: {
    summary: 'pair files by their paths and tabulate the relative difference of each pair',
    load: async () => (await import('./cli/pairs.ts')).run,
  },
  compute: { summary: 'compute gradient statistics of a small model on a dataset', load: async () => (await import('./cli/compute.ts')).run },
  experiment: {
    summary: 'compute the fast-vs-slow experiment (every setting, correct and irrelevant)',
    load: async () => (await import('./cli/compute.ts')).runExperimentCli,
  },
};

function usage(commands: Readonly<Record<string, Subcommand>>): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return (
    'usage: gradlens <command> [options]\n\n' +
    'Layer-wise gradient statistics of language models (Layer_Gradient JSONL files).\n\n' +
    `commands:\n${lines.join('\n')}\n\n` +
    'Run `gradlens <command> --help` for its options.\n'
  );
}

/**
 * Runs the command line `argv` (without node and script paths) against `commands`
 * (the registry; replaceable for tests); resolves to the exit code: the subcommand's,
 * 2 for no or an unknown command.
 */
export async function main(argv: readonly string[], commands: Readonly<Record<string, Subcommand>> = COMMANDS): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const out = usage(commands);
    if (name === undefined) {
      process.stderr.write(out);
      return 2;
    }
    process.stdout.write(out);
    return 0;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    process.stderr.write(`gradlens: unknown command "${name}"; commands: ${Object.keys(commands).join(', ')}\n`);
    return 2;
  }
  return (await command.load())(rest);
}

// Not a top-level await: the bundle is CommonJS (scripts/cli/bundle.mjs).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
