/**
 * A built-in reasoning problem with its three responses: the study's None CoT (answer
 * only), Simplified CoT (terse steps) and Detailed CoT (every step explained).
 */

/** Which response a training run uses: fast thinking (`none`) to slow thinking (`detailed`). */
export type SettingKind = 'none' | 'simplified' | 'detailed';

/** Every setting, fast to slow. */
export const SETTING_KINDS: readonly SettingKind[] = ['none', 'simplified', 'detailed'];

/** One worked step `a op b = result`, kept so tests (and users) can recompute the answer. */
export interface Equation {
  a: number;
  op: '+' | '-' | '*' | '/';
  b: number;
  result: number;
}

/** One generated problem. All three responses end with the same final answer. */
export interface Problem {
  /** `<dataset>-<seed>-<index>`, unique within a generated list. */
  id: string;
  /** The reasoning family, e.g. `arithmetic`. */
  family: string;
  instruction: string;
  input: '';
  /** The final answer as written at the end of every response, e.g. `42` or `Friday`. */
  answer: string;
  responses: Record<SettingKind, string>;
  /** The arithmetic behind the answer, in the order the responses show it. */
  equations: Equation[];
  /** Family-specific facts for checking, e.g. weekday: `{ start: 1, offset: 17 }` (0 = Monday). */
  facts?: Record<string, number>;
}

/** The value of `a op b`. Example: applyOp(12, '/', 4) → 3. */
export function applyOp(a: number, op: Equation['op'], b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
  }
}

/** `a op b = result` with ASCII operators, as the study's Simplified CoT writes it. Example: `3 * 4 = 12`. */
export function formatEquation(e: Equation): string {
  return `${e.a} ${e.op} ${e.b} = ${e.result}`;
}

/** `a op b = result` with × and ÷, for prose. Example: `12 ÷ 4 = 3`. */
export function formatEquationProse(e: Equation): string {
  const op = e.op === '*' ? '×' : e.op === '/' ? '÷' : e.op === '-' ? '−' : '+';
  return `${e.a} ${op} ${e.b} = ${e.result}`;
}

/**
 * The None CoT response: the final answer alone, as the study's no_cot files write it
 * (GSM8K "20", AQuA "(D)"). No carrier sentence: "The answer is 20." would make most
 * response tokens trivially predictable and dilute the gradient of the answer itself,
 * which turns the study's fast-vs-slow finding around on small models.
 */
export function noneResponse(answer: string): string {
  return answer;
}

/** The Simplified CoT response: terse steps, then the study's closing line. */
export function simplifiedResponse(steps: readonly string[], answer: string): string {
  return `${steps.join(' ')}\nThe final answer is ${answer}`;
}

/** The Detailed CoT response: an opening, numbered explained steps, and a conclusion ending with the answer. */
export function detailedResponse(opening: string, steps: readonly { title: string; text: string }[], conclusion: string, answer: string): string {
  const body = steps.map((s, i) => `${i + 1}. **${s.title}** ${s.text}`).join('\n\n');
  return `${opening}\n\n${body}\n\nTherefore, ${conclusion}. The answer is ${answer}.`;
}
