// The lab's run catches up by fast-forward and ends it where the page starts showing messages
// (www/src/lab/run.js): what the page then shows — views, miss counts, deadlines, messages on
// the wire, the log and the messages it keeps — must be what an exact run shows. Also the
// engine call that makes it possible, Simulation.endFastForward.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lib as pkg, withSim, frameOf } from './helpers.mjs';
import { libFrom } from '../../www/src/engine.js';
import { Run } from '../../www/src/lab/run.js';

const lib = libFrom(pkg);

/** Everything a frame and the panels read from a run. */
function shown(run) {
  run.refresh();
  return {
    frame: frameOf(run.sim),
    snapViews: [...run.snap.views],
    log: run.log.buf.map((e) => JSON.stringify(e)),
    msgs: run.msgs.buf.map((e) => JSON.stringify(e)),
    verdicts: run.verdicts.map((e) => JSON.stringify(e)),
    stats: run.stats,
    metrics: run.sim.metrics(),
  };
}

/** A run stepped exactly (no fast-forward), the way the lab stepped before. */
class ExactRun extends Run {
  build() {
    const make = this.lib.Simulation;
    this.lib = { ...this.lib, Simulation: class extends make { constructor(s) { super(s, { trace: 'streaming' }); } } };
    super.build();
  }
}

function cluster(agents, faults) {
  return {
    name: 'catch-up', duration: '1hrs', seed: 3,
    agents: [{ name: 'agent', count: agents }],
    faults,
  };
}

const SCENARIOS = [
  ['stuck-recovery', pkg.presets().find((p) => p.name === 'stuck-recovery').scenario],
  ['partition', pkg.presets().find((p) => p.name === 'partition').scenario],
  ['master-failover', pkg.presets().find((p) => p.name === 'master-failover').scenario],
  ['300 agents, a restart and a partition', cluster(300, [
    { at: '5mins', kind: 'restart_agent', agents: ['agent-7'], recovery: 'hang' },
    { at: '12mins', kind: 'partition', agents: ['agent-40', 'agent-41'] },
    { at: '15mins', kind: 'heal', agents: ['agent-40', 'agent-41'] },
  ])],
  ['jitter and loss', { ...cluster(50, [{ at: '20mins', kind: 'crash_agent', agents: ['agent-3'] }]), network: { latency: '2ms', jitter: '3ms', drop_rate: 0.01 } }],
];

for (const [name, scenario] of SCENARIOS) {
  test(`a run caught up by fast-forward shows what an exact run shows: ${name}`, () => {
    for (const t of [90_000, 17 * 60_000 + 333, 3_600_000]) {
      const fast = new Run(lib, scenario);
      const exact = new ExactRun(lib, scenario);
      try {
        // A jump (the log keeps its last messages), then playing on for a while.
        fast.step(t, Infinity);
        exact.step(t, Infinity);
        assert.deepEqual(shown(fast), shown(exact), `after a jump to ${t} ms`);
        const later = Math.min(fast.duration, t + 45_000);
        fast.step(later, Infinity, { live: true });
        exact.step(later, Infinity, { live: true });
        assert.deepEqual(shown(fast), shown(exact), `playing on to ${later} ms`);
      } finally {
        fast.free();
        exact.free();
      }
    }
  });
}

test('catching up by fast-forward skips most of the work of a steady cluster', () => {
  const scenario = cluster(300, []);
  const fast = withSim(scenario, (sim) => sim.advanceTo(50 * 60_000), { trace: 'verdicts', fastForward: true });
  const full = withSim(scenario, (sim) => sim.advanceTo(50 * 60_000), { trace: 'streaming' });
  assert.ok(fast * 10 < full, `fast-forward ran ${fast} events, the full run ${full}`);
});

test('endFastForward: ends once, checks its trace argument and a stop inside an instant', () => {
  const scenario = cluster(20, []);
  withSim(scenario, (sim) => {
    sim.advanceTo(10 * 60_000);
    assert.throws(() => sim.endFastForward('banana'), /trace: expected true, false, "full", "streaming", "verdicts" or "off", got "banana"/);
    assert.equal(sim.endFastForward('streaming'), true);
    assert.equal(sim.endFastForward('streaming'), false);
    // From here messages are simulated and kept again.
    sim.advanceTo(11 * 60_000);
    assert.ok(sim.drainEvents().some((e) => e.event === 'message'));
  }, { trace: 'verdicts', fastForward: true });
  // Three restarts at 10:00, agents parked: one event at a time stops inside that instant.
  const restarts = cluster(20, ['agent-1', 'agent-2', 'agent-3'].map((a) => ({ at: '10mins', kind: 'restart_agent', agents: [a] })));
  withSim(restarts, (sim) => {
    sim.advanceTo(599_999);
    assert.equal(sim.advanceBounded(600_000, 1), false);
    assert.throws(() => sim.endFastForward('streaming'), /^Error: endFastForward: events due at 10:00 are pending: advance to that time first$/);
    sim.advanceTo(600_000);
    assert.equal(sim.endFastForward('streaming'), true);
  }, { trace: 'verdicts', fastForward: true });
  // A run just made (its 00:00 events still due, nothing parked) ends at once: played from 0.
  withSim(restarts, (sim) => assert.equal(sim.endFastForward('streaming'), true), { trace: 'verdicts', fastForward: true });
  withSim(scenario, (sim) => assert.equal(sim.endFastForward(), false));
});
