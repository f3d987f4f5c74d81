/**
 * What gradlens's models use of `@tensorflow/tfjs`: tfjs-core with every gradient and
 * the chained tensor methods, without layers, converter, data or the webgl backend.
 * The source imports `@tensorflow/tfjs` (whose CommonJS build is the only one that
 * registers gradients when Node loads packages itself, as tests and tsx scripts do);
 * the bundles (the CLI's esbuild build, the app's Vite build) resolve it to this file,
 * so they ship and load tfjs-core alone, and import the backends they use themselves.
 */
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';

export * from '@tensorflow/tfjs-core';
