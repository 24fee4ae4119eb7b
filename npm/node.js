// The package's entry for Node (package.json `exports` condition "node"): instantiates the engine
// synchronously from the .wasm files beside the JS glue — the lab module (`Simulation`, the
// catalogue) and the sweep module (`Sweep`, the sweep functions) — so
// `import { Simulation, Sweep } from "liveness"` is ready to use. `init()` and `initSync()` are
// the lab module's, re-exported; they return at once when called again.
import { readFileSync } from 'node:fs';
import { initSync } from '../www/pkg/liveness.js';
import { initSync as initSweepSync } from '../www/pkg/liveness_sweep.js';

initSync({ module: readFileSync(new URL('../www/pkg/liveness_bg.wasm', import.meta.url)) });
initSweepSync({ module: readFileSync(new URL('../www/pkg/liveness_sweep_bg.wasm', import.meta.url)) });

export * from '../www/pkg/liveness.js';
export * from '../www/pkg/liveness_sweep.js';
export { default, initSync } from '../www/pkg/liveness.js';
