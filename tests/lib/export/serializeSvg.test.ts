// @vitest-environment jsdom
import { render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { serializeSvg } from '../../../src/lib/export/serializeSvg.ts';
import CurvesView from '../../../src/lib/views/CurvesView.svelte';
import { runCurves } from '../../../src/lib/views/curveData.ts';
import { DEFAULT_VIEW } from '../../../src/lib/state/types.ts';
import { makeEntry, makeRun } from '../makeRun.ts';

function figureSvg(): SVGSVGElement {
  const entries = [makeEntry(makeRun({ id: 'a' }), 'None CoT')];
  const axis = { kind: 'layer' as const, layerCount: 4, zoom: null };
  const { container } = render(CurvesView, { curves: runCurves(entries, 'S_sum'), settings: { ...DEFAULT_VIEW }, axis });
  return container.querySelector('figure[data-testid="panel-figure"] svg') as SVGSVGElement;
}

describe('serializeSvg', () => {
  it('writes a standalone SVG with every curve path and its axes', () => {
    const text = serializeSvg(figureSvg());
    expect(text.startsWith('<?xml')).toBe(true);
    expect(text).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(text.match(/<path[^>]*data-testid="curve"/g)?.length).toBe(4);
    expect(text).toContain('S_sum');
  });

  it('drops what is marked for the screen only, and never carries a script or an event handler', () => {
    const svg = figureSvg();
    const hit = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
    hit.setAttribute('data-export', 'skip');
    hit.setAttribute('data-testid', 'plot-hit');
    svg.append(hit);
    const evil = document.createElementNS('http://www.w3.org/2000/svg', 'script');
    evil.textContent = 'alert(1)';
    svg.append(evil);
    svg.setAttribute('onload', 'alert(2)');
    const a = document.createElementNS('http://www.w3.org/2000/svg', 'a');
    a.setAttribute('href', 'javascript:alert(3)');
    svg.append(a);
    const text = serializeSvg(svg);
    expect(text).not.toMatch(/<script/i);
    expect(text).not.toMatch(/\son\w+=/i);
    expect(text).not.toMatch(/javascript:/i);
    expect(text).not.toContain('plot-hit');
    // The on-screen SVG is untouched.
    expect(svg.querySelectorAll('[data-testid="plot-hit"]').length).toBe(1);
  });

  it('inlines presentation styles so the file looks as on screen without the page’s CSS', () => {
    const text = serializeSvg(figureSvg());
    expect(text).toMatch(/<path[^>]*style="[^"]*stroke/);
  });
});
