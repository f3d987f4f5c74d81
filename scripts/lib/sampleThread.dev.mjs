// The sample thread run from sources (tsx, vitest): registers tsx's loader in this
// thread, then runs sampleThread.ts. The CLI bundle runs dist-cli/sampleThread.cjs instead.
import { register } from 'tsx/esm/api';

register();
await import('./sampleThread.ts');
