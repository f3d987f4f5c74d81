/**
 * A small arithmetic word-problem generator of the training scripts' own: each problem
 * has an answer-only (None), terse-step (Simplified) and explained (Detailed) response.
 * Seeded and deterministic. Used for the training corpus next to the built-in datasets.
 */
import type { TextRecord } from './template';
import { mulberry32 } from './trainData';
import { noneResponse } from '../data/problem';

/** A generated problem with its three responses and its answer. */
export interface LocalProblem {
  question: string;
  answer: number;
  none: string;
  simplified: string;
  detailed: string;
}

const NAMES = ['Ana', 'Ben', 'Mia', 'Leo', 'Zoe', 'Sam', 'Ivy', 'Max', 'Eva', 'Tom', 'Lia', 'Noah'];
const ITEMS = ['apples', 'marbles', 'stickers', 'books', 'coins', 'pencils', 'cards', 'shells', 'eggs', 'stamps'];
const CONTAINERS = ['bags', 'boxes', 'packs', 'jars', 'crates'];

/** Problem `index` of the stream for `seed`. */
export function localProblem(seed: number, index: number): LocalProblem {
  const rand = mulberry32((Math.imul(seed, 2654435761) ^ Math.imul(index + 1, 40503)) >>> 0);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const who = pick(NAMES);
  let friend = pick(NAMES);
  while (friend === who) friend = pick(NAMES);
  const item = pick(ITEMS);
  const box = pick(CONTAINERS);
  const start = int(2, 40);
  const n = int(2, 9);
  const per = int(2, 12);
  const bought = n * per;
  const total = start + bought;
  const given = int(1, total - 1);
  const answer = total - given;
  const kind = int(0, 1);
  const question = kind === 0
    ? `${who} has ${start} ${item}. ${who} buys ${n} ${box} with ${per} ${item} each, then gives ${given} ${item} to ${friend}. How many ${item} does ${who} have now?`
    : `There are ${n} ${box} with ${per} ${item} in each and ${start} loose ${item}. ${who} takes away ${given} ${item}. How many ${item} are left?`;
  const none = noneResponse(String(answer));
  const simplified = `${n} * ${per} = ${bought}. ${start} + ${bought} = ${total}. ${total} - ${given} = ${answer}. The answer is ${answer}.`;
  const detailed = kind === 0
    ? `${who} starts with ${start} ${item}. ${who} buys ${n} ${box} of ${per} ${item}, which is ${n} * ${per} = ${bought} ${item}. Now ${who} has ${start} + ${bought} = ${total} ${item}. After giving ${given} to ${friend}, ${who} has ${total} - ${given} = ${answer} ${item} left. The answer is ${answer}.`
    : `Each of the ${n} ${box} holds ${per} ${item}, so the ${box} hold ${n} * ${per} = ${bought} ${item}. With the ${start} loose ones there are ${start} + ${bought} = ${total} ${item}. ${who} takes away ${given}, leaving ${total} - ${given} = ${answer} ${item}. The answer is ${answer}.`;
  return { question, answer, none, simplified, detailed };
}

const STYLES = ['none', 'simplified', 'detailed'] as const;

/** `count` plain-text documents: a problem and one of its responses in the study's base template (question + "\n" + response). */
export function localDocuments(count: number, seed: number): string[] {
  const rand = mulberry32(seed ^ 0x5bd1e995);
  return Array.from({ length: count }, (_, i) => {
    const p = localProblem(seed, i);
    return `${p.question}\n${p[STYLES[Math.floor(rand() * 3)]]}`;
  });
}

/** `count` instruction/response records, each with one of the three response styles. */
export function localRecords(count: number, seed: number): TextRecord[] {
  const rand = mulberry32(seed ^ 0x27d4eb2f);
  return Array.from({ length: count }, (_, i) => {
    const p = localProblem(seed, i);
    return { instruction: p.question, input: '', output: p[STYLES[Math.floor(rand() * 3)]] };
  });
}
