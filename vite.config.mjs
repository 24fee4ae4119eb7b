import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const www = (p) => fileURLToPath(new URL(`./www/${p}`, import.meta.url));

// The lab lives in www/ and is built to www/dist/ with relative URLs (base './')
// so the output can be served from any path, e.g. by scripts/serve.mjs. Three entries: the lab
// (index.html), the chrome-less page for iframes (embed.html) and the <liveness-lab> element
// for course pages, kept at the root as liveness-lab.js (no hash: teachers copy its address).
export default defineConfig({
  root: www(''),
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rollupOptions: {
      input: { index: www('index.html'), embed: www('embed.html'), 'liveness-lab': www('liveness-lab.js') },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'liveness-lab' ? 'liveness-lab.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
