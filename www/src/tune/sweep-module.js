// The Tuning tab's engine: the sweep wasm module (`liveness_sweep`: the Sweep class, the metric
// catalogue, recommendations, CSV), fetched and instantiated the first time the tab is shown, so
// loading the Lab does not pay for the sweep code. The Lab's module (`liveness`) is separate.
import init from '../../pkg/liveness_sweep.js';

let ready = null;

/** Loads the sweep module once; resolves when its exports can be called. */
export function loadSweepModule() {
  ready ??= init();
  return ready;
}
