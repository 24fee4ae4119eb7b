// Loads the wasm engine once and hands the page what it asks of it: the Simulation class, the
// presets, scenario validation, and the names behind the byte views (master views, agent
// states and task states) — read from the engine, never typed here.
import init, * as pkg from '../pkg/liveness.js';

let lib = null;

/** The library the Lab uses, from an initialised wasm package (Node tests pass theirs). */
export function libFrom(p) {
  return {
    Simulation: p.Simulation,
    presets: () => p.presets(),
    validateScenario: (s) => p.validateScenario(s),
    MASTER_VIEWS: p.masterViewNames(),
    AGENT_STATES: p.agentStateNames(),
    TASK_STATES: p.taskStateNames(),
  };
}

/** Initialises the wasm module once; returns the library the Lab uses. */
export async function loadEngine() {
  if (lib) return lib;
  await init();
  if (typeof pkg.Simulation !== 'function' || typeof pkg.presets !== 'function') {
    throw new Error('the wasm package has no Simulation/presets exports (build it with `npm run build:wasm`)');
  }
  lib = libFrom(pkg);
  return lib;
}
