// @vitest-environment jsdom
import { fireEvent, render } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import CurvesView from '../../../src/lib/views/CurvesView.svelte';
import MadTable from '../../../src/lib/tables/MadTable.svelte';
import { runCurves } from '../../../src/lib/views/curveData.ts';
import { DEFAULT_VIEW } from '../../../src/lib/state/types.ts';
import { LLAMA_MODULES, makeEntry, makeRun } from '../makeRun.ts';

const axis = { kind: 'layer' as const, layerCount: 3, zoom: null };

/** Downloads caught by stubbing object URLs and the anchor click. */
let saved: { name: string; blob: Blob }[] = [];
const blobs = new Map<string, Blob>();

beforeEach(() => {
  saved = [];
  let n = 0;
  URL.createObjectURL = vi.fn((b: Blob) => {
    const url = `blob:test/${n++}`;
    blobs.set(url, b);
    return url;
  }) as typeof URL.createObjectURL;
  URL.revokeObjectURL = vi.fn();
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    saved.push({ name: this.download, blob: blobs.get(this.href) as Blob });
  });
});
afterEach(() => vi.restoreAllMocks());

describe('figure and table export buttons', () => {
  const run = makeRun({ id: 'a', layers: 3, samples: 2 });
  const entries = [makeEntry(run, 'None CoT')];

  it('download the figure as SVG with its curves and no script', async () => {
    const { getByRole } = render(CurvesView, { curves: runCurves(entries, 'S_sum'), settings: { ...DEFAULT_VIEW }, axis });
    await fireEvent.click(getByRole('button', { name: 'Export SVG' }));
    expect(saved[0].name).toBe('gradlens-curves-S_sum.svg');
    const text = await saved[0].blob.text();
    expect(text.match(/data-testid="curve"/g)?.length).toBe(4);
    expect(text).toContain('None CoT');
    expect(text).not.toMatch(/<script/i);
    expect(text).not.toContain('plot-hit');
  });

  it('draws the figure anew at a paper width and font size: one column, 3.3 in, with titles wrapped, not cut', async () => {
    const long = [makeEntry(makeRun({ id: 'a', layers: 3, samples: 2 }), 'llama3_8b instruct · gsm8k_train · Detailed CoT · irrelevant responses here'), makeEntry(makeRun({ id: 'b', layers: 3, samples: 2 }), 'B')];
    const { getByRole, getByLabelText } = render(CurvesView, { curves: runCurves(long, 'S_sum'), settings: { ...DEFAULT_VIEW }, axis });
    await fireEvent.change(getByLabelText('Size'), { target: { value: '3.3' } });
    await fireEvent.change(getByLabelText('Font'), { target: { value: '8' } });
    await fireEvent.click(getByRole('button', { name: 'Export SVG' }));
    expect(saved[0].name).toBe('gradlens-curves-3.3in-8pt-S_sum.svg');
    const text = await saved[0].blob.text();
    expect(text).toMatch(/<svg[^>]*width="3.3in"/);
    expect(text).toMatch(/viewBox="0 0 237.6 /);
    expect(text.match(/data-testid="curve"/g)?.length).toBe(8);
    for (const word of ['llama3_8b', 'instruct', 'Detailed', 'irrelevant', 'responses', 'here']) expect(text).toContain(word);
    expect(text).not.toContain('…');
  });

  it('download the plotted numbers as CSV, band columns included when bands are shown', async () => {
    const { getByRole } = render(CurvesView, { curves: runCurves(entries, 'S_sum'), settings: { ...DEFAULT_VIEW, bands: 'p5-p95' }, axis });
    await fireEvent.click(getByRole('button', { name: 'Export CSV' }));
    expect(saved[0].name).toBe('gradlens-curves-S_sum.csv');
    const lines = (await saved[0].blob.text()).trim().split('\r\n');
    expect(lines[0]).toBe('layer,run,module,value,lower,upper');
    expect(lines.length).toBe(1 + 4 * 3);
    // Q at layer 1: samples 10 + 1 + 0 and 10 + 1 + 1 → mean 11.5, p5 11.05, p95 11.95.
    const [layer, label, module, value, lo, hi] = lines[2].split(',');
    expect([layer, label, module]).toEqual(['1', 'None CoT', 'self_attn.q_proj']);
    expect(Number(value)).toBe(11.5);
    expect(Number(lo)).toBeCloseTo(11.05, 12);
    expect(Number(hi)).toBeCloseTo(11.95, 12);
  });

  it('download the MAD table as CSV and booktabs LaTeX through the core', async () => {
    const { getByRole } = render(MadTable, { entries, stat: 'S_sum', splits: null, modules: LLAMA_MODULES });
    await fireEvent.click(getByRole('button', { name: 'Export CSV: MAD table' }));
    await fireEvent.click(getByRole('button', { name: 'Export LaTeX: MAD table' }));
    expect(saved.map((s) => s.name)).toEqual(['gradlens-mad-S_sum.csv', 'gradlens-mad-S_sum.tex']);
    const csv = await saved[0].blob.text();
    expect(csv.split('\r\n')[1]).toMatch(/^None CoT,/);
    const tex = await saved[1].blob.text();
    expect(tex).toContain('\\toprule');
    expect(tex).toContain('\\caption{MAD of S\\_sum');
    expect(tex).toContain('\\multicolumn{4}{c}{Q}');
  });
});
