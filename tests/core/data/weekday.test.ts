import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../src/core/data/mulberry32';
import { generateWeekdayProblem, WEEKDAYS, weekdayAfter } from '../../../src/core/data/weekday';
import { expectWellFormed } from './problemChecks';

describe('weekdayAfter', () => {
  it.each([
    [1, 17, 'Friday'],
    [0, 0, 'Monday'],
    [0, -1, 'Sunday'],
    [6, 1, 'Monday'],
    [3, -15, 'Wednesday'],
    [2, 70, 'Wednesday'],
  ])('counts %i + %i days to %s', (start, offset, want) => {
    expect(weekdayAfter(start, offset)).toBe(want);
  });
});

describe('generateWeekdayProblem', () => {
  const problems = Array.from({ length: 300 }, (_, i) => generateWeekdayProblem(mulberry32(i), `w-${i}`));

  it('writes equations that hold and ends all three responses with the answer', () => {
    for (const p of problems) expectWellFormed(p);
  });

  it('answers the weekday its facts give, recomputed independently by date arithmetic', () => {
    for (const p of problems) {
      const { start, offset } = p.facts!;
      // 2024-01-01 was a Monday: use real calendar dates as an independent check.
      const date = new Date(Date.UTC(2024, 0, 1 + start + offset));
      const name = date.toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' });
      expect(p.answer, p.id).toBe(name);
      expect(p.instruction, p.id).toContain(WEEKDAYS[start]);
    }
  });

  it('goes both forwards and backwards and uses every question shape', () => {
    expect(problems.some((p) => p.facts!.offset < 0)).toBe(true);
    expect(problems.some((p) => p.facts!.offset > 0)).toBe(true);
    const shapes = new Set(problems.map((p) => p.instruction.replace(/\d+/g, '#').replace(/Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday/g, 'D').replace(/^\w+ started/, 'X started').replace(/weeks?|days?/g, 'u')));
    expect(shapes.size).toBe(5);
  });
});
