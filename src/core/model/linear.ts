/**
 * Matrix products for the model, in two flavours: tfjs's own (`native`), and one with
 * a custom gradient that transposes operands explicitly (`transposed`), because
 * tfjs-wasm's matMul is ~10× slower when asked to transpose an operand itself
 * (FINDINGS.md). The custom linear can also hand the layer's factors (upstream
 * gradient Δ and input X, so G = Δᵀ X) to a sink for per-sample statistics.
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

/** a @ b (batched over leading dims, same batch shape) with a gradient that transposes explicitly. */
const matMulTransposed = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [a, b, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (g: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved;
      return [tf.matMul(g, swapLast(sb)), tf.matMul(swapLast(sa), g)];
    },
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

function capturingLinear(name: string, sink: FactorSink): (x: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D {
  return tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x, w, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
    save([x, w]);
    return {
      value: tf.matMul(x, tf.transpose(w)) as tf.Tensor2D, // [N, out]
      gradFunc: (g: tf.Tensor2D, saved: tf.Tensor[]) => {
        // g: [N, out]
        const [sx, sw] = saved as [tf.Tensor2D, tf.Tensor2D];
        sink(name, tf.keep(g.clone()), tf.keep(sx.clone()));
        return [tf.matMul(g, sw) /* [N, in] */, tf.matMul(tf.transpose(g), sx) /* [out, in] = Δᵀ X */];
      },
    };
  }) as (x: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;
}

/**
 * A bias-free linear layer y = x Wᵀ: x [N, in], w [out, in] (HF layout) → [N, out].
 * When `capture` lists `name`, the backward pass hands (Δ, X) to the sink.
 */
export function linear(x: tf.Tensor2D, w: tf.Tensor2D, mode: MatMulMode, name?: string, capture?: FactorCapture): tf.Tensor2D {
  if (name !== undefined && capture?.names.has(name)) return capturingLinear(name, capture.sink)(x, w);
  return matMulBT(x, w, mode) as tf.Tensor2D;
}
