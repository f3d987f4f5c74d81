/** Public face of the linear algebra used for gradient statistics. */
export { effectiveRank } from './effectiveRank';
export type { DenseMatrix } from './gram';
export { matrixStats, type MatrixStats } from './matrixStats';
export { singularValues, singularValuesOfProduct } from './singularValues';
export { symmetricEigenvalues } from './symmetricEigenvalues';
export { singularValuesOfProductQR } from './singularValuesOfProductQR';
