/**
 * Seeded synthetic statistics files in the follow-up study's format (arXiv 2504.10766,
 * `Gradient_Unified`): for tests, the end-to-end suite and the bench. Each sample's
 * gradients are real low-rank matrices G = Δᵀ X (T tokens, small widths), so every
 * number in a line is what the follow-up's script would write for them: `S_list` the
 * exact singular values (largest first; zeros past rank T), M_mean / M_max / M_min /
 * frobenius_norm of G, and `cosine_sim` / `cosine_sim_qkvo` from the flattened G (the
 * same code the live computation writes them with). The numbers mimic the follow-up's
 * findings: the `highest` subset of a quality metric has lower nuclear norms and higher
 * effective ranks than the `lowest` (its tokens share the gradient more evenly).
 * Adjacent layers' gradients are made correlated (their inputs and upstream gradients
 * are), more than the follow-up measured (near 0), so the cosine maps show a structure
 * to check the views by; same-layer ones stay near 0.
 */
import { cosineBlocks } from '../format/followupBlocks.ts';
import { toJsonlLine } from '../format/jsonl.ts';
import { matrixStatsAndSpectrum } from '../linalg/matrixStats.ts';
import { mulberry32, type Random } from './mulberry32.ts';

/** What to generate. */
export interface SyntheticFollowupOptions {
  samples: number;
  layers: number;
  /** The follow-up's subsets: the samples a quality metric ranks highest or lowest. */
  quality: 'highest' | 'lowest';
  seed: number;
  /** Width of the model (q_proj and o_proj are width × width; k_proj and v_proj half as wide, as with grouped-query attention). Default 16. */
  width?: number;
}

/** A standard normal draw (Box-Muller). */
function normal(rand: Random): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

function randomMatrix(rand: Random, rows: number, cols: number): Float64Array {
  const m = new Float64Array(rows * cols);
  for (let i = 0; i < m.length; i++) m[i] = normal(rand);
  return m;
}

/** G = Δᵀ X: [dOut, dIn] row-major from Δ [T, dOut] and X [T, dIn]. */
function product(delta: Float64Array, x: Float64Array, tokens: number, dOut: number, dIn: number): Float64Array {
  const g = new Float64Array(dOut * dIn);
  for (let t = 0; t < tokens; t++) {
    for (let o = 0; o < dOut; o++) {
      const d = delta[t * dOut + o];
      for (let i = 0; i < dIn; i++) g[o * dIn + i] += d * x[t * dIn + i];
    }
  }
  return g;
}

const PROJECTIONS = ['q_proj', 'k_proj', 'v_proj', 'o_proj'] as const;

/**
 * Yields `samples` JSONL lines (no trailing newline) in the follow-up's format:
 * instruction, input, output, loss, then `model.layers.{i}.self_attn.{q,k,v,o}_proj.weight`
 * with M_mean, M_max, M_min, frobenius_norm and S_list, then cosine_sim and
 * cosine_sim_qkvo. Same options → same lines. samples ≤ 0 or layers ≤ 0 → no lines.
 */
export function* syntheticFollowupLines(opts: SyntheticFollowupOptions): Generator<string> {
  const { samples, layers, quality, seed } = opts;
  if (!(samples > 0) || !(layers > 0)) return;
  const width = opts.width ?? 16;
  const narrow = Math.max(1, width >> 1);
  const shapes: Record<(typeof PROJECTIONS)[number], [number, number]> = { q_proj: [width, width], k_proj: [narrow, width], v_proj: [narrow, width], o_proj: [width, width] };
  // Lowest-quality samples: a few tokens carry most of the gradient (low effective rank), and it is larger.
  const spread = quality === 'highest' ? 0.35 : 1.4;
  const scale = quality === 'highest' ? 0.6 : 1;
  const rand = mulberry32(seed ^ 0x85ebca6b);
  for (let s = 0; s < samples; s++) {
    const tokens = 4 + Math.floor(rand() * Math.min(12, width));
    const weights = Float64Array.from({ length: tokens }, () => Math.exp(spread * normal(rand)));
    const record: Record<string, unknown> = {
      instruction: `Synthetic instruction ${s + 1} (${quality}).`,
      input: '',
      output: `Synthetic response ${s + 1}.`,
      loss: (quality === 'highest' ? 0.9 : 1.6) * Math.exp(0.25 * normal(rand)),
    };
    const grads = new Map<string, Float64Array>();
    // Inputs and upstream gradients of adjacent layers are correlated, so are their gradients.
    const x = randomMatrix(rand, tokens, width);
    const deltas = new Map<string, Float64Array>();
    for (let layer = 0; layer < layers; layer++) {
      if (layer > 0) {
        const fresh = randomMatrix(rand, tokens, width);
        for (let i = 0; i < x.length; i++) x[i] = 0.8 * x[i] + 0.6 * fresh[i];
      }
      const depth = layers > 1 ? layer / (layers - 1) : 0;
      for (const projection of PROJECTIONS) {
        const [dOut, dIn] = shapes[projection];
        const previous = deltas.get(projection);
        const fresh = randomMatrix(rand, tokens, dOut);
        if (previous !== undefined) for (let i = 0; i < fresh.length; i++) fresh[i] = 0.6 * previous[i] + 0.8 * fresh[i];
        deltas.set(projection, fresh);
        const delta = fresh.slice();
        const size = (scale * (1.5 * Math.exp(-2.5 * depth) + 0.4)) / Math.sqrt(tokens * width);
        for (let t = 0; t < tokens; t++) for (let o = 0; o < dOut; o++) delta[t * dOut + o] *= size * weights[t];
        const g = product(delta, x.subarray(0, tokens * dIn), tokens, dOut, dIn);
        const name = `model.layers.${layer}.self_attn.${projection}.weight`;
        const { stats, sigma } = matrixStatsAndSpectrum(g, dOut, dIn);
        record[name] = { M_mean: stats.M_mean, M_max: stats.M_max, M_min: stats.M_min, frobenius_norm: stats.frobenius_norm, S_list: Array.from(sigma) };
        grads.set(name, g);
      }
    }
    Object.assign(record, cosineBlocks([...grads.keys()], (n) => grads.get(n) ?? null));
    yield toJsonlLine(record);
  }
}
