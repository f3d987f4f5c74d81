// @vitest-environment jsdom
import { render, screen } from '@testing-library/svelte';
import { File as NodeFile } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import ProblemsPanel from '../../../src/lib/loading/ProblemsPanel.svelte';
import { APP_STATE_KEY, AppState } from '../../../src/lib/state/AppState.svelte.ts';
import { memoryRunStore } from '../../../src/storage/runStore.ts';
import { parseHandler } from '../../../src/workers/parseHandler.ts';
import { statsLine } from '../state/statsLines.ts';

// jsdom's File has no stream(); Node's has, as browsers do.
const file = (path: string, text: string) => ({ file: new NodeFile([text], path) as unknown as File, path });

async function appWithProblems() {
  const app = new AppState({ parser: parseHandler, store: memoryRunStore(), demo: async () => [] });
  await app.start('?run=');
  await app.loadFiles([
    file('<b>odd</b>.jsonl', [statsLine(0, 2), '{"cut', statsLine(1, 2)].join('\n')),
    file('nothing.jsonl', 'just words\n'),
  ]);
  return app;
}

describe('ProblemsPanel', () => {
  it('lists skipped lines with their numbers and files that could not be read', async () => {
    const app = await appWithProblems();
    render(ProblemsPanel, { props: { open: true }, context: new Map([[APP_STATE_KEY, app]]) });
    const lines = screen.getAllByTestId('problem');
    expect(lines.map((l) => l.dataset.line)).toContain('2');
    expect(screen.getByText(/^Line 2:/)).toBeTruthy();
    expect(screen.getByText(/^Not loaded/).closest('[data-file]')?.getAttribute('data-file')).toBe('nothing.jsonl');
  });

  it('shows file names as text, never as markup', async () => {
    const app = await appWithProblems();
    const { container } = render(ProblemsPanel, { props: { open: true }, context: new Map([[APP_STATE_KEY, app]]) });
    expect(screen.getByText('<b>odd</b>.jsonl')).toBeTruthy();
    expect(container.querySelector('b')).toBeNull();
  });

  it('renders nothing while closed', async () => {
    const app = await appWithProblems();
    const { container } = render(ProblemsPanel, { props: { open: false }, context: new Map([[APP_STATE_KEY, app]]) });
    expect(container.querySelector('[data-testid="problems-panel"]')).toBeNull();
  });
});

describe('ProblemsPanel on a file of more skipped lines than it lists', () => {
  it('counts every skipped line, not only those listed', async () => {
    const app = new AppState({ parser: parseHandler, store: memoryRunStore(), demo: async () => [] });
    await app.start('?run=');
    await app.loadFiles([file('many.jsonl', [statsLine(0, 2), ...Array.from({ length: 1200 }, () => '{bad'), statsLine(1, 2)].join('\n'))]);
    render(ProblemsPanel, { props: { open: true }, context: new Map([[APP_STATE_KEY, app]]) });
    expect(screen.getByText(/lines skipped; the rest of the file was loaded/).textContent).toBe('1200 lines skipped; the rest of the file was loaded.');
  });
});
