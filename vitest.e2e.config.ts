import { defineConfig } from 'vitest/config';

// End-to-end tests: drive the built app (`vite build` output served by `vite preview`)
// in headless Chromium through playwright-core. Run after `vite build` (see `npm run test:e2e`).
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 240_000,
  },
});
