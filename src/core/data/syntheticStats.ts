/**
 * Seeded synthetic Layer_Gradient records for tests, benchmarks and the interim demo.
 * Lines look like the study's files (Python's json.dumps layout, full-precision floats,
 * realistic text lengths: a 500-sample 32-layer file is ~17 MB) and their numbers mimic
 * its findings: fast thinking ('none') gives larger nuclear norms, larger in early
 * layers and bumpier across layers; detailed CoT is small and smooth; irrelevant
 * responses differ clearly from correct ones only for detailed CoT.
 */
import { formatPythonFloat, toPythonString } from '../format/jsonl.ts';
import { mulberry32 } from './mulberry32.ts';

/** What to generate; `nanRate` is the chance per sample that one matrix's norms are NaN (an SVD failure). */
export interface SyntheticStatsOptions {
  samples: number;
  layers: number;
  /** Module keys; default the four `self_attn.{q,k,v,o}_proj`. */
  modules?: string[];
  setting: 'none' | 'simplified' | 'detailed';
  correctness: 'correct' | 'irrelevant';
  seed: number;
  nanRate?: number;
}

/** The default modules: the study's Q, K, V, O projections. */
export const SYNTHETIC_MODULES: readonly string[] = ['self_attn.q_proj', 'self_attn.k_proj', 'self_attn.v_proj', 'self_attn.o_proj'];


/** A standard normal draw (Box-Muller). */
function normal(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Per-setting curve shape: S_sum ≈ scale·(peak·e^(-decay·x) + floor)·(1 + bump·wiggle(layer)). */
const SHAPES = {
  none: { peak: 42, decay: 3.2, floor: 7, bump: 0.22, ratio: 0.24, loss: 1.9 },
  simplified: { peak: 12, decay: 2.2, floor: 3.5, bump: 0.08, ratio: 0.14, loss: 0.9 },
  detailed: { peak: 3.2, decay: 1.2, floor: 1.8, bump: 0.025, ratio: 0.07, loss: 0.55 },
} as const;

/** How much irrelevant responses scale the curve (and how much more early-layer weight they add), per setting. */
const IRRELEVANT = {
  none: { scale: 1.03, early: 0.5, loss: 1.15 },
  simplified: { scale: 1.25, early: 2, loss: 1.6 },
  detailed: { scale: 1.7, early: 3, loss: 2.6 },
} as const;

const MODULE_SCALE: Readonly<Record<string, number>> = { q_proj: 1, k_proj: 0.75, v_proj: 1.45, o_proj: 1.2 };

const WORDS = (
  'the of and a to in is that for it as was with be by on not he this are or his from at which but have an they ' +
  'you were her she there one all we their has been if more when will would who so no number total each how many ' +
  'much apples price cost miles hours students money twice half three five seven dozen first then left per day week ' +
  'store bought sold pays earns remaining answer step therefore calculate multiply divide subtract add result equals'
).split(' ');

function sentence(rand: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    const r = rand();
    out.push(r < 0.12 ? String(Math.floor(rand() * 500)) : WORDS[Math.floor(r * WORDS.length)]);
  }
  const text = out.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function responseText(rand: () => number, setting: SyntheticStatsOptions['setting']): string {
  if (setting === 'none') return String(Math.floor(rand() * 1000));
  const words = setting === 'simplified' ? 30 + Math.floor(rand() * 40) : 180 + Math.floor(rand() * 160);
  return `${sentence(rand, words)}. The answer is ${Math.floor(rand() * 1000)}.`;
}

/**
 * Yields `samples` JSONL lines (no trailing newline) with instruction, output, loss and
 * all seven BASE_STATS for `model.layers.{i}.<module>.weight`, i < layers, in layer-major
 * order as the study's script writes them. The same seed gives the same lines; the
 * per-layer shape does not depend on the seed, so runs that differ only in seed share
 * their curves' bumps. samples ≤ 0 or layers ≤ 0 → no lines.
 */
export function* syntheticStatsLines(opts: SyntheticStatsOptions): Generator<string> {
  const { samples, layers, setting, correctness, seed } = opts;
  const modules = opts.modules ?? SYNTHETIC_MODULES;
  const nanRate = opts.nanRate ?? 0;
  if (!(samples > 0) || !(layers > 0)) return;
  const shape = SHAPES[setting];
  const irrelevant = correctness === 'irrelevant' ? IRRELEVANT[setting] : null;
  // Mean S_sum per (module, layer): fixed by setting, correctness and sizes, not by seed.
  const means = modules.map((module) => {
    const shapeRand = mulberry32(hashText(`${module}/${layers}`));
    const last = module.slice(module.lastIndexOf('.') + 1);
    const scale = MODULE_SCALE[last] ?? 1;
    return Array.from({ length: layers }, (_, layer) => {
      const x = layers > 1 ? layer / (layers - 1) : 0;
      const wiggle = normal(shapeRand);
      let mean = scale * (shape.peak * Math.exp(-shape.decay * x) + shape.floor) * (1 + shape.bump * wiggle);
      if (irrelevant) mean = mean * irrelevant.scale + scale * irrelevant.early * Math.exp(-4 * x);
      return Math.max(mean, 1e-3);
    });
  });
  const keys = [];
  for (let layer = 0; layer < layers; layer++) {
    for (let m = 0; m < modules.length; m++) keys.push({ m, layer, key: toPythonString(`model.layers.${layer}.${modules[m]}.weight`) });
  }
  const rand = mulberry32(seed ^ 0x9e3779b9);
  const f = formatPythonFloat;
  for (let s = 0; s < samples; s++) {
    const instruction = `${sentence(rand, 45 + Math.floor(rand() * 40))}?`;
    const output = responseText(rand, setting);
    const loss = shape.loss * (irrelevant?.loss ?? 1) * Math.exp(0.3 * normal(rand));
    const sampleScale = Math.exp(0.35 * normal(rand));
    const broken = rand() < nanRate ? Math.floor(rand() * keys.length) : -1;
    const parts: string[] = [`{"instruction": ${toPythonString(instruction)}, "output": ${toPythonString(output)}, "loss": ${f(loss)}`];
    for (let k = 0; k < keys.length; k++) {
      const { m, layer, key } = keys[k];
      const sSum = means[m][layer] * sampleScale * Math.exp(0.08 * normal(rand));
      const sMax = sSum * shape.ratio * Math.exp(0.15 * normal(rand));
      const frob = Math.min(sSum, sMax * (1.15 + 0.4 * rand()));
      const sMin = sMax * Math.pow(10, -10 - 3 * rand());
      const mMax = sMax * 0.018 * Math.exp(0.2 * normal(rand));
      const mMin = -mMax * (0.8 + 0.4 * rand());
      const mMean = sMax * 1e-6 * normal(rand);
      const nan = k === broken;
      parts.push(
        `, ${key}: {"M_mean": ${f(mMean)}, "M_max": ${f(mMax)}, "M_min": ${f(mMin)}, "frobenius_norm": ${nan ? 'NaN' : f(frob)}, ` +
          `"S_sum": ${nan ? 'NaN' : f(sSum)}, "S_max": ${nan ? 'NaN' : f(sMax)}, "S_min": ${nan ? 'NaN' : f(sMin)}}`,
      );
    }
    parts.push('}');
    yield parts.join('');
  }
}
