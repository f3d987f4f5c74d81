import { afterEach, describe, expect, it, vi } from 'vitest';
import { COMMANDS, main, type Subcommand } from '../../scripts/gradlens.ts';

function captureStderr() {
  const lines: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  return lines;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the gradlens subcommand registry', () => {
  it('registers summarize, compare, pairs, compute and experiment', () => {
    expect(Object.keys(COMMANDS)).toEqual(['summarize', 'compare', 'pairs', 'compute', 'experiment']);
  });

  it('loads a subcommand only when it runs, passes it the remaining arguments and returns its exit code', async () => {
    const calls: string[][] = [];
    const load = vi.fn(async () => async (argv: string[]) => (calls.push(argv), 7));
    const registry: Record<string, Subcommand> = { one: { summary: 'first', load }, two: { summary: 'second', load: vi.fn() } };
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    expect(await main(['--help'], registry)).toBe(0);
    expect(load).not.toHaveBeenCalled();
    expect(await main(['one', '--x', 'y'], registry)).toBe(7);
    expect(calls).toEqual([['--x', 'y']]);
    expect(registry.two.load).not.toHaveBeenCalled();
  });

  it('exits 2 with one line listing the commands for an unknown one', async () => {
    const stderr = captureStderr();
    expect(await main(['ghost'], { a: { summary: '', load: vi.fn() } })).toBe(2);
    expect(stderr.join('')).toBe('gradlens: unknown command "ghost"; commands: a\n');
  });

  it('loads every registered subcommand\'s entry function', async () => {
    for (const [name, command] of Object.entries(COMMANDS)) expect(typeof (await command.load()), name).toBe('function');
  });
});
