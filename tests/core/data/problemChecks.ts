/** Shared checks of generated problems, used by the family and dataset tests. */
import { expect } from 'vitest';
import { applyOp, type Problem, SETTING_KINDS } from '../../../src/core/data/problem';

/** Every `a op b = c` written with ASCII operators in a text. */
export function equationsIn(text: string): { a: number; op: string; b: number; c: number }[] {
  return [...text.matchAll(/(\d+) ([-+*/]) (\d+) = (\d+)/g)].map((m) => ({ a: +m[1], op: m[2], b: +m[3], c: +m[4] }));
}

/** The final answer a response ends with (`… is X.` / `… is X`). */
export function finalAnswer(response: string): string | undefined {
  return /(?:answer is) (\S+?)\.?$/.exec(response)?.[1];
}

/**
 * Asserts what every problem promises: equations that hold with whole non-negative
 * results, None CoT the bare answer and the other two responses ending with it, the simplified text showing the
 * very equations recorded, and an empty input.
 */
export function expectWellFormed(p: Problem): void {
  expect(p.input).toBe('');
  expect(p.instruction.length).toBeGreaterThan(10);
  for (const e of p.equations) {
    expect(applyOp(e.a, e.op, e.b), `${p.id}: ${e.a} ${e.op} ${e.b}`).toBe(e.result);
    expect(Number.isInteger(e.result) && e.result >= 0, `${p.id}: whole result`).toBe(true);
  }
  // None CoT is the answer alone, as in the study's no_cot files; the others end with it.
  expect(p.responses.none, `${p.id} none`).toBe(p.answer);
  for (const s of SETTING_KINDS.filter((k) => k !== 'none')) expect(finalAnswer(p.responses[s]), `${p.id} ${s}`).toBe(p.answer);
  const shown = equationsIn(p.responses.simplified);
  expect(shown.map((e) => [e.a, e.op, e.b, e.c])).toEqual(p.equations.map((e) => [e.a, e.op, e.b, e.result]));
  for (const e of shown) expect(applyOp(e.a, e.op as '+', e.b)).toBe(e.c);
  expect(p.responses.none.length).toBeLessThan(p.responses.simplified.length);
  expect(p.responses.simplified.length).toBeLessThan(p.responses.detailed.length);
}
