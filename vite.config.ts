import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';

/**
 * The built app's Content-Security-Policy. No inline script; 'wasm-unsafe-eval' because
 * WebAssembly is compiled from bytes (the reader's kernel, tfjs's wasm backend) and for
 * nothing else; connections to this site and to https sites, which `?src=` fetches only
 * after the user agrees (sourceUrls.ts); styles inline because Svelte writes style
 * attributes; images from data:/blob: for PNG export. A meta tag, so any static host
 * serving dist/ sends it.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' https: data: blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

/** Adds the policy to the built index.html (the dev server's hot reload needs inline styles and a websocket). */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'gradlens-csp',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }],
  };
}

// One config for the app and the unit/component tests. Component tests opt into
// jsdom with a `// @vitest-environment jsdom` comment; everything else runs in Node.
// The build resolves @tensorflow/tfjs to tfjs-core with its gradients
// (src/core/model/tfjsCore.ts; the compute worker imports its backends itself), so the
// worker ships no layers, converter or data; tests keep Node's own resolution.
export default defineConfig(({ command }) => ({
  resolve: command === 'build' ? { alias: [{ find: /^@tensorflow\/tfjs$/, replacement: fileURLToPath(new URL('./src/core/model/tfjsCore.ts', import.meta.url)) }] } : {},
  plugins: [svelte(), svelteTesting(), contentSecurityPolicy()],
  base: './',
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/e2e/**', 'node_modules/**'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
}));
