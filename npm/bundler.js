// The package's entry for bundlers and browsers (package.json `exports` condition "default"):
// fetches and instantiates the engine — the lab module and the sweep module — before anything
// imports it (top-level await), so `import { Simulation, Sweep } from "liveness"` is ready to
// use. The glue finds each .wasm file with `new URL("…_bg.wasm", import.meta.url)`, which
// bundlers such as Vite emit as an asset with no configuration. A page that wants the sweep
// code only on demand imports "liveness/web" and "liveness/sweep/web" itself. `init()` and
// `initSync()` are the lab module's, re-exported; they return at once when called again.
import init from '../www/pkg/liveness.js';
import initSweep from '../www/pkg/liveness_sweep.js';

await Promise.all([init(), initSweep()]);

export * from '../www/pkg/liveness.js';
export * from '../www/pkg/liveness_sweep.js';
export { default, initSync } from '../www/pkg/liveness.js';
