/**
 * The follow-up study's layers × layers cosine maps (`cosine_sim`, arXiv 2504.10766)
 * averaged over a run's samples, per projection, and the difference of two runs' maps.
 */
import type { ModuleKey, Run } from '../format/run.ts';

/** A mean L × L map, row-major: `mean[i * L + j]`, and how many samples each cell averages. */
export interface CosineMap {
  layerCount: number;
  mean: Float64Array;
  count: Uint32Array;
}

/** The modules of `run` with a cosine_sim block, in the run's order. */
export function cosineModules(run: Run): ModuleKey[] {
  return run.modules.filter((m) => run.cosineSim?.has(m) ?? false);
}

/**
 * Mean over samples of `module`'s cosine matrices, cell by cell over the samples that
 * have the cell (a NaN, or a layer the sample's block did not list, is left out of that
 * cell only; a cell no sample has is NaN). With no NaN anywhere, cell (i, i+1) is the
 * mean of the adjacent-layer cosine curve at layer i. null when the run has no block for
 * `module`. Example: samples [[1, .5], [.5, 1]] and [[1, .1], [.1, 1]] → [[1, .3], [.3, 1]].
 */
export function meanCosineMap(run: Run, module: ModuleKey): CosineMap | null {
  const matrices = run.cosineSim?.get(module);
  if (matrices === undefined) return null;
  const L = run.layerCount;
  const cells = L * L;
  const sum = new Float64Array(cells);
  const count = new Uint32Array(cells);
  for (let s = 0; s < run.sampleCount; s++) {
    const base = s * cells;
    for (let c = 0; c < cells; c++) {
      const x = matrices[base + c];
      if (x === x) {
        sum[c] += x;
        count[c]++;
      }
    }
  }
  for (let c = 0; c < cells; c++) sum[c] = count[c] === 0 ? NaN : sum[c] / count[c];
  return { layerCount: L, mean: sum, count };
}

/**
 * The cell-wise difference `other − reference` of two mean maps of the same layer count
 * (each cell's count the smaller of the two); RangeError for different layer counts.
 */
export function cosineMapDifference(reference: CosineMap, other: CosineMap): CosineMap {
  if (reference.layerCount !== other.layerCount) {
    throw new RangeError(`cannot take the difference of cosine maps of ${other.layerCount} and ${reference.layerCount} layers`);
  }
  const n = reference.mean.length;
  return {
    layerCount: reference.layerCount,
    mean: Float64Array.from({ length: n }, (_, c) => other.mean[c] - reference.mean[c]),
    count: Uint32Array.from({ length: n }, (_, c) => Math.min(reference.count[c], other.count[c])),
  };
}

/**
 * The largest |value| off the diagonal (the diagonal is 1 by construction and would
 * wash out a colour scale centred on 0); 0 when there is none.
 */
export function offDiagonalExtent(map: CosineMap): number {
  const L = map.layerCount;
  let m = 0;
  for (let i = 0; i < L; i++) {
    for (let j = 0; j < L; j++) {
      const x = map.mean[i * L + j];
      if (i !== j && Number.isFinite(x)) m = Math.max(m, Math.abs(x));
    }
  }
  return m;
}
