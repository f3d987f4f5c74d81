// @vitest-environment jsdom
import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { computeCurve } from '../../../src/core/stats/computeCurve.ts';
import { computeMad } from '../../../src/core/stats/mad.ts';
import { comparisonSide } from '../../../src/core/stats/resampling/comparisonSide.ts';
import { compareResampled } from '../../../src/core/stats/resampling/compareResampled.ts';
import { pairRequests } from '../../../src/lib/stats/comparisonRequests.ts';
import { ComparisonStore, type CompareFn } from '../../../src/lib/stats/comparisons.svelte.ts';
import MadTable from '../../../src/lib/tables/MadTable.svelte';
import { LLAMA_MODULES, makeEntry, makeRun } from '../makeRun.ts';

const PARTS = ['early', 'middle', 'late', 'all'] as const;

// Curves with uneven steps so every part's MAD differs: value = (l² mod 7) · (m + 1) + s.
const run = makeRun({ id: 'r1', layers: 12, samples: 3, value: (s, l, m) => ((l * l) % 7) * (m + 1) + s });
const other = makeRun({ id: 'r2', layers: 12, samples: 2, value: (s, l, m) => l * (m + 2) + s * 0.5 });

describe('MadTable', () => {
  it('shows, for every run × module and part, the core’s computeMad value in data-value', () => {
    const { container } = render(MadTable, { entries: [makeEntry(run), makeEntry(other)], stat: 'S_sum', splits: null, modules: LLAMA_MODULES });
    expect(container.querySelector('caption')?.textContent).toContain('MAD');
    for (const r of [run, other]) {
      for (const module of r.modules) {
        const mad = computeMad(computeCurve(r, module, 'S_sum'));
        for (const part of PARTS) {
          const cell = container.querySelector(`[data-run="${r.id}"][data-module="${module}"][data-part="${part}"]`);
          expect(cell, `${r.id} ${module} ${part}`).not.toBeNull();
          expect(Number(cell?.getAttribute('data-value'))).toBe(mad[part]);
        }
      }
    }
    expect(container.querySelectorAll('td[data-part]').length).toBe(2 * 4 * 4);
    // The study's layout: one row per run, a heading per module over its four parts.
    expect(container.querySelectorAll('tbody tr').length).toBe(2);
    expect([...container.querySelectorAll('th[scope="colgroup"]')].map((t) => t.textContent)).toEqual(['Q', 'K', 'V', 'O']);
  });

  it('writes each column with one fixed number of decimals, and shows only the modules asked for', () => {
    const { container } = render(MadTable, { entries: [makeEntry(run), makeEntry(other)], stat: 'S_sum', splits: null, modules: LLAMA_MODULES.slice(0, 2) });
    expect([...container.querySelectorAll('th[scope="colgroup"]')].map((t) => t.textContent)).toEqual(['Q', 'K']);
    for (const part of PARTS) {
      const texts = [...container.querySelectorAll(`td[data-module="self_attn.q_proj"][data-part="${part}"]`)].map((c) => c.textContent ?? '');
      const decimals = new Set(texts.map((t) => (t.includes('.') ? t.split('.')[1].length : 0)));
      expect(decimals.size, part).toBe(1);
    }
  });

  it('uses the given split points and names them in the caption', () => {
    const { container } = render(MadTable, { entries: [makeEntry(run)], stat: 'S_sum', splits: [2, 8], modules: LLAMA_MODULES });
    const mad = computeMad(computeCurve(run, 'self_attn.k_proj', 'S_sum'), [2, 8]);
    const cell = container.querySelector('[data-run="r1"][data-module="self_attn.k_proj"][data-part="middle"]');
    expect(Number(cell?.getAttribute('data-value'))).toBe(mad.middle);
    expect(container.querySelector('caption')?.textContent).toContain('splits at layers 2 and 8');
  });

  it('recomputes when a split input changes and rejects impossible splits with a reason', async () => {
    const { container, getByLabelText, findByRole } = render(MadTable, { entries: [makeEntry(run)], stat: 'S_sum', splits: null, modules: LLAMA_MODULES });
    const early = getByLabelText(/early ends at layer/) as HTMLInputElement;
    expect(early.value).toBe('3'); // 12 layers → quarters: [3, 9]
    await fireEvent.change(early, { target: { value: '5' } });
    const mad = computeMad(computeCurve(run, 'self_attn.q_proj', 'S_sum'), [5, 9]);
    const cell = container.querySelector('[data-run="r1"][data-module="self_attn.q_proj"][data-part="early"]');
    expect(Number(cell?.getAttribute('data-value'))).toBe(mad.early);
    await fireEvent.change(early, { target: { value: '11' } });
    expect((await findByRole('alert')).textContent).toContain('bad splits');
  });

  it('offers CSV and LaTeX export under distinct accessible names', () => {
    const { getByRole } = render(MadTable, { entries: [makeEntry(run)], stat: 'S_sum', splits: null, modules: LLAMA_MODULES });
    expect(getByRole('button', { name: 'Export CSV: MAD table' })).toBeTruthy();
    expect(getByRole('button', { name: 'Export LaTeX: MAD table' })).toBeTruthy();
  });

  it('lists the MAD differences of paired runs with the core’s interval and p, one part at a time', async () => {
    const meta = { task: 'cot_500', model: 'llama3_8b', variant: 'base' as const, dataset: 'gsm8k_train', setting: 'none' };
    const text = (s: number) => ({ instruction: `q${s}`, input: '', output: `a${s}` });
    const correct = makeRun({ id: 'c', layers: 12, samples: 5, meta: { ...meta, correctness: 'correct' }, value: (s, l, m) => ((l * l) % 7) * (m + 1) + s, text });
    const irrelevant = makeRun({ id: 'i', layers: 12, samples: 5, meta: { ...meta, correctness: 'irrelevant' }, value: (s, l, m) => ((l * l) % 5) * (m + 2) + s * 0.3, text });
    const core: CompareFn = async (x, y, o) => compareResampled(comparisonSide(x, o.stat, x.modules), comparisonSide(y, o.stat, y.modules), { ...o, useKernel: false });
    const comparisons = new ComparisonStore(core, 300);
    comparisons.want('test', [{ a: correct, b: irrelevant, stat: 'S_sum', splits: null }]);
    const { container, getByLabelText } = render(MadTable, { entries: [makeEntry(correct), makeEntry(irrelevant)], stat: 'S_sum', splits: null, modules: LLAMA_MODULES, comparisons });
    await waitFor(() => expect(container.querySelectorAll('[data-testid="mad-diff"]').length).toBe(4));
    const expected = compareResampled(comparisonSide(correct, 'S_sum', correct.modules), comparisonSide(irrelevant, 'S_sum', irrelevant.modules), { resamples: 300, seed: 1, useKernel: false });
    const check = (part: 'all' | 'late') => {
      for (const m of expected.modules) {
        const cell = container.querySelector(`[data-testid="mad-diff"][data-module="${m.module}"]`);
        const t = m.mad[part];
        expect([cell?.getAttribute('data-value'), cell?.getAttribute('data-lo'), cell?.getAttribute('data-hi'), cell?.getAttribute('data-p')].map(Number)).toEqual([t.value, t.lo, t.hi, t.p]);
      }
    };
    check('all');
    // MAD(B) − MAD(A) is the difference of the two runs' own MADs.
    const q = expected.modules[0];
    expect(q.mad.all.value).toBeCloseTo(computeMad(computeCurve(irrelevant, q.module, 'S_sum')).all - computeMad(computeCurve(correct, q.module, 'S_sum')).all, 12);
    await fireEvent.change(getByLabelText('Part'), { target: { value: 'late' } });
    check('late');
    expect(container.querySelector('[data-testid="mad-pairing"]')?.textContent).toBe('5 paired by instruction; sign-flip test, exact');
  });

  it('says a pairing sentence shared by every pair once, above the table, not on each row', async () => {
    const meta = { task: 'cot_500', model: 'llama3_8b', variant: 'base' as const, dataset: 'gsm8k_train' };
    const text = (s: number) => ({ instruction: `q${s}`, input: '', output: `a${s}` });
    const run = (id: string, setting: string, correctness: 'correct' | 'irrelevant', k: number) =>
      makeRun({ id, layers: 12, samples: 5, meta: { ...meta, setting, correctness }, value: (s, l, m) => ((l * l) % (5 + k)) * (m + 1) + s * k, text });
    const runs = [run('c', 'none', 'correct', 1), run('i', 'none', 'irrelevant', 2), run('d', 'detailed', 'correct', 3)];
    const core: CompareFn = async (x, y, o) => compareResampled(comparisonSide(x, o.stat, x.modules), comparisonSide(y, o.stat, y.modules), { ...o, useKernel: false });
    const comparisons = new ComparisonStore(core, 50);
    const entries = runs.map((r) => makeEntry(r));
    comparisons.want('test', pairRequests(entries, 'S_sum', null));
    const { container } = render(MadTable, { entries, stat: 'S_sum', splits: null, modules: LLAMA_MODULES, comparisons });
    await waitFor(() => expect(container.querySelectorAll('[data-testid="mad-diff-table"] tbody tr').length).toBe(2));
    await waitFor(() => expect(container.querySelectorAll('[data-testid="mad-diff"]').length).toBe(8));
    const notes = [...container.querySelectorAll('[data-testid="mad-pairing"]')].map((n) => n.textContent);
    expect(notes).toEqual(['Every pair: 5 paired by instruction; sign-flip test, exact']);
  });
});
