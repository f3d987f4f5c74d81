// @vitest-environment jsdom
import { render, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { computeCurve } from '../../../src/core/stats/computeCurve.ts';
import { relativeDifference } from '../../../src/core/stats/relativeDifference.ts';
import { comparisonSide } from '../../../src/core/stats/resampling/comparisonSide.ts';
import { compareResampled } from '../../../src/core/stats/resampling/compareResampled.ts';
import { toCsv, toLatex } from '../../../src/core/stats/table.ts';
import { ComparisonStore, type CompareFn } from '../../../src/lib/stats/comparisons.svelte.ts';
import RelativeDifferenceTable from '../../../src/lib/tables/RelativeDifferenceTable.svelte';
import { groupByPair, rdStudyTable, rdTableData } from '../../../src/lib/tables/rdRows.ts';
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

  it('shows each pair’s 95% interval and stars by p once resampled, and exports lo, hi and p', async () => {
    const core: CompareFn = async (x, y, o) => compareResampled(comparisonSide(x, o.stat, x.modules), comparisonSide(y, o.stat, y.modules), { ...o, useKernel: false });
    const comparisons = new ComparisonStore(core, 500);
    comparisons.want('test', [{ a: correct, b: irrelevant, stat: 'S_sum', splits: null }]);
    const entries = [makeEntry(correct), makeEntry(irrelevant)];
    const { container } = render(RelativeDifferenceTable, { entries, stat: 'S_sum', modules: LLAMA_MODULES, comparisons });
    await waitFor(() => expect(container.querySelectorAll('[data-testid="rd-interval"]').length).toBe(4));
    const expected = compareResampled(comparisonSide(correct, 'S_sum', correct.modules), comparisonSide(irrelevant, 'S_sum', irrelevant.modules), { resamples: 500, seed: 1, useKernel: false });
    for (const m of expected.modules) {
      const cell = container.querySelector(`[data-module="${m.module}"] [data-testid="rd-interval"]`);
      expect(Number(cell?.getAttribute('data-lo'))).toBe(m.relativeDifference.lo);
      expect(Number(cell?.getAttribute('data-hi'))).toBe(m.relativeDifference.hi);
      expect(Number(cell?.getAttribute('data-p'))).toBe(m.relativeDifference.p);
      expect(m.relativeDifference.lo).toBeLessThanOrEqual(m.relativeDifference.hi);
    }
    expect(container.querySelector('[data-testid="rd-pairing"]')?.textContent).toBe('3 paired by instruction; sign-flip test, exact');
    expect(container.textContent).toContain('* p < 0.05, ** p < 0.01, *** p < 0.001');
    // The export carries the same numbers: lo, hi and p under each module.
    const q = expected.modules.find((m) => m.module === 'self_attn.q_proj')!.relativeDifference;
    const table = rdStudyTable(groupByPair(rdTableData(entries, 'S_sum')), LLAMA_MODULES, 3, () => q);
    const [header, row] = toCsv(table).split('\r\n');
    expect(header).toContain('self_attn.q_proj.value,self_attn.q_proj.lo,self_attn.q_proj.hi,self_attn.q_proj.p,self_attn.q_proj.top');
    expect(row).toContain(`${q.lo},${q.hi},${q.p}`);
    expect(toLatex(table, 'RD').match(/95\\% lo/g)?.length).toBe(4);
  });
});
