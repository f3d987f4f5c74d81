// @vitest-environment jsdom
import { render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { computeCurve } from '../../../src/core/stats/computeCurve.ts';
import { relativeDifference } from '../../../src/core/stats/relativeDifference.ts';
import RelativeDifferenceTable from '../../../src/lib/tables/RelativeDifferenceTable.svelte';
import { LLAMA_MODULES, makeEntry, makeRun } from '../makeRun.ts';

const meta = { task: 'cot_500', model: 'llama3_8b', variant: 'base' as const, dataset: 'gsm8k_train', setting: 'none' };
const correct = makeRun({
  id: 'c',
  layers: 8,
  meta: { ...meta, correctness: 'correct' },
  value: (s, l, m) => 10 + l * (m + 1) + s,
  text: (s) => ({ instruction: `q${s}`, input: '', output: `a${s}` }),
});
const irrelevant = makeRun({
  id: 'i',
  layers: 8,
  meta: { ...meta, correctness: 'irrelevant' },
  value: (s, l, m) => 12 + l * (m + 2) - s,
  // Samples 0 and 2 repeat the correct answer.
  text: (s) => ({ instruction: `q${s}`, input: '', output: s === 1 ? 'other' : `a${s}` }),
});

describe('RelativeDifferenceTable', () => {
  it('shows the core’s relative difference and top layers for each module of the pair', () => {
    const { container } = render(RelativeDifferenceTable, { entries: [makeEntry(irrelevant), makeEntry(correct)], stat: 'S_sum', modules: LLAMA_MODULES });
    expect(container.querySelector('caption')?.textContent).toContain('Relative difference');
    for (const module of correct.modules) {
      const rd = relativeDifference(computeCurve(correct, module, 'S_sum').mean, computeCurve(irrelevant, module, 'S_sum').mean);
      const cell = container.querySelector(`[data-reference="c"][data-other="i"][data-module="${module}"]`);
      expect(Number(cell?.getAttribute('data-value'))).toBe(rd.value);
      expect(cell?.querySelector('[data-testid="top-layers"]')?.textContent).toBe(rd.topLayers.join(', '));
    }
  });

  it('counts the samples whose responses are identical', () => {
    const { getByTestId } = render(RelativeDifferenceTable, { entries: [makeEntry(correct), makeEntry(irrelevant)], stat: 'S_sum', modules: LLAMA_MODULES });
    expect(getByTestId('identical-count').textContent).toBe('2');
  });

  it('says so when no runs pair', () => {
    const { container } = render(RelativeDifferenceTable, { entries: [makeEntry(makeRun({ id: 'x' }))], stat: 'S_sum', modules: LLAMA_MODULES });
    expect(container.textContent).toContain('No pairs');
    expect(container.querySelector('table')).toBeNull();
  });

  it('reports a pair whose layer counts differ instead of failing', () => {
    const short = makeRun({ id: 's', layers: 6, meta: { ...meta, correctness: 'irrelevant' } });
    const { container } = render(RelativeDifferenceTable, { entries: [makeEntry(correct), makeEntry(short)], stat: 'S_sum', modules: LLAMA_MODULES });
    expect(container.textContent).toContain('not compared');
  });
});
