import { describe, expect, it } from 'vitest';
import { generateArithmeticProblem } from '../../../src/core/data/arithmetic';
import { mulberry32 } from '../../../src/core/data/mulberry32';
import { expectWellFormed } from './problemChecks';

describe('generateArithmeticProblem', () => {
  const problems = Array.from({ length: 400 }, (_, i) => generateArithmeticProblem(mulberry32(1000 + i), `a-${i}`));

  it('writes equations that hold, whole numbers throughout, and the same answer at the end of all three responses', () => {
    for (const p of problems) expectWellFormed(p);
  });

  it('answers with the chain of steps recomputed independently of the generator', () => {
    const ops: Record<string, (a: number, b: number) => number> = { '+': (a, b) => a + b, '-': (a, b) => a - b, '*': (a, b) => a * b, '/': (a, b) => a / b };
    for (const p of problems) {
      const values = p.equations.map((e) => ops[e.op](e.a, e.b));
      expect(p.answer, p.id).toBe(String(values[values.length - 1]));
      // Every step after the first builds on an earlier result or on a number in the question.
      p.equations.slice(1).forEach((e, i) => {
        const known = (n: number) => values.slice(0, i + 1).includes(n) || new RegExp(`\\b${n}\\b`).test(p.instruction);
        expect(known(e.a) && known(e.b), `${p.id} step ${i + 2}`).toBe(true);
      });
    }
  });

  it('uses 2 to 4 operations and all of + − × ÷ across problems', () => {
    const ops = new Set<string>();
    for (const p of problems) {
      expect(p.equations.length).toBeGreaterThanOrEqual(2);
      expect(p.equations.length).toBeLessThanOrEqual(4);
      p.equations.forEach((e) => ops.add(e.op));
    }
    expect([...ops].sort()).toEqual(['*', '+', '-', '/']);
  });

  it('mentions in the question the numbers the first step starts from', () => {
    for (const p of problems) {
      const first = p.equations[0];
      expect(p.instruction, p.id).toContain(String(first.b));
    }
  });

  it('varies its settings (at least 8 distinct question openings in 400 problems)', () => {
    const shapes = new Set(problems.map((p) => p.instruction.replace(/\d+/g, '#').replace(/^\S+/, '').slice(0, 25)));
    expect(shapes.size).toBeGreaterThanOrEqual(8);
  });

  it('labels the family and the id it was given', () => {
    expect(problems[0].family).toBe('arithmetic');
    expect(problems[3].id).toBe('a-3');
  });
});
