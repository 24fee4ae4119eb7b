import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The lab lives in www/ and is built to www/dist/ with relative URLs (base './')
// so the output can be served from any path, e.g. by scripts/serve.mjs.
export default defineConfig({
  root: fileURLToPath(new URL('./www', import.meta.url)),
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
