// The package's entry for Node (package.json `exports` condition "node"): instantiates the engine
// synchronously from the .wasm file beside the JS glue, so `import { Simulation } from "liveness"`
// is ready to use. `init()` and `initSync()` are re-exported and return at once when called again.
import { readFileSync } from 'node:fs';
import { initSync } from '../www/pkg/liveness.js';

initSync({ module: readFileSync(new URL('../www/pkg/liveness_bg.wasm', import.meta.url)) });

export * from '../www/pkg/liveness.js';
export { default } from '../www/pkg/liveness.js';
