// @vitest-environment jsdom
import { fireEvent, render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { computeCurve } from '../../../src/core/stats/computeCurve.ts';
import { computeMad } from '../../../src/core/stats/mad.ts';
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
});
