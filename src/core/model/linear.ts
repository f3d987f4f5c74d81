/**
 * Matrix products for the model, in two flavours: tfjs's own (`native`), and one with
 * a custom gradient that transposes operands explicitly (`transposed`), because
 * tfjs-wasm's matMul is ~10× slower when asked to transpose an operand itself
 * (FINDINGS.md). Linear layers can also hand their factors (upstream gradient Δ and
 * input X, so G = Δᵀ X) to a sink for per-sample statistics, and skip the weight
 * gradient of matrices nobody asked for.
 */
import * as tf from '@tensorflow/tfjs';

/** How to multiply: tfjs's matMul with its own gradient, or explicit transposes (faster on wasm). */
export type MatMulMode = 'native' | 'transposed';

/** Receives a linear layer's factors during backward: dy [N, out], x [N, in]; kept tensors the sink must dispose. */
export type FactorSink = (name: string, dy: tf.Tensor2D, x: tf.Tensor2D) => void;

/** Which linear layers hand their factors to the sink. */
export interface FactorCapture {
  names: ReadonlySet<string>;
  sink: FactorSink;
}

/** What linear layers do beyond x Wᵀ: capture factors, and which weights get a gradient. */
export interface LinearOptions {
  capture?: FactorCapture;
  /**
   * Names of the weights whose gradients will be taken (linear and RMSNorm weights);
   * any other weight is a constant of the layer, so the backward pass computes its
   * input gradient only. Absent: every weight (training). Linear layers need this in
   * the `transposed` flavour only (tfjs's own gradient already skips inputs off the
   * path to the differentiated weights); RMSNorm's written gradient needs it in both.
   */
  weightGrads?: ReadonlySet<string>;
}

/** Whether the weight `name` gets a gradient under these options (every weight when `weightGrads` is absent). */
export function wantsWeightGrad(options: LinearOptions, name: string | undefined): boolean {
  return options.weightGrads === undefined || (name !== undefined && options.weightGrads.has(name));
}

/** The matMul mode that is fastest on the active backend: `transposed` on wasm, `native` elsewhere. */
export function defaultMatMulMode(): MatMulMode {
  return tf.getBackend() === 'wasm' ? 'transposed' : 'native';
}

function swapLast(t: tf.Tensor): tf.Tensor {
  const perm = t.shape.map((_, i) => i);
  const r = perm.length;
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  return tf.transpose(t, perm);
}

const size = (t: tf.Tensor) => t.size;

/**
 * a @ b (batched over leading dims, same batch shape) with a gradient that transposes
 * explicitly. Of the two ways to write each operand's gradient, the one that
 * transposes the smaller matrices is taken: tfjs-wasm's matMul repacks its second
 * operand anyway, so for P [T, T] @ V [T, hd] the gradient Pᵀ dY is computed as
 * (dYᵀ P)ᵀ, two [T, hd]-sized transposes instead of one of P.
 */
const matMulTransposed = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [a, b, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    // In a tidy: tfjs runs custom gradients outside one, so the transposes would live to the end of backward.
    gradFunc: (g: tf.Tensor, saved: tf.Tensor[]) =>
      tf.tidy(() => {
        const [sa, sb] = saved;
        // da = g bᵀ = (b gᵀ)ᵀ; db = aᵀ g = (gᵀ a)ᵀ.
        const da = size(sb) > size(g) + size(sa) ? swapLast(tf.matMul(sb, swapLast(g))) : tf.matMul(g, swapLast(sb));
        const db = size(sa) > size(g) + size(sb) ? swapLast(tf.matMul(swapLast(g), sa)) : tf.matMul(swapLast(sa), g);
        return [da, db];
      }),
  };
}) as (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;

/** a [..., m, k] @ b [..., k, n] → [..., m, n], with the chosen gradient flavour. */
export function matMul(a: tf.Tensor, b: tf.Tensor, mode: MatMulMode): tf.Tensor {
  return mode === 'native' ? tf.matMul(a, b) : matMulTransposed(a, b);
}

/** a [..., m, k] @ bᵀ where b is [..., n, k] → [..., m, n]. */
export function matMulBT(a: tf.Tensor, b: tf.Tensor, mode: MatMulMode): tf.Tensor {
  return mode === 'native' ? tf.matMul(a, b, false, true) : matMulTransposed(a, swapLast(b));
}

/** x Wᵀ with a gradient of x and W (= Δᵀ X, [out, in]) from explicit transposes, handing (Δ, X) to `sink` when given. */
function weightLinear(name: string, sink?: FactorSink): (x: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D {
  return tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x, w, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
    save([x, w]);
    return {
      value: tf.matMul(x, tf.transpose(w)) as tf.Tensor2D, // [N, out]
      // In a tidy (Δᵀ dies at once); the sink's copies are kept out of it.
      gradFunc: (g: tf.Tensor2D, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          // g: [N, out]
          const [sx, sw] = saved as [tf.Tensor2D, tf.Tensor2D];
          sink?.(name, tf.keep(g.clone()), tf.keep(sx.clone()));
          return [tf.matMul(g, sw) /* [N, in] */, tf.matMul(tf.transpose(g), sx) /* [out, in] = Δᵀ X */];
        }),
    };
  }) as (x: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;
}

/** x Wᵀ with W a constant (closed over, not an input of the gradient): backward computes Δ W only. */
function constantLinear(w: tf.Tensor2D): (x: tf.Tensor2D) => tf.Tensor2D {
  return tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x] = args as [tf.Tensor2D, tf.GradSaveFunc];
    return {
      value: tf.matMul(x, tf.transpose(w)) as tf.Tensor2D, // [N, out]
      gradFunc: (g: tf.Tensor2D) => [tf.matMul(g, w) /* [N, in] */],
    };
  }) as (x: tf.Tensor2D) => tf.Tensor2D;
}

/**
 * A bias-free linear layer y = x Wᵀ: x [N, in], w [out, in] (HF layout) → [N, out].
 * When `options.capture` lists `name`, the backward pass hands (Δ, X) to the sink;
 * when `options.weightGrads` leaves `name` out, W gets no gradient (see LinearOptions).
 */
export function linear(x: tf.Tensor2D, w: tf.Tensor2D, mode: MatMulMode, name?: string, options: LinearOptions = {}): tf.Tensor2D {
  const captured = name !== undefined && options.capture?.names.has(name) === true;
  if (captured) return weightLinear(name, options.capture!.sink)(x, w);
  if (mode === 'native') return tf.matMul(x, w, false, true) as tf.Tensor2D;
  return wantsWeightGrad(options, name) ? weightLinear(name ?? '')(x, w) : constantLinear(w)(x);
}
