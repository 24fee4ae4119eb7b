// Loads the wasm engine once and hands the page what it asks of it: the Simulation class, the
// presets, scenario validation, and the names behind the byte views (master views, agent
// states and task states) — read from the engine, never typed here.
import init, * as pkg from '../pkg/liveness.js';

/** The library once the wasm module is initialised (a promise, so that elements loading at the
 *  same time share one initialisation instead of instantiating the module twice). */
let loading = null;

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
export function loadEngine() {
  if (loading) return loading;
  loading = (async () => {
    await init();
    if (typeof pkg.Simulation !== 'function' || typeof pkg.presets !== 'function') {
      throw new Error('the wasm package has no Simulation/presets exports (build it with `npm run build:wasm`)');
    }
    return libFrom(pkg);
  })();
  // A failed load may be tried again (the next caller asks anew).
  loading.catch(() => { loading = null; });
  return loading;
}
