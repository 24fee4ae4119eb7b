// The package's entry for bundlers and browsers (package.json `exports` condition "default"):
// fetches and instantiates the engine before anything imports it (top-level await), so
// `import { Simulation } from "liveness"` is ready to use. The glue finds the .wasm file with
// `new URL("liveness_bg.wasm", import.meta.url)`, which bundlers such as Vite emit as an asset
// with no configuration. `init()` and `initSync()` are re-exported and return at once when called
// again.
import init from '../www/pkg/liveness.js';

await init();

export * from '../www/pkg/liveness.js';
export { default } from '../www/pkg/liveness.js';
