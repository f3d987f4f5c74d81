import { describe, expect, it } from 'vitest';
import { fitText, gridHeight, gridLayout, layerTicks, layerX } from '../../../src/lib/charts/layout.ts';

describe('gridLayout', () => {
  it('puts as many panels in a row as fit the minimum width', () => {
    const boxes = gridLayout(3, 1000, 320, 200, 10);
    expect(boxes.map((b) => [b.x, b.y, b.width])).toEqual([
      [0, 10, 333],
      [333, 10, 333],
      [666, 10, 333],
    ]);
    expect(gridHeight(gridLayout(3, 700, 320, 200, 10), 10)).toBe(410);
  });
});

describe('layerX and layerTicks', () => {
  it('centres each layer in its band and labels integer layers only', () => {
    expect(layerX(0, 4, 400)).toBe(50);
    expect(layerX(3, 4, 400)).toBe(350);
    expect(layerTicks(4, 400)).toEqual([0, 1, 2, 3]);
    expect(layerTicks(42, 400)).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40]);
  });
});

describe('fitText', () => {
  it('cuts long text with an ellipsis and keeps short text', () => {
    expect(fitText('abcdefghij', 35, 7)).toBe('abcd…');
    expect(fitText('abc', 35, 7)).toBe('abc');
  });
});
