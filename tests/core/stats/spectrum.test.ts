import { describe, expect, it } from 'vitest';
import { parseRun } from '../../../src/core/format/runParser.ts';
import { binMeans, logBins, spectrumModules, spectrumOf } from '../../../src/core/stats/spectrum.ts';

const Q = 'self_attn.q_proj';
const K = 'self_attn.k_proj';
/** Two layers of q_proj lists per sample; k_proj has no S_list (the study's format). */
function file(samples: [number[], number[]][]): string {
  return samples
    .map(
      ([l0, l1]) =>
        `{"loss": 1.0, "model.layers.0.self_attn.q_proj.weight": {"S_list": [${l0.join(', ')}]}, "model.layers.1.self_attn.q_proj.weight": {"S_list": [${l1.join(', ')}]}, "model.layers.0.self_attn.k_proj.weight": {"S_sum": 1.0}, "model.layers.1.self_attn.k_proj.weight": {"S_sum": 2.0}}`,
    )
    .join('\n');
}
const read = (text: string) => parseRun('f.jsonl', new TextEncoder().encode(text));

describe('spectrumOf', () => {
  const run = read(file([[[4, 2, 2], [1]], [[2, 0, 0], [3]], [[6, 4, 2], [NaN]]]));

  it('averages the singular values rank by rank over the samples (hand-computed)', () => {
    const s = spectrumOf(run, Q, 0, 'sigma');
    expect(Array.from(s.mean)).toEqual([4, 2, 4 / 3]);
    expect([s.kept, s.dropped]).toEqual([3, 0]);
  });

  it('normalises each list by its sum before averaging: σᵢ / Σσ', () => {
    const s = spectrumOf(run, Q, 0, 'normalised');
    const expected = [(0.5 + 1 + 0.5) / 3, (0.25 + 0 + 1 / 3) / 3, (0.25 + 0 + 1 / 6) / 3];
    for (let i = 0; i < 3; i++) expect(Math.abs(s.mean[i] - expected[i])).toBeLessThan(1e-15);
  });

  it('drops a list holding a NaN, and for the normalised spectrum a list summing to 0', () => {
    expect(Array.from(spectrumOf(run, Q, 1, 'sigma').mean)).toEqual([2]);
    expect(spectrumOf(run, Q, 1, 'sigma').dropped).toBe(1);
    const zero = read(file([[[0, 0], [1]], [[3, 1], [1]]]));
    const s = spectrumOf(zero, Q, 0, 'normalised');
    expect([s.kept, s.dropped]).toEqual([1, 1]);
    expect(Array.from(s.mean)).toEqual([0.75, 0.25]);
    expect(Array.from(spectrumOf(zero, Q, 0, 'sigma').mean)).toEqual([1.5, 0.5]);
  });

  it('gives percentile bands per rank index (numpy linear rule)', () => {
    const s = spectrumOf(run, Q, 0, 'sigma', [0.25, 0.75]);
    // rank 0: sorted [2, 4, 6] → p25 3, p75 5.
    expect(Array.from(s.lo ?? [])).toEqual([3, 1, 1]);
    expect(Array.from(s.hi ?? [])).toEqual([5, 3, 2]);
  });

  it('lists only modules with S_list, and gives nothing for a module without', () => {
    expect(spectrumModules(run)).toEqual([Q]);
    expect(spectrumOf(run, K, 0, 'sigma').mean.length).toBe(0);
    expect(spectrumOf(run, Q, 5, 'sigma').dropped).toBe(3);
  });
});

describe('logBins', () => {
  it('keeps one bin per rank index when there are few', () => {
    expect(logBins(3, 8)).toEqual([[0, 1], [1, 2], [2, 3]]);
  });

  it('covers every rank index once with at most the asked number of log-spaced bins', () => {
    const bins = logBins(4096, 64);
    expect(bins.length).toBeLessThanOrEqual(64);
    expect(bins[0]).toEqual([0, 1]);
    expect(bins[bins.length - 1][1]).toBe(4096);
    for (let i = 1; i < bins.length; i++) expect(bins[i][0]).toBe(bins[i - 1][1]);
    // Log spacing: the last bin is far wider than the first.
    expect(bins[bins.length - 1][1] - bins[bins.length - 1][0]).toBeGreaterThan(100);
  });

  it('averages values within each bin, skipping NaN', () => {
    expect(Array.from(binMeans([1, 3, NaN, 5], [[0, 2], [2, 4], [4, 5]]))).toEqual([2, 5, NaN]);
  });
});
