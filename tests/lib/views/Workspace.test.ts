// @vitest-environment jsdom
import { fireEvent, render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import Workspace from '../../../src/lib/views/Workspace.svelte';
import { DEFAULT_VIEW, type ViewSettings } from '../../../src/lib/state/types.ts';
import { makeEntry, makeRun } from '../makeRun.ts';

function setup(settings: Partial<ViewSettings> = {}) {
  const entries = [
    makeEntry(makeRun({ id: 'a', meta: { setting: 'none', correctness: 'correct' } }), 'None CoT'),
    makeEntry(makeRun({ id: 'b', meta: { setting: 'detailed', correctness: 'correct' }, value: (s, l, m) => 5 + l + m + s }), 'Detailed CoT'),
  ];
  return render(Workspace, { entries, settings: { ...DEFAULT_VIEW, ...settings } });
}

describe('Workspace', () => {
  it('offers every statistic, derived ones included', () => {
    const { getByLabelText } = setup();
    const options = [...(getByLabelText('Statistic') as HTMLSelectElement).options].map((o) => o.value);
    expect(options).toEqual(['S_sum', 'S_max', 'S_min', 'S_ratio', 'S_sum_regularized']);
  });

  it('switches the view and statistic from the toolbar', async () => {
    const { getByLabelText, container } = setup();
    expect(container.querySelectorAll('path[data-testid="curve"]').length).toBe(8);
    await fireEvent.change(getByLabelText('View'), { target: { value: 'overlay' } });
    // Overlay: one panel per module, each with both runs; a ratio strip beneath each.
    expect(container.querySelectorAll('path[data-testid="curve"]').length).toBe(8);
    expect(container.querySelectorAll('path[data-testid="strip-line"]').length).toBe(4);
    await fireEvent.change(getByLabelText('View'), { target: { value: 'heatmap' } });
    expect(container.querySelectorAll('[data-testid="heatmap"]').length).toBe(2);
    expect(container.querySelectorAll('rect[data-testid="heatmap-cell"]').length).toBe(2 * 4 * 4);
  });

  it('warns that S_min is numerical noise when it is selected', async () => {
    const { getByLabelText, queryByTestId, findByTestId } = setup();
    expect(queryByTestId('smin-note')).toBeNull();
    await fireEvent.change(getByLabelText('Statistic'), { target: { value: 'S_min' } });
    expect((await findByTestId('smin-note')).textContent).toContain('numerical noise');
  });

  it('opens the drill-down for a layer chosen with the keyboard, shows a picked sample, and closes on Escape', async () => {
    const { container, findAllByTestId, findByTestId, queryByTestId } = setup();
    const grid = container.querySelector('[role="group"][tabindex="0"]') as HTMLElement;
    await fireEvent.focus(grid);
    await fireEvent.keyDown(grid, { key: 'ArrowRight' });
    await fireEvent.keyDown(grid, { key: 'ArrowRight' });
    await fireEvent.keyDown(grid, { key: 'Enter' });
    expect((await findByTestId('drilldown')).textContent).toContain('Layer 2');
    const items = await findAllByTestId('sample-item');
    await fireEvent.click(items[0]);
    expect((await findByTestId('sample-instruction')).textContent).toMatch(/^instruction \d$/);
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(queryByTestId('drilldown')).toBeNull();
  });

  it('shows the MAD and relative-difference tables, with figure export buttons first', () => {
    const { container, getAllByRole } = setup();
    const captions = [...container.querySelectorAll('caption')].map((c) => c.textContent ?? '');
    expect(captions.some((c) => c.includes('MAD'))).toBe(true);
    expect(captions.some((c) => c.includes('Relative difference'))).toBe(true);
    const names = getAllByRole('button', { name: /^Export/ }).map((b) => b.getAttribute('aria-label'));
    expect(names.slice(0, 3)).toEqual(['Export SVG', 'Export PNG', 'Export CSV']);
    expect(names).toContain('Export LaTeX: Relative difference table');
  });
});

describe('Workspace while files are read', () => {
  it('draws each run as it arrives but makes the tables once the load is done', async () => {
    const a = makeEntry(makeRun({ id: 'a', meta: { setting: 'none', correctness: 'correct' } }), 'None CoT');
    const b = makeEntry(makeRun({ id: 'b', meta: { setting: 'detailed', correctness: 'correct' }, value: (s, l, m) => 5 + l + m + s }), 'Detailed CoT');
    const { container, rerender } = render(Workspace, { entries: [a], settings: { ...DEFAULT_VIEW }, loading: true });
    const madRows = () => container.querySelectorAll('[data-testid="mad-table"] tbody tr').length;
    expect(madRows()).toBe(0);
    await rerender({ entries: [a, b], loading: true });
    expect(new Set([...container.querySelectorAll('path[data-testid="curve"]')].map((p) => p.getAttribute('data-run')))).toEqual(new Set(['a', 'b']));
    expect(madRows()).toBe(0);
    await rerender({ entries: [a, b], loading: false });
    expect(madRows()).toBe(2);
  });
});

describe('Workspace without a pointer', () => {
  it('opens a layer typed into the layer field', async () => {
    const { getByLabelText, findByTestId } = setup();
    await fireEvent.change(getByLabelText('open layer'), { target: { value: '1' } });
    expect((await findByTestId('drilldown')).textContent).toContain('Layer 1');
  });
});
