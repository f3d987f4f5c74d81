/**
 * Weekday reasoning: which day of the week is it some days before or after a given
 * day, phrased with today / yesterday / tomorrow, days ago, and weeks plus days.
 * The work is arithmetic modulo 7, written as whole-number equations.
 */
import { type Random, pick, randomInt } from './mulberry32';
import { PEOPLE } from './people';
import { applyOp, detailedResponse, type Equation, formatEquation, formatEquationProse, noneResponse, type Problem, simplifiedResponse } from './problem';

/** Monday first (index 0), as ISO 8601 counts. */
export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

/** The weekday `offset` days (negative: before) after the one at index `start`. Example: weekdayAfter(1, 17) → 'Friday'. */
export function weekdayAfter(start: number, offset: number): string {
  return WEEKDAYS[(((start + offset) % 7) + 7) % 7];
}

const NUMBER_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six'];

interface Setup {
  question: string;
  /** Days from the named day to the asked one (negative: backwards). */
  offset: number;
  /** Equations and prose that turn the question into |offset| days. */
  lead: { eq: Equation; terse: string; text: string }[];
  opening: string;
}

function eq(a: number, op: Equation['op'], b: number): Equation {
  return { a, op, b, result: applyOp(a, op, b) };
}

const SETUPS: readonly ((r: Random, day: string) => Setup)[] = [
  (r, day) => {
    const n = randomInt(r, 8, 60);
    return { question: `Today is ${day}. What day of the week will it be in ${n} days?`, offset: n, lead: [], opening: `Weekdays repeat every 7 days, so only the remainder of ${n} divided by 7 matters.` };
  },
  (r, day) => {
    const n = randomInt(r, 8, 60);
    const e = eq(n, '+', 2);
    return {
      question: `Yesterday was ${day}. What day of the week will it be ${n} days after tomorrow?`,
      offset: n + 2,
      lead: [{ eq: e, terse: `From yesterday that is ${formatEquation(e)} days.`, text: `Tomorrow is 2 days after yesterday, so the day asked for is ${formatEquationProse(e)} days after ${day}.` }],
      opening: `We count everything from yesterday, ${day}, and use that weekdays repeat every 7 days.`,
    };
  },
  (r, day) => {
    const n = randomInt(r, 8, 60);
    const name = pick(r, PEOPLE).name;
    return {
      question: `${name} started a course on a ${day}. Today is ${n} days later. What day of the week is it today?`,
      offset: n,
      lead: [],
      opening: `Weekdays repeat every 7 days, so we only need the remainder of ${n} divided by 7.`,
    };
  },
  (r, day) => {
    const n = randomInt(r, 8, 60);
    return { question: `What day of the week was it ${n} days before a ${day}?`, offset: -n, lead: [], opening: `Going back 7 days lands on the same weekday, so only the remainder of ${n} divided by 7 matters.` };
  },
  (r, day) => {
    const w = randomInt(r, 1, 6);
    const d = randomInt(r, 1, 6);
    const weeks = eq(w, '*', 7);
    const total = eq(weeks.result, '+', d);
    return {
      question: `A meeting was planned for a ${day}. It is moved ${w} week${w > 1 ? 's' : ''} and ${d} day${d > 1 ? 's' : ''} later. On what day of the week is it now?`,
      offset: w * 7 + d,
      lead: [
        { eq: weeks, terse: `${w} weeks are ${formatEquation(weeks)} days.`, text: `${w} week${w > 1 ? 's are' : ' is'} ${formatEquationProse(weeks)} days.` },
        { eq: total, terse: `In all ${formatEquation(total)} days.`, text: `Adding the ${d} extra day${d > 1 ? 's' : ''} gives ${formatEquationProse(total)} days.` },
      ],
      opening: `We turn the delay into days and use that weekdays repeat every 7 days.`,
    };
  },
];

/** One weekday problem drawn with `random`. `facts` holds `start` (0 = Monday) and the signed `offset`. */
export function generateWeekdayProblem(random: Random, id: string): Problem {
  const start = randomInt(random, 0, 6);
  const day = WEEKDAYS[start];
  const setup = pick(random, SETUPS)(random, day);
  const days = Math.abs(setup.offset);
  const weeks = Math.floor(days / 7);
  const whole = eq(weeks, '*', 7);
  const rest = eq(days, '-', whole.result);
  const answer = weekdayAfter(start, setup.offset);
  const direction = setup.offset >= 0 ? 'after' : 'before';
  const count: string[] = [];
  for (let k = 1; k <= rest.result; k++) count.push(`${weekdayAfter(start, setup.offset >= 0 ? k : -k)} (${k})`);
  const counting =
    rest.result === 0
      ? `A remainder of 0 means the same weekday as ${day}: ${answer}.`
      : `Counting ${rest.result} day${rest.result > 1 ? 's' : ''} ${setup.offset >= 0 ? 'forward' : 'back'} from ${day}: ${count.join(', ')}.`;
  const steps = [
    ...setup.lead.map((l, i) => ({ eq: l.eq, terse: l.terse, title: i === 0 ? 'Turn the question into days.' : 'Total days.', text: l.text })),
    {
      eq: whole,
      terse: `${days} days hold ${weeks} whole weeks: ${formatEquation(whole)}.`,
      title: 'Remove whole weeks.',
      text: `${days} days contain ${weeks} whole week${weeks === 1 ? '' : 's'}, which is ${formatEquationProse(whole)} days and does not change the weekday.`,
    },
    {
      eq: rest,
      terse: `${formatEquation(rest)} ${rest.result === 1 ? 'day remains' : 'days remain'}, ${NUMBER_WORDS[rest.result]} ${direction} ${day}.`,
      title: 'Count the remaining days.',
      text: `That leaves ${formatEquationProse(rest)} day${rest.result === 1 ? '' : 's'}. ${counting}`,
    },
  ];
  return {
    id,
    family: 'weekday',
    instruction: setup.question,
    input: '',
    answer,
    responses: {
      none: noneResponse(answer),
      simplified: simplifiedResponse(steps.map((s) => s.terse), answer),
      detailed: detailedResponse(setup.opening, steps, `the day asked for is ${days} days ${direction} ${day}, which is ${answer}`, answer),
    },
    equations: steps.map((s) => s.eq),
    facts: { start, offset: setup.offset },
  };
}
