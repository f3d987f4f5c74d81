// Resampling worker: bootstrap intervals and permutation tests of two runs (see resamplingHandler.ts).
import { expose } from 'comlink';
import { resamplingHandler } from './resamplingHandler.ts';

expose(resamplingHandler);
