// The trace hash of a run up to a time, as `liveness run` gives it (docs/trace.md), worked out
// a slice at a time: the Export dialog asks the judges (judges.js) for it, so re-simulating a
// big cluster to the clock happens in the judge worker, not in the page's main thread. The
// page's own run cannot give it: it caught up by fast-forward, whose hash leaves out the
// messages it skipped. Same shape as a Judge: step(budgetMs), progress, partial(), result(),
// free(). No DOM.

/** Events per engine call between two looks at the clock. */
const EVENTS_PER_CALL = 20_000;
const NO_AGENTS = new Uint32Array(0);

/** One re-simulation of `scenario` from 0 to `until` (ms) for its trace hash. */
export class TraceHashJob {
  /**
   * @param lib the engine (engine.js :: libFrom)
   * @param scenario the scenario with its policy (and the faults injected, with their times)
   * @param until where the hash stops (ms), the clock of the run it stands for
   */
  constructor(lib, scenario, until) {
    // 'streaming': events are hashed and dropped as they are drained, so memory stays flat
    this.sim = new lib.Simulation(scenario, { trace: 'streaming' });
    this.until = until;
    this.hash = null;
  }

  /** How far it got (0–1). */
  get progress() {
    if (this.hash !== null) return 1;
    return this.until > 0 ? Math.min(1, this.sim.now / this.until) : 1;
  }

  /** Nothing to show before the end. */
  partial() { return null; }

  /** Runs for about `budgetMs` of wall time (Infinity: to the end); true when done. */
  step(budgetMs = Infinity) {
    const t0 = performance.now();
    while (this.hash === null) {
      const there = this.sim.advanceBounded(this.until, EVENTS_PER_CALL);
      this.sim.drainEventsOf(NO_AGENTS); // hashes what was recorded and lets it go
      if (there) this.hash = this.sim.traceHash();
      else if (performance.now() - t0 >= budgetMs) break;
    }
    return this.hash !== null;
  }

  /** The trace hash (16 hex digits) once step() returned true. */
  result() { return this.hash; }

  /** Frees the simulation. */
  free() {
    this.sim?.free();
    this.sim = null;
  }
}
