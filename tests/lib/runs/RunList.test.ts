// @vitest-environment jsdom
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { File as NodeFile } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import RunList from '../../../src/lib/runs/RunList.svelte';
import { APP_STATE_KEY, AppState } from '../../../src/lib/state/AppState.svelte.ts';
import { memoryRunStore } from '../../../src/storage/runStore.ts';
import { parseHandler } from '../../../src/workers/parseHandler.ts';
import { statsFile } from '../state/statsLines.ts';

const PATHS = [
  'cot_500/llama3_8b/grads_gsm8k_train_with_cot_gpt4o.jsonl',
  'cot_500/llama3_8b/grads_gsm8k_train_no_cot.jsonl',
  'cot_500_wrong_answer_shuffle/qwen2_1.5b_it_new/grads_math_no_cot.jsonl',
];

async function setup() {
  const app = new AppState({ parser: parseHandler, store: memoryRunStore(), demo: async () => [] });
  await app.start('?run=');
  await app.loadFiles(PATHS.map((path, i) => ({ // jsdom's File has no stream(); Node's has, as browsers do.
      file: new NodeFile([statsFile(2 + i, 3)], path.split('/').pop()!) as unknown as File, path })));
  render(RunList, { context: new Map([[APP_STATE_KEY, app]]) });
  return app;
}

const items = () => screen.getAllByTestId('run-item');

describe('RunList', () => {
  it('shows each run on one line with its samples × layers, its path’s facts on hover, in None → Detailed order', async () => {
    await setup();
    expect(items().map((li) => li.dataset.ref)).toEqual([PATHS[1], PATHS[0], PATHS[2]]);
    const qwen = items()[2];
    expect(qwen.title).toMatch(/^qwen2_1\.5b · instruct · math · None CoT · irrelevant · 4 samples · 3 layers · /);
    // Shown as "4×3", read (and found) as words.
    expect(within(qwen).getByText('4 samples, 3 layers').parentElement?.textContent).toBe('4 samples, 3 layers4×3');
    expect(within(qwen).getByText('4×3').getAttribute('aria-hidden')).toBe('true');
  });

  it('renames, recolors, hides and removes a run through its controls', async () => {
    const app = await setup();
    const first = within(items()[0]);
    const id = items()[0].dataset.run!;
    await fireEvent.click(first.getByRole('button', { name: /^Rename/ }));
    const name = first.getByRole('textbox');
    await fireEvent.change(name, { target: { value: 'Fast' } });
    await fireEvent.blur(name);
    expect(within(items()[0]).getByRole('button', { name: /^Rename/ }).textContent).toBe('Fast');
    expect(app.entries.find((e) => e.run.id === id)!.label).toBe('Fast');
    // Colours follow the runs' settings; a colour picked for one run overrides them, and a click brings them back.
    const ref = items()[0].dataset.ref!;
    const line = () => items()[0].querySelector('[data-testid="run-swatch"] line')!.getAttribute('stroke');
    const encoded = line();
    await fireEvent.change(first.getByLabelText(/^Color of/), { target: { value: '#ff0000' } });
    expect(app.settings.colors[ref]).toBe('#ff0000');
    expect(line()).toBe('#ff0000');
    await fireEvent.click(within(items()[0]).getByRole('button', { name: /^Reset the colour/ }));
    expect(app.settings.colors).toEqual({});
    expect(line()).toBe(encoded);
    await fireEvent.click(within(items()[0]).getByRole('checkbox'));
    expect(app.entries.find((e) => e.run.id === id)!.hidden).toBe(true);
    expect(app.visibleEntries.map((e) => e.run.id)).not.toContain(id);
    await fireEvent.click(within(items()[0]).getByRole('button', { name: /^Remove/ }));
    expect(app.entries.map((e) => e.run.id)).not.toContain(id);
    expect(items()).toHaveLength(2);
  });

  it('keeps the old name when a rename is left blank', async () => {
    const app = await setup();
    const before = app.entries[0].label;
    await fireEvent.click(within(items()[0]).getByRole('button', { name: /^Rename/ }));
    await fireEvent.change(within(items()[0]).getByRole('textbox'), { target: { value: '   ' } });
    expect(app.entries[0].label).toBe(before);
  });

  it('filters by text and groups by an attribute', async () => {
    await setup();
    await fireEvent.input(screen.getByLabelText('Filter runs'), { target: { value: 'llama' } });
    expect(items().map((li) => li.dataset.ref)).toEqual([PATHS[1], PATHS[0]]);
    await fireEvent.input(screen.getByLabelText('Filter runs'), { target: { value: '' } });
    await fireEvent.change(screen.getByLabelText('Group runs by'), { target: { value: 'setting' } });
    const headings = screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent?.replace(/\s+/g, ' ').trim());
    expect(headings).toEqual(['None CoT (2)', 'Detailed CoT (1)']);
  });
});
