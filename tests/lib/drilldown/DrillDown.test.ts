// @vitest-environment jsdom
import { fireEvent, render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { extremeSamples, layerSamples } from '../../../src/core/stats/computeCurve.ts';
import DrillDown from '../../../src/lib/drilldown/DrillDown.svelte';
import { makeEntry, makeRun } from '../makeRun.ts';
import { runCurves } from '../../../src/lib/views/curveData.ts';
import { formatValue } from '../../../src/lib/format.ts';

const run = makeRun({
  id: 'r',
  samples: 8,
  layers: 5,
  value: (s, l, m) => 1 + ((s * 7 + l * 3) % 11) + m,
  loss: (s) => 0.25 * (s + 1),
  text: (s) => ({ instruction: `<b>bold</b> question ${s} <img src=x onerror=alert(1)>`, input: '', output: `<i>answer</i> ${s}` }),
});

describe('DrillDown', () => {
  it('lists the core’s highest and lowest samples at the layer as buttons', () => {
    const { getAllByTestId } = render(DrillDown, { entries: [makeEntry(run)], stat: 'S_sum', kind: 'linear', layer: 3 });
    const { highest, lowest } = extremeSamples(layerSamples(run, 'self_attn.q_proj', 'S_sum', 3), 5);
    const shown = getAllByTestId('sample-item').map((b) => Number(b.getAttribute('data-sample')));
    expect(shown).toEqual([...highest, ...lowest]);
    expect(getAllByTestId('histogram').length).toBe(1);
  });

  it('shows a sample’s text literally, never as HTML, with its loss and its own curve', async () => {
    const { getAllByTestId, findByTestId, container } = render(DrillDown, {
      entries: [makeEntry(run)],
      stat: 'S_sum',
      kind: 'linear',
      layer: 3,
    });
    const item = getAllByTestId('sample-item')[0];
    const sample = Number(item.getAttribute('data-sample'));
    await fireEvent.click(item);
    const instruction = await findByTestId('sample-instruction');
    expect(instruction.textContent).toBe(`<b>bold</b> question ${sample} <img src=x onerror=alert(1)>`);
    expect(instruction.querySelectorAll('b, img').length).toBe(0);
    expect((await findByTestId('sample-output')).textContent).toBe(`<i>answer</i> ${sample}`);
    expect((await findByTestId('sample-loss')).textContent).toBe(String(0.25 * (sample + 1)));
    expect(container.querySelectorAll('path[data-testid="sample-curve"]').length).toBe(2);
  });

  it('switches the distribution to another module', async () => {
    const { getByRole, getAllByTestId } = render(DrillDown, { entries: [makeEntry(run)], stat: 'S_sum', kind: 'linear', layer: 0 });
    await fireEvent.click(getByRole('button', { name: 'V' }));
    const { highest } = extremeSamples(layerSamples(run, 'self_attn.v_proj', 'S_sum', 0), 5);
    expect(Number(getAllByTestId('sample-item')[0].getAttribute('data-sample'))).toBe(highest[0]);
  });
});

describe('DrillDown when the statistic changes', () => {
  it('closes a picked sample whose run lacks the new statistic instead of failing', async () => {
    const other = makeRun({ id: 'o', samples: 3, layers: 5, stats: ['S_sum', 'S_max'] });
    const noMax = makeRun({ id: 'n', samples: 3, layers: 5, stats: ['S_sum'] });
    const entries = [makeEntry(noMax), makeEntry(other)];
    const { getAllByTestId, findByTestId, queryByTestId, rerender } = render(DrillDown, { entries, stat: 'S_sum', kind: 'linear', layer: 1 });
    await fireEvent.click(getAllByTestId('sample-item').find((b) => b.getAttribute('data-run') === 'n') as Element);
    await findByTestId('sample-view');
    await rerender({ entries, stat: 'S_max', kind: 'linear', layer: 1 });
    expect(queryByTestId('sample-view')).toBeNull();
    expect(getAllByTestId('sample-item').every((b) => b.getAttribute('data-run') === 'o')).toBe(true);
  });
});

describe('DrillDown spreads', () => {
  it('shows every module’s p5–p95 spread at the layer from the core’s curve bands', () => {
    const entries = [makeEntry(run)];
    const curves = runCurves(entries, 'S_sum');
    const { getAllByTestId } = render(DrillDown, { entries, stat: 'S_sum', kind: 'linear', layer: 2, curves });
    expect(getAllByTestId('boxplots').length).toBe(1);
    const boxes = getAllByTestId('box');
    expect(boxes.map((b) => b.getAttribute('data-module'))).toEqual(run.modules);
    const k = curves[0].modules[1].curve;
    expect(boxes[1].querySelector('title')?.textContent).toContain(`median ${formatValue(k.median[2])}`);
    expect(boxes[1].querySelector('title')?.textContent).toContain(`p95 ${formatValue(k.p95[2])}`);
  });
});

describe('DrillDown run swatches', () => {
  it('draws each run’s swatch as the figures draw its line: the colour and dash of its style', () => {
    const other = makeRun({ id: 'o', samples: 4, layers: 5, value: (s, l) => 2 + s + l });
    const styles = new Map([
      ['r', { color: '#d94801', dash: '' }],
      ['o', { color: '#2171b5', dash: '6 3' }],
    ]);
    const { getAllByTestId } = render(DrillDown, { entries: [makeEntry(run), makeEntry(other)], stat: 'S_sum', kind: 'linear', layer: 1, styles });
    const lines = getAllByTestId('drill-swatch').map((svg) => svg.querySelector('line')!);
    expect(lines.map((l) => l.getAttribute('stroke'))).toEqual(['#d94801', '#2171b5']);
    expect(lines.map((l) => l.getAttribute('stroke-dasharray'))).toEqual([null, '6 3']);
  });
});
