import { describe, expect, it } from 'vitest';
import { comparisonSide, sideBuffers } from '../../../../src/core/stats/resampling/comparisonSide.ts';
import { pairingKey } from '../../../../src/core/format/sampleKeys.ts';
import { makeRun } from '../makeRun.ts';

describe('comparisonSide', () => {
  const run = makeRun({
    name: 'r',
    values: { q: { S_sum: [[1, 2], [3, 4]], S_max: [[1, 1], [1, 2]] }, k: { S_sum: [[5, 6], [7, 8]], S_max: [[1, 1], [1, 1]] } },
    samples: [{ instruction: 'Add', input: '2 3' }, { instruction: 'Halve' }],
  });

  it('holds the chosen modules’ values of the statistic and each sample’s instruction and input as its pairing key', () => {
    const side = comparisonSide(run, 'S_sum', ['q', 'missing']);
    expect([...side.values.keys()]).toEqual(['q']);
    expect(Array.from(side.values.get('q') as Float64Array)).toEqual([1, 2, 3, 4]);
    expect(Array.from(side.keys)).toEqual([pairingKey('Add', '2 3'), pairingKey('Halve', '')]);
    expect([side.sampleCount, side.layerCount, side.name]).toEqual([2, 2, 'r']);
  });

  it('hashes a run’s texts once: later sides of the same run share its keys', () => {
    expect(comparisonSide(run, 'S_max', ['k']).keys).toBe(comparisonSide(run, 'S_sum', ['q']).keys);
  });

  it('copies the values by default, so transferring their buffers leaves the run intact', () => {
    const side = comparisonSide(run, 'S_sum', ['q', 'k']);
    expect(side.values.get('q')).not.toBe(run.values.get('q')?.get('S_sum'));
    expect(sideBuffers(side)).toHaveLength(2);
    structuredClone(side, { transfer: sideBuffers(side) });
    expect(Array.from(run.values.get('q')?.get('S_sum') ?? [])).toEqual([1, 2, 3, 4]);
    expect(comparisonSide(run, 'S_sum', ['q'], false).values.get('q')).toBe(run.values.get('q')?.get('S_sum'));
  });

  it('derives statistics the run does not store (S_ratio = S_max / S_sum)', () => {
    expect(Array.from(comparisonSide(run, 'S_ratio', ['q']).values.get('q') as Float64Array)).toEqual([1, 0.5, 1 / 3, 0.5]);
  });
});
