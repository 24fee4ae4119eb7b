#!/usr/bin/env node
// Re-simulation benchmark (issue 13, goal: ≤ 16 ms per 1,000 agents × 1 simulated hour): times
// running a scenario to its end and reading its verdicts through the wasm build in Node, the
// full run (trace "streaming", as the lab runs) against fast-forward (trace "verdicts",
// fastForward: true). The verdicts (expectations and metrics) are timed with the run; handing
// out the non-message events as objects is timed apart. Median of 5 runs each. Prints one JSON
// object.
//
//   node scripts/bench-resim.mjs [--quick] [--pkg DIR]
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const pkgAt = argv.indexOf('--pkg');
const pkg = pkgAt >= 0 ? argv[pkgAt + 1] : `${root}www/pkg`;
const runs = argv.includes('--quick') ? 1 : 5;

const { initSync, Simulation } = await import(`${pkg}/liveness.js`);
initSync({ module: readFileSync(`${pkg}/liveness_bg.wasm`) });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** A lab-like cluster: `agents` agents for an hour, two of them partitioned for 20 minutes. */
function scenario(agents) {
  return {
    name: `resim ${agents}`, seed: 1, duration: '1hrs',
    frameworks: [{ name: 'web', partition_aware: true, checkpoint: true }],
    agents: [{ name: 'a', count: agents, tasks: { web: 2 } }],
    faults: [{ at: '10mins', kind: 'partition', agents: ['a-1', `a-${agents - 1}`], direction: 'both' },
      { at: '30mins', kind: 'heal', agents: ['a-1', `a-${agents - 1}`] }],
  };
}

/** Re-judging: build the simulation, run it to the end, read expectations and metrics (the
 * verdicts); then, timed apart, hand out its non-message events as objects (the timeline). */
function time(s, options) {
  const ms = [];
  const drainMs = [];
  let events = 0;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const sim = new Simulation(s, options);
    events = sim.advanceTo(sim.duration);
    sim.checkExpectations();
    sim.metrics();
    const judged = performance.now();
    sim.drainEvents({ messages: false });
    drainMs.push(performance.now() - judged);
    ms.push(judged - start);
    sim.free();
  }
  return { ms: median(ms), min: Math.min(...ms), max: Math.max(...ms), drainMs: median(drainMs), events };
}

const figures = [];
for (const agents of [1000, 10000]) {
  const s = scenario(agents);
  const full = time(s, { trace: 'streaming' });
  const fast = time(s, { trace: 'verdicts', fastForward: true });
  figures.push({
    agents,
    full_ms: full.ms, full_events: full.events,
    fast_ms: fast.ms, fast_min_ms: fast.min, fast_max_ms: fast.max, fast_events: fast.events,
    fast_ms_per_1000_agents: fast.ms / (agents / 1000),
    fast_drain_events_ms: fast.drainMs,
    speedup: full.ms / fast.ms,
  });
}
console.log(JSON.stringify({ runs, figures }, null, 2));
