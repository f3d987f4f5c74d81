/**
 * The `gradlens` command line: dispatches `gradlens <command> …` to a subcommand module
 * exporting `run(argv: string[]): Promise<number>` (the exit code). Subcommands load
 * lazily, so one that is missing or broken does not stop the others.
 * Run as `npx gradlens …` (bin/gradlens.mjs) or `npm run gradlens -- …`.
 */
import { pathToFileURL } from 'node:url';

/** What every subcommand module exports. */
export interface SubcommandModule {
  run(argv: string[]): Promise<number>;
}

/** A registry entry: what `gradlens --help` says and where the module lives. */
export interface Subcommand {
  summary: string;
  /** Module path relative to this file. */
  path: string;
  /** The exported entry function (default `run`). */
  entry?: string;
}

/** The registry: add a subcommand by adding its module here. */
export const COMMANDS: Readonly<Record<string, Subcommand>> = {
  summarize: { summary: 'curves and MAD (all / early / middle / late) of statistics files', path: './cli/summarize.ts' },
  compare: { summary: 'relative difference of run B against run A, per module', path: './cli/compare.ts' },
  pairs: { summary: 'pair files by their paths and tabulate the relative difference of each pair', path: './cli/pairs.ts' },
  compute: { summary: 'compute gradient statistics of a small model on a dataset', path: './cli/compute.ts' },
  experiment: {
    summary: 'compute the fast-vs-slow experiment (every setting, correct and irrelevant)',
    path: './cli/compute.ts',
    entry: 'runExperimentCli',
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

async function load(name: string, command: Subcommand): Promise<SubcommandModule | null> {
  const url = new URL(command.path, import.meta.url);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url.href)) as Record<string, unknown>;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && String((e as Error).message).includes(command.path.slice(2))) {
      process.stderr.write(`gradlens: the ${name} command is not available in this checkout (${command.path.replace('./', 'scripts/')} is missing)\n`);
      return null;
    }
    throw e;
  }
  const entry = mod[command.entry ?? 'run'];
  if (typeof entry !== 'function') {
    process.stderr.write(`gradlens: ${command.path.replace('./', 'scripts/')} does not export ${command.entry ?? 'run'}(argv)\n`);
    return null;
  }
  return { run: entry as SubcommandModule['run'] };
}

/**
 * Runs the command line `argv` (without node and script paths) against `commands`
 * (the registry; replaceable for tests); resolves to the exit code: the subcommand's,
 * 2 for no or an unknown command, 1 when the subcommand's module is missing.
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
  const mod = await load(name, command);
  if (!mod) return 1;
  return mod.run(rest);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
