/**
 * The datasets gradlens generates itself: seeded, deterministic families of reasoning
 * problems, each with None / Simplified / Detailed responses, plus plain text for
 * pre-training a small base model on the same kind of material.
 */
import { generateArithmeticProblem } from './arithmetic';
import { mulberry32, type Random } from './mulberry32';
import type { Problem } from './problem';
import { generateWeekdayProblem } from './weekday';

/** A built-in dataset as the UI lists it. */
export interface BuiltinDatasetInfo {
  name: string;
  family: string;
  description: string;
}

/** Every built-in dataset, by the name `generateProblems` and `builtin:` specs use. */
export const BUILTIN_DATASETS: readonly BuiltinDatasetInfo[] = [
  {
    name: 'arithmetic',
    family: 'arithmetic',
    description: 'Multi-step word problems (2–4 of + − × ÷ on small whole numbers) about shopping, travel, sharing, baking and more.',
  },
  {
    name: 'weekday',
    family: 'weekday',
    description: 'Which day of the week is it n days before or after a given day: arithmetic modulo 7 in words.',
  },
  {
    name: 'mixed',
    family: 'mixed',
    description: 'Arithmetic and weekday problems drawn at random, half and half on average.',
  },
];

const GENERATORS: Record<string, (random: Random, id: string) => Problem> = {
  arithmetic: generateArithmeticProblem,
  weekday: generateWeekdayProblem,
  mixed: (random, id) => (random() < 0.5 ? generateArithmeticProblem : generateWeekdayProblem)(random, id),
};

/** Draws of a new problem before a repeated instruction is accepted (small families run out). */
const MAX_REDRAWS = 20;

/**
 * `count` problems of the built-in dataset `name`, the same for the same seed on every
 * machine; ids are `<name>-<seed>-<index>`. Instructions are distinct while the family
 * has room (a repeat is accepted after 20 draws). count = 0 → []. Throws on an unknown
 * name (the message lists the known ones) or a count that is not a whole number ≥ 0.
 */
export function generateProblems(name: string, count: number, seed: number): Problem[] {
  const generate = Object.prototype.hasOwnProperty.call(GENERATORS, name) ? GENERATORS[name] : undefined;
  if (!generate) throw new Error(`unknown built-in dataset "${name}"; known: ${BUILTIN_DATASETS.map((d) => d.name).join(', ')}`);
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a whole number ≥ 0, got ${count}`);
  const random = mulberry32(seed);
  const seen = new Set<string>();
  const out: Problem[] = [];
  for (let i = 0; i < count; i++) {
    const id = `${name}-${seed}-${i}`;
    let problem = generate(random, id);
    for (let k = 0; k < MAX_REDRAWS && seen.has(problem.instruction); k++) problem = generate(random, id);
    seen.add(problem.instruction);
    out.push(problem);
  }
  return out;
}

/**
 * `count` plain-text documents for pre-training a small base model: a mixed problem,
 * a newline, and a worked solution (Simplified or Detailed at random), the study's
 * base-model layout `instruction + "\n" + output`. The stream is salted so corpus seed
 * s does not replay generateProblems('mixed', n, s). count = 0 → [].
 */
export function corpusText(count: number, seed: number): string[] {
  const problems = generateProblems('mixed', count, (seed ^ 0x5eed) >>> 0);
  const random = mulberry32(seed);
  return problems.map((p) => `${p.instruction}\n${random() < 0.5 ? p.responses.simplified : p.responses.detailed}`);
}
