import { describe, expect, it } from 'vitest';
import { figureCsv } from '../../../src/lib/export/figureCsv.ts';
import { exportFileName } from '../../../src/lib/export/download.ts';

describe('figureCsv', () => {
  it('writes one row per layer per line under a layer,run,module,value header', () => {
    expect(figureCsv([{ run: 'A', module: 'q', values: [1, 0.1 + 0.2] }])).toBe(
      'layer,run,module,value\r\n0,A,q,1\r\n1,A,q,0.30000000000000004\r\n',
    );
  });

  it('adds lower and upper columns when bands are shown, and writes NaN as NaN', () => {
    const text = figureCsv([
      { run: 'A', module: 'q', values: [1, NaN], lo: [0.5, NaN], hi: [2, NaN] },
      { run: 'B', module: 'q', values: [3] },
    ]);
    expect(text.split('\r\n')).toEqual(['layer,run,module,value,lower,upper', '0,A,q,1,0.5,2', '1,A,q,NaN,NaN,NaN', '0,B,q,3,,', '']);
  });

  it('quotes labels holding commas, quotes or line breaks', () => {
    expect(figureCsv([{ run: 'a,b', module: 'say "hi"', values: [1] }])).toContain('0,"a,b","say ""hi""",1');
    expect(figureCsv([{ run: 'x\ny', module: 'q', values: [1] }])).toContain('0,"x\ny",q,1');
  });

  it('escapes run names that a spreadsheet would run as formulas, but keeps negative numbers numeric', () => {
    const text = figureCsv([{ run: '=HYPERLINK("x")', module: '@sum', values: [-0.5] }]);
    expect(text.split('\r\n')[1]).toBe(`0,"'=HYPERLINK(""x"")",'@sum,-0.5`);
    expect(figureCsv([{ run: '+1', module: '-q', values: [1] }]).split('\r\n')[1]).toBe("0,'+1,'-q,1");
  });

  it('writes only the header for no lines', () => {
    expect(figureCsv([])).toBe('layer,run,module,value\r\n');
  });
});

describe('exportFileName', () => {
  it('names files after the figure and statistic, safely', () => {
    expect(exportFileName('curves', 'S_sum', 'svg')).toBe('gradlens-curves-S_sum.svg');
    expect(exportFileName('mad', 'a/b c', 'tex')).toBe('gradlens-mad-a_b_c.tex');
  });
});
