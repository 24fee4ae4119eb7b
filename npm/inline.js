// The package's entry for bundlers' development servers (package.json `exports` condition
// "development"): the engine's bytes (lab and sweep modules) come inlined in JS modules, because a
// dev server that pre-bundles dependencies (Vite's) moves the glue away from the .wasm files it
// would fetch. Production builds resolve npm/bundler.js instead, which ships the .wasm files as
// smaller assets.
import init from '../www/pkg/liveness.js';
import initSweep from '../www/pkg/liveness_sweep.js';
import base64 from '../www/pkg/liveness_bg.wasm.base64.js';
import sweepBase64 from '../www/pkg/liveness_sweep_bg.wasm.base64.js';

function bytesOf(b64) {
  const text = atob(b64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}
await Promise.all([init({ module_or_path: bytesOf(base64) }), initSweep({ module_or_path: bytesOf(sweepBase64) })]);

export * from '../www/pkg/liveness.js';
export * from '../www/pkg/liveness_sweep.js';
export { default, initSync } from '../www/pkg/liveness.js';
