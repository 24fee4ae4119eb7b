// The package's entry for bundlers' development servers (package.json `exports` condition
// "development"): the engine's bytes come inlined in a JS module, because a dev server that
// pre-bundles dependencies (Vite's) moves the glue away from the .wasm file it would fetch.
// Production builds resolve npm/bundler.js instead, which ships the .wasm as a smaller asset.
import init from '../www/pkg/liveness.js';
import base64 from '../www/pkg/liveness_bg.wasm.base64.js';

const text = atob(base64);
const bytes = new Uint8Array(text.length);
for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
await init({ module_or_path: bytes });

export * from '../www/pkg/liveness.js';
export { default } from '../www/pkg/liveness.js';
