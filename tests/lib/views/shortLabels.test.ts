import { describe, expect, it } from 'vitest';
import { shortLabels } from '../../../src/lib/views/shortLabels.ts';

describe('shortLabels', () => {
  it('drops the leading parts every label shares', () => {
    expect(shortLabels(['m · arith · None CoT', 'm · arith · Detailed CoT', 'm · arith · None CoT · irrelevant'])).toEqual([
      'None CoT',
      'Detailed CoT',
      'None CoT · irrelevant',
    ]);
  });

  it('keeps at least one part, and single or unrelated labels whole', () => {
    expect(shortLabels(['a · b', 'a · b'])).toEqual(['b', 'b']);
    expect(shortLabels(['run one'])).toEqual(['run one']);
    expect(shortLabels(['x · y', 'z · y'])).toEqual(['x · y', 'z · y']);
    expect(shortLabels([])).toEqual([]);
  });
});
