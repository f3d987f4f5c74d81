import { describe, expect, it } from 'vitest';
import { csvField, figureCsv } from '../../../src/lib/export/figureCsv.ts';
import { exportFileName } from '../../../src/lib/export/download.ts';

describe('figureCsv', () => {
  it('writes one row per layer per line under a layer,run,module,value header', () => {
    expect(figureCsv([{ run: 'A', module: 'q', values: [1, 0.1 + 0.2] }])).toBe(
      'layer,run,module,value\n0,A,q,1\n1,A,q,0.30000000000000004\n',
    );
  });

  it('adds lower and upper columns when bands are shown, and leaves NaN empty', () => {
    const text = figureCsv([
      { run: 'A', module: 'q', values: [1, NaN], lo: [0.5, NaN], hi: [2, NaN] },
      { run: 'B', module: 'q', values: [3] },
    ]);
    expect(text.split('\n')).toEqual(['layer,run,module,value,lower,upper', '0,A,q,1,0.5,2', '1,A,q,,,', '0,B,q,3,,', '']);
  });

  it('quotes labels holding commas, quotes or line breaks', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(figureCsv([{ run: 'x\ny', module: 'q', values: [1] }])).toContain('0,"x\ny",q,1');
  });

  it('writes only the header for no lines', () => {
    expect(figureCsv([])).toBe('layer,run,module,value\n');
  });
});

describe('exportFileName', () => {
  it('names files after the figure and statistic, safely', () => {
    expect(exportFileName('curves', 'S_sum', 'svg')).toBe('gradlens-curves-S_sum.svg');
    expect(exportFileName('mad', 'a/b c', 'tex')).toBe('gradlens-mad-a_b_c.tex');
  });
});
