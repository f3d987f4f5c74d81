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

  it('says clearly when a registered subcommand module is missing, and exits 1', async () => {
    const stderr = captureStderr();
    const registry: Record<string, Subcommand> = { ghost: { summary: 'not written yet', path: './cli/ghost.ts' } };
    expect(await main(['ghost', '--x'], registry)).toBe(1);
    expect(stderr.join('')).toBe('gradlens: the ghost command is not available in this checkout (scripts/cli/ghost.ts is missing)\n');
  });

  it('says which export is missing when the module lacks the entry function', async () => {
    const stderr = captureStderr();
    const registry: Record<string, Subcommand> = { odd: { summary: '', path: './cli/args.ts', entry: 'nope' } };
    expect(await main(['odd'], registry)).toBe(1);
    expect(stderr.join('')).toContain('scripts/cli/args.ts does not export nope(argv)');
  });

  it('passes the remaining arguments to the entry function and returns its exit code', async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const registry: Record<string, Subcommand> = { s: { summary: '', path: './cli/summarize.ts' } };
    expect(await main(['s', '--help'], registry)).toBe(0);
  });
});
