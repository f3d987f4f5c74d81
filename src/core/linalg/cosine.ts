/**
 * Cosines between flattened gradients as the follow-up study computes them
 * (`Gradient_Unified`, get_grad_vector_initial_try.py: `cosine_similarity` and
 * `compute_cosine_similarity_chunked`): dot(a, b) / (‖a‖ ‖b‖ + 1e-9), the 1e-9 guarding
 * a zero gradient. Here in float64, summed in index order (the follow-up sums float32
 * on a GPU), so a vector's cosine with itself is ‖a‖² / (‖a‖² + 1e-9), 1 to within
 * 1e-9 / ‖a‖².
 */

/** The follow-up's guard in the denominator. */
export const COSINE_EPSILON = 1e-9;

/** Σ aᵢ bᵢ in float64, in index order. Vectors of different lengths: RangeError (torch.dot refuses them too). */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`cannot take the dot product of vectors of ${a.length} and ${b.length} entries`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

/**
 * dot(a, b) / (‖a‖ ‖b‖ + 1e-9). NaN anywhere → NaN; two zero vectors → 0.
 * Example: followupCosine([1, 0], [1, 1]) = 1 / (√2 + 1e-9) ≈ 0.7071067807.
 */
export function followupCosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return dot(a, b) / (Math.sqrt(dot(a, a)) * Math.sqrt(dot(b, b)) + COSINE_EPSILON);
}

/**
 * The n × n matrix of followupCosine between every pair of `vectors` (row-major,
 * symmetric: entry (j, i) is entry (i, j), as the follow-up's chunked loop leaves it).
 * Norms are taken once; the vectors are read, never kept. Empty list → empty matrix.
 */
export function cosineMatrix(vectors: readonly ArrayLike<number>[]): Float64Array {
  const n = vectors.length;
  const norms = vectors.map((v) => Math.sqrt(dot(v, v)));
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const c = dot(vectors[i], vectors[j]) / (norms[i] * norms[j] + COSINE_EPSILON);
      out[i * n + j] = c;
      out[j * n + i] = c;
    }
  }
  return out;
}
