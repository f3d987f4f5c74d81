/**
 * Multi-step arithmetic word problems (2–4 operations with + − × ÷ on small integers,
 * every intermediate result a non-negative integer), in varied everyday settings:
 * shopping, sharing, travel, baking, savings, gardening, reading, the farm, school.
 */
import { type Random, pick, randomInt } from './mulberry32';
import { capitalize, PEOPLE, type Person } from './people';
import {
  applyOp,
  detailedResponse,
  type Equation,
  formatEquation,
  formatEquationProse,
  noneResponse,
  type Problem,
  simplifiedResponse,
} from './problem';

interface Step {
  eq: Equation;
  title: string;
  /** Simplified CoT sentence. */
  terse: string;
  /** Detailed CoT prose. */
  text: string;
}

interface Story {
  question: string;
  opening: string;
  steps: Step[];
  /** Closing clause without the number, e.g. `Maya gets this many dollars in change`, given the answer. */
  conclusion: (answer: number) => string;
}

/**
 * A step `a op b`: `terse` and `text` receive the equation written the study's way
 * (`3 * 4 = 12`) and in prose (`3 × 4 = 12`).
 */
function step(a: number, op: Equation['op'], b: number, title: string, terse: (eq: string) => string, text: (eq: string) => string): Step {
  const eq: Equation = { a, op, b, result: applyOp(a, op, b) };
  return { eq, title, terse: terse(formatEquation(eq)), text: text(formatEquationProse(eq)) };
}

const ITEMS = ['notebooks', 'comic books', 'toy cars', 'scarves', 'mugs', 'puzzles', 'plant pots'] as const;
const EXTRAS = ['a pen', 'a bookmark', 'a bag', 'a card', 'a ribbon'] as const;
const SWEETS = ['candies', 'stickers', 'marbles', 'cookies', 'beads'] as const;

const TEMPLATES: readonly ((r: Random, p: Person) => Story)[] = [
  // shopping: ×, +, −
  (r, p) => {
    const n = randomInt(r, 2, 6);
    const price = randomInt(r, 2, 12);
    const extra = randomInt(r, 1, 15);
    const item = pick(r, ITEMS);
    const thing = pick(r, EXTRAS);
    const total = n * price + extra;
    const bill = [20, 50, 100].find((b) => b > total) ?? 100;
    const They = capitalize(p.they);
    return {
      question: `${p.name} buys ${n} ${item} at $${price} each and ${thing} for $${extra}. ${They} pays with a $${bill} bill. How many dollars of change does ${p.they} get?`,
      opening: `To find ${p.name}'s change, we add up what ${p.they} spends and take it from the $${bill} bill.`,
      steps: [
        step(n, '*', price, `Cost of the ${item}.`, (e) => `The ${item} cost ${e} dollars.`, (e) => `${p.name} buys ${n} ${item} at $${price} each, so they cost ${e} dollars.`),
        step(n * price, '+', extra, 'Total spent.', (e) => `In all ${p.they} spends ${e} dollars.`, (e) => `Adding the $${extra} for ${thing} gives the total: ${e} dollars.`),
        step(bill, '-', total, 'Change.', (e) => `The change is ${e} dollars.`, (e) => `${They} pays with $${bill}, so the change is ${e} dollars.`),
      ],
      conclusion: (x) => `${p.name} gets $${x} in change`,
    };
  },
  // sharing: ×, −, ÷
  (r, p) => {
    const bags = randomInt(r, 2, 6);
    const per = randomInt(r, 4, 12);
    const total = bags * per;
    const friends = randomInt(r, 2, Math.min(6, total - 1));
    const each = randomInt(r, 1, Math.floor((total - 1) / friends));
    const kept = total - friends * each;
    const s = pick(r, SWEETS);
    return {
      question: `${p.name} has ${bags} bags with ${per} ${s} in each bag. ${capitalize(p.they)} keeps ${kept} ${s} and shares the rest equally among ${friends} friends. How many ${s} does each friend get?`,
      opening: `We count all the ${s}, remove the ones ${p.name} keeps, and split the rest ${friends} ways.`,
      steps: [
        step(bags, '*', per, `All the ${s}.`, (e) => `${capitalize(p.they)} has ${e} ${s}.`, (e) => `There are ${bags} bags of ${per}, which makes ${e} ${s}.`),
        step(total, '-', kept, 'What is shared.', (e) => `${e} are shared.`, (e) => `${p.name} keeps ${kept}, so ${e} ${s} are left to share.`),
        step(total - kept, '/', friends, 'Each share.', (e) => `Each friend gets ${e}.`, (e) => `Splitting them equally among ${friends} friends gives ${e} ${s} each.`),
      ],
      conclusion: (x) => `each friend gets ${x} ${s}`,
    };
  },
  // travel: ×, ×, +, −
  (r, p) => {
    const v1 = 10 * randomInt(r, 4, 9);
    const h1 = randomInt(r, 1, 4);
    const v2 = 10 * randomInt(r, 3, 8);
    const h2 = randomInt(r, 1, 3);
    const driven = v1 * h1 + v2 * h2;
    const trip = driven + 10 * randomInt(r, 1, 20);
    return {
      question: `${p.name} is driving ${trip} km to visit family. ${capitalize(p.they)} drives ${h1} hours at ${v1} km per hour, then ${h2} hours at ${v2} km per hour. How many km are left?`,
      opening: `We find the distance covered at each speed, add them, and subtract from the ${trip} km trip.`,
      steps: [
        step(v1, '*', h1, 'First part.', (e) => `First part: ${e} km.`, (e) => `At ${v1} km per hour for ${h1} hours, ${p.name} covers ${e} km.`),
        step(v2, '*', h2, 'Second part.', (e) => `Second part: ${e} km.`, (e) => `At ${v2} km per hour for ${h2} hours, ${p.they} covers ${e} km.`),
        step(v1 * h1, '+', v2 * h2, 'Distance so far.', (e) => `Driven: ${e} km.`, (e) => `Together that is ${e} km.`),
        step(trip, '-', driven, 'Distance left.', (e) => `Left: ${e} km.`, (e) => `The trip is ${trip} km, so ${e} km remain.`),
      ],
      conclusion: (x) => `${p.name} still has ${x} km to drive`,
    };
  },
  // baking: ÷, −, ×
  (r, p) => {
    const perBox = randomInt(r, 4, 12);
    const boxes = randomInt(r, 3, 12);
    const unsold = randomInt(r, 1, boxes - 1);
    const price = randomInt(r, 2, 9);
    return {
      question: `${p.name} bakes ${perBox * boxes} muffins and packs them in boxes of ${perBox}. ${capitalize(p.they)} sells all but ${unsold} boxes for $${price} a box. How many dollars does ${p.they} earn?`,
      opening: `We find how many boxes there are, how many are sold, and what they bring in.`,
      steps: [
        step(perBox * boxes, '/', perBox, 'Number of boxes.', (e) => `Boxes: ${e}.`, (e) => `${perBox * boxes} muffins in boxes of ${perBox} fill ${e} boxes.`),
        step(boxes, '-', unsold, 'Boxes sold.', (e) => `Sold: ${e}.`, (e) => `All but ${unsold} are sold, so ${e} boxes are sold.`),
        step(boxes - unsold, '*', price, 'Money earned.', (e) => `Earned: ${e} dollars.`, (e) => `At $${price} a box, the sales bring ${e} dollars.`),
      ],
      conclusion: (x) => `${p.name} earns $${x}`,
    };
  },
  // savings: ×, +, −
  (r, p) => {
    const weekly = randomInt(r, 3, 15);
    const weeks = randomInt(r, 2, 10);
    const gift = randomInt(r, 5, 30);
    const cost = randomInt(r, 5, weekly * weeks + gift - 1);
    return {
      question: `${p.name} saves $${weekly} every week for ${weeks} weeks. ${capitalize(p.their)} aunt then gives ${p.their === 'her' ? 'her' : 'him'} $${gift}. ${capitalize(p.they)} buys a game for $${cost}. How many dollars does ${p.name} have left?`,
      opening: `We add the savings and the gift, then take away the price of the game.`,
      steps: [
        step(weekly, '*', weeks, 'Weekly savings.', (e) => `Saved: ${e} dollars.`, (e) => `Saving $${weekly} for ${weeks} weeks gives ${e} dollars.`),
        step(weekly * weeks, '+', gift, 'With the gift.', (e) => `With the gift: ${e} dollars.`, (e) => `The $${gift} gift brings it to ${e} dollars.`),
        step(weekly * weeks + gift, '-', cost, 'After the game.', (e) => `Left: ${e} dollars.`, (e) => `The game costs $${cost}, leaving ${e} dollars.`),
      ],
      conclusion: (x) => `${p.name} has $${x} left`,
    };
  },
  // gardening: +, ×, −
  (r, p) => {
    const tomatoes = randomInt(r, 2, 8);
    const peppers = randomInt(r, 1, 6);
    const rows = randomInt(r, 2, 9);
    const eaten = randomInt(r, 1, (tomatoes + peppers) * rows - 1);
    return {
      question: `${p.name} plants ${tomatoes} tomato plants and ${peppers} pepper plants in each of ${rows} rows. Rabbits eat ${eaten} of the plants. How many plants are left?`,
      opening: `We count the plants in one row, multiply by the rows, and subtract the eaten ones.`,
      steps: [
        step(tomatoes, '+', peppers, 'Plants per row.', (e) => `Per row: ${e}.`, (e) => `Each row has ${tomatoes} tomato and ${peppers} pepper plants, ${e} in all.`),
        step(tomatoes + peppers, '*', rows, 'All plants.', (e) => `Planted: ${e}.`, (e) => `With ${rows} rows there are ${e} plants.`),
        step((tomatoes + peppers) * rows, '-', eaten, 'After the rabbits.', (e) => `Left: ${e}.`, (e) => `The rabbits eat ${eaten}, so ${e} plants are left.`),
      ],
      conclusion: (x) => `${x} plants are left`,
    };
  },
  // reading: ÷, ÷, +
  (r, p) => {
    const rate1 = 5 * randomInt(r, 2, 8);
    const days1 = randomInt(r, 2, 9);
    const rate2 = 5 * randomInt(r, 2, 8);
    const days2 = randomInt(r, 2, 9);
    return {
      question: `${p.name} reads a ${rate1 * days1}-page book at ${rate1} pages a day, then a ${rate2 * days2}-page book at ${rate2} pages a day. How many days does ${p.they} spend reading?`,
      opening: `We find the days for each book and add them.`,
      steps: [
        step(rate1 * days1, '/', rate1, 'First book.', (e) => `First book: ${e} days.`, (e) => `${rate1 * days1} pages at ${rate1} a day take ${e} days.`),
        step(rate2 * days2, '/', rate2, 'Second book.', (e) => `Second book: ${e} days.`, (e) => `${rate2 * days2} pages at ${rate2} a day take ${e} days.`),
        step(days1, '+', days2, 'Total time.', (e) => `Total: ${e} days.`, (e) => `Both books take ${e} days.`),
      ],
      conclusion: (x) => `${p.name} reads for ${x} days`,
    };
  },
  // farm: ×, +, ÷, ×
  (r, p) => {
    const crates = randomInt(r, 2, 5);
    const perCrate = randomInt(r, 6, 12);
    const bagSize = randomInt(r, 3, 8);
    const bags = Math.floor((crates * perCrate) / bagSize) + randomInt(r, 1, 4);
    const loose = bags * bagSize - crates * perCrate;
    const price = randomInt(r, 2, 6);
    return {
      question: `On the farm, ${p.name} picks ${crates} crates of ${perCrate} apples and ${loose} more apples from the ground. ${capitalize(p.they)} packs them all in bags of ${bagSize} and sells each bag for $${price}. How many dollars does ${p.they} make?`,
      opening: `We count the apples, pack them into bags, and price the bags.`,
      steps: [
        step(crates, '*', perCrate, 'Apples in crates.', (e) => `Crates: ${e} apples.`, (e) => `${crates} crates of ${perCrate} hold ${e} apples.`),
        step(crates * perCrate, '+', loose, 'All apples.', (e) => `All: ${e} apples.`, (e) => `With the ${loose} from the ground there are ${e} apples.`),
        step(bags * bagSize, '/', bagSize, 'Bags.', (e) => `Bags: ${e}.`, (e) => `In bags of ${bagSize} that makes ${e} bags.`),
        step(bags, '*', price, 'Money made.', (e) => `Money: ${e} dollars.`, (e) => `At $${price} a bag, ${p.they} makes ${e} dollars.`),
      ],
      conclusion: (x) => `${p.name} makes $${x}`,
    };
  },
  // school: ÷, ×
  (r, p) => {
    const group = randomInt(r, 2, 6);
    const groups = randomInt(r, 3, 8);
    const markers = randomInt(r, 2, 9);
    return {
      question: `${p.name}'s class of ${group * groups} students works in groups of ${group}. The teacher gives each group ${markers} markers. How many markers does the teacher hand out?`,
      opening: `We find the number of groups and multiply by the markers per group.`,
      steps: [
        step(group * groups, '/', group, 'Number of groups.', (e) => `Groups: ${e}.`, (e) => `${group * groups} students in groups of ${group} form ${e} groups.`),
        step(groups, '*', markers, 'Markers.', (e) => `Markers: ${e}.`, (e) => `With ${markers} markers each, the teacher hands out ${e} markers.`),
      ],
      conclusion: (x) => `the teacher hands out ${x} markers`,
    };
  },
];

/** How many story templates the generator draws from. */
export const ARITHMETIC_TEMPLATE_COUNT = TEMPLATES.length;

/**
 * One arithmetic word problem drawn with `random`; the answer is the last step's result.
 * Deterministic for a given generator state.
 */
export function generateArithmeticProblem(random: Random, id: string): Problem {
  const template = TEMPLATES[Math.floor(random() * TEMPLATES.length)];
  const story = template(random, pick(random, PEOPLE));
  const result = story.steps[story.steps.length - 1].eq.result;
  const answer = String(result);
  return {
    id,
    family: 'arithmetic',
    instruction: story.question,
    input: '',
    answer,
    responses: {
      none: noneResponse(answer),
      simplified: simplifiedResponse(story.steps.map((s) => s.terse), answer),
      detailed: detailedResponse(story.opening, story.steps.map((s) => ({ title: s.title, text: s.text })), story.conclusion(result), answer),
    },
    equations: story.steps.map((s) => s.eq),
  };
}
