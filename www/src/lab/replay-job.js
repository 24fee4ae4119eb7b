// A run re-simulated from 0 to a time for what only a full run has: its trace hash, as
// `liveness run` gives it (docs/trace.md), and optionally its trace file (the CLI's `--trace`
// JSON Lines). The page's own run cannot give them: it caught up by fast-forward, which skips
// messages. Worked out a slice at a time, so the Export dialog asks the judges (judges.js) and a
// big cluster's re-simulation runs in the judge worker, not in the page's main thread; the file
// is built from chunks into a Blob, never one string (5,000 agents for an hour is ~300 MB of
// text, 2.4 M lines). Same shape as a Judge: step(budgetMs), progress, partial(), result(),
// free(). No DOM.

/** Events per engine call between two looks at the clock. */
const EVENTS_PER_CALL = 20_000;
const NO_AGENTS = new Uint32Array(0);

/** One re-simulation of `scenario` from 0 to `until` (ms). */
export class ReplayJob {
  /**
   * @param lib the engine (engine.js :: libFrom)
   * @param scenario the scenario with its policy (and the faults injected, with their times)
   * @param until where it stops (ms): the clock of the run it stands for
   * @param opts — { lines: true } also builds the trace file
   */
  constructor(lib, scenario, until, { lines = false } = {}) {
    // 'streaming': events are hashed and dropped as they are drained, so memory stays flat
    this.sim = new lib.Simulation(scenario, { trace: 'streaming' });
    this.until = until;
    this.chunks = lines ? [] : null;
    this.out = null;
  }

  /** How far it got (0–1). */
  get progress() {
    if (this.out) return 1;
    return this.until > 0 ? Math.min(1, this.sim.now / this.until) : 1;
  }

  /** Nothing to show before the end. */
  partial() { return null; }

  /** Runs for about `budgetMs` of wall time (Infinity: to the end); true when done. */
  step(budgetMs = Infinity) {
    const t0 = performance.now();
    while (!this.out) {
      const there = this.sim.advanceBounded(this.until, EVENTS_PER_CALL);
      // hands out (and hashes) what was recorded; with 'streaming' the sim now retains exactly
      // those events, which traceJsonLines writes
      this.sim.drainEventsOf(NO_AGENTS);
      // each chunk becomes a Blob at once: the browser keeps blob data outside the JS heap (and
      // may spill it to disk), so a trace of a gigabyte does not sit in the worker's memory twice
      if (this.chunks) this.chunks.push(new Blob([this.sim.traceJsonLines()]));
      if (there) {
        const file = this.chunks && new Blob(this.chunks, { type: 'application/x-ndjson' });
        this.chunks = null;
        this.out = { hash: this.sim.traceHash(), file };
      } else if (performance.now() - t0 >= budgetMs) {
        break;
      }
    }
    return this.out !== null;
  }

  /** Once step() returned true: { hash (16 hex digits), file (a Blob of JSON Lines, or null) }. */
  result() { return this.out; }

  /** Frees the simulation. */
  free() {
    this.sim?.free();
    this.sim = null;
  }
}
