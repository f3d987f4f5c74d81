// Preloaded into the CLI by tests/scripts/hostile.test.ts (NODE_OPTIONS=--import=…): on
// exit, writes the process's peak resident set size in KB to $GRADLENS_PEAK_RSS_FILE.
import { writeFileSync } from 'node:fs';

const target = process.env.GRADLENS_PEAK_RSS_FILE;
if (target) process.on('exit', () => writeFileSync(target, String(process.resourceUsage().maxRSS)));
