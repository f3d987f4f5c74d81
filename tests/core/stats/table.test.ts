import { describe, expect, it } from 'vitest';
import { columnDecimals, escapeLatex, latexNumber, toCsv, toLatex, type Table } from '../../../src/core/stats/table.ts';

const inf = Infinity;

const table = (rows: Table['rows']): Table => ({
  columns: [
    { key: 'run', label: 'Run_name', kind: 'text' },
    { key: 'kept', label: 'Kept', kind: 'integer' },
    { key: 'value', label: 'Value %', kind: 'number' },
    { key: 'top', label: 'Top layers', kind: 'layers' },
  ],
  rows,
});

describe('toCsv', () => {
  const cases: { name: string; rows: Table['rows']; expected: string }[] = [
    { name: 'no rows give the header only', rows: [], expected: 'run,kept,value,top\r\n' },
    {
      name: 'numbers are written at full precision, lists space-separated',
      rows: [{ run: 'a', kept: 3, value: 0.1 + 0.2, top: [4, 1, 0] }],
      expected: 'run,kept,value,top\r\na,3,0.30000000000000004,4 1 0\r\n',
    },
    {
      name: 'fields with commas, quotes or line breaks are quoted, quotes doubled',
      rows: [{ run: 'a,"b"\nc', kept: 0, value: 0, top: [] }],
      expected: 'run,kept,value,top\r\n"a,""b""\nc",0,0,\r\n',
    },
    {
      name: 'NaN and infinities are written so Number() and float() read them back; null is empty',
      rows: [{ run: 'x', kept: null, value: NaN, top: [] }, { run: 'y', kept: 1, value: -inf, top: [inf] }],
      expected: 'run,kept,value,top\r\nx,,NaN,\r\ny,1,-Infinity,Infinity\r\n',
    },
  ];
  it.each(cases)('$name', ({ rows, expected }) => {
    const t = table(rows);
    const copy = structuredClone(t);
    expect(toCsv(t)).toBe(expected);
    expect(t).toEqual(copy);
  });
});

describe('escapeLatex', () => {
  it.each([
    ['', ''],
    ['plain', 'plain'],
    ['a_b&c', 'a\\_b\\&c'],
    ['100% $5 #1 {x}', '100\\% \\$5 \\#1 \\{x\\}'],
    ['~^\\', '\\textasciitilde{}\\textasciicircum{}\\textbackslash{}'],
    ['|a − b| · 2 × 3 – é', '|a $-$ b| $\\cdot$ 2 $\\times$ 3 -- ?'],
  ])('escapes %j as %j', (input, expected) => {
    expect(escapeLatex(input)).toBe(expected);
  });
});

describe('latexNumber', () => {
  it.each([
    [0, '0.000'],
    [0.123456, '0.1235'],
    [12.3, '12.30'],
    [1234.5, '1235'],
    [123456, '$1.235\\times10^{5}$'],
    [-0.0000001234, '$-1.234\\times10^{-7}$'],
    [-0.5, '$-$0.5000'],
    [NaN, '--'],
    [inf, '$\\infty$'],
    [-inf, '$-\\infty$'],
  ])('writes %s as %s', (x, expected) => {
    expect(latexNumber(x)).toBe(expected);
  });
});

describe('toLatex', () => {
  it('writes a booktabs table with escaped text and 4 significant digits', () => {
    const t = table([
      { run: 'grads_gsm8k', kept: 500, value: 0.123456, top: [3, 1] },
      { run: 'b', kept: null, value: NaN, top: [] },
    ]);
    const copy = structuredClone(t);
    expect(toLatex(t, 'MAD of S_sum & more')).toBe(
      [
        '\\begin{table}[ht]',
        '\\centering',
        '\\caption{MAD of S\\_sum \\& more}',
        '\\resizebox{\\ifdim\\width>\\linewidth\\linewidth\\else\\width\\fi}{!}{%',
        '\\begin{tabular}{lrrl}',
        '\\toprule',
        'Run\\_name & Kept & Value \\% & Top layers \\\\',
        '\\midrule',
        'grads\\_gsm8k & 500 & 0.1235 & 3, 1 \\\\',
        'b & -- & -- &  \\\\',
        '\\bottomrule',
        '\\end{tabular}}',
        '\\end{table}',
        '',
      ].join('\n'),
    );
    expect(t).toEqual(copy);
  });

  it('writes the header alone for an empty table', () => {
    const out = toLatex(table([]), '');
    expect(out).toContain('\\midrule\n\\bottomrule');
  });
});

describe('the study layout in LaTeX and CSV', () => {
  const grouped: Table = {
    columns: [
      { key: 'run', label: 'Run', kind: 'text' },
      ...['Q', 'K', 'V', 'O'].flatMap((g) =>
        ['Early', 'Middle', 'Late', 'All'].map((p) => ({ key: `${g}.${p}`, label: p, kind: 'number' as const, group: g, decimals: 3 })),
      ),
    ],
    rows: [{ run: 'None CoT · correct', ...Object.fromEntries(['Q', 'K', 'V', 'O'].flatMap((g) => ['Early', 'Middle', 'Late', 'All'].map((p) => [`${g}.${p}`, -1.23456]))) }],
  };

  it('puts each group under a \\multicolumn heading with a \\cmidrule, numbers to the column’s decimals with an ASCII minus', () => {
    const tex = toLatex(grouped, 'MAD');
    expect(tex).toContain('\\multicolumn{4}{c}{Q}');
    expect(tex).toContain('\\cmidrule(lr){2-5}');
    expect(tex).toContain('$-$1.235');
    expect(/[^\x00-\x7f]/.test(tex)).toBe(false);
  });

  it('splits a table too wide for the text into tabulars by group, repeating the row labels', () => {
    const wide: Table = {
      columns: [
        grouped.columns[0],
        ...['Q', 'K', 'V', 'O', 'gate', 'up', 'down'].flatMap((g) =>
          ['Early', 'Middle', 'Late', 'All'].map((p) => ({ key: `${g}.${p}`, label: p, kind: 'number' as const, group: g, decimals: 4 })),
        ),
      ],
      rows: [{ run: 'llama3_8b instruct · Detailed CoT · irrelevant' }],
    };
    const tex = toLatex(wide, 'wide');
    const tabulars = tex.match(/\\begin\{tabular\}/g)?.length ?? 0;
    expect(tabulars).toBeGreaterThan(1);
    expect(tex.match(/llama3\\_8b instruct/g)?.length).toBe(tabulars);
  });

  it('escapes text cells that a spreadsheet would run as formulas, and only those', () => {
    const t: Table = { columns: [{ key: 'run', label: 'Run', kind: 'text' }, { key: 'v', label: 'V', kind: 'number' }], rows: [{ run: '=cmd|x', v: -2 }, { run: '-run', v: 3 }] };
    expect(toCsv(t)).toBe("run,v\r\n'=cmd|x,-2\r\n'-run,3\r\n");
  });
});

describe('columnDecimals', () => {
  it.each<[number[], number]>([
    [[0.0123, 0.0456, 0.0789], 4],
    [[1.5, 2.5, 12], 2],
    [[150, 220], 0],
    [[NaN, 0], 3],
    [[], 3],
  ])('gives %j %i decimals for 3 significant digits of its median', (values, d) => {
    expect(columnDecimals(values)).toBe(d);
  });
});
