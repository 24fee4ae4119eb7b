// Lab re-simulation with fast-forward (issue 13): `new Simulation(s, { trace: 'verdicts',
// fastForward: true })` skips steady agents' ping cycles in closed form (docs/fast-forward.md)
// and must give exactly the full run's verdicts: expectations (but those counting `message`
// events), metrics, final views and states, and every non-message event. Speed is measured by scripts/bench-resim.mjs, never asserted here.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { lib, withSim, preset } from './helpers.mjs';
import { randomScenario } from './random-scenario.mjs';

/** Everything a re-judgement shows, from one run to the end. */
function judge(scenario, options) {
  return withSim(scenario, (sim) => {
    sim.advanceTo(sim.duration);
    return {
      events: sim.drainEvents().filter((e) => e.event !== 'message'),
      // Skipped cycles send no messages, so expectations counting `message` events cannot be
      // judged from a fast-forwarded run; every other expectation must agree.
      expectations: sim.checkExpectations().filter((r) => r.expectation.event !== 'message'),
      metrics: sim.metrics(),
      views: Array.from(sim.masterViews()),
      states: Array.from(sim.agentStates()),
      processed: sim.eventsProcessed,
    };
  }, options);
}

function assertSameVerdicts(scenario, label) {
  const full = judge(scenario);
  const fast = judge(scenario, { trace: 'verdicts', fastForward: true });
  assert.deepEqual(fast.expectations, full.expectations, `${label}: expectations`);
  assert.deepEqual(fast.metrics, full.metrics, `${label}: metrics`);
  assert.deepEqual(fast.views, full.views, `${label}: master views`);
  assert.deepEqual(fast.states, full.states, `${label}: agent states`);
  assert.deepEqual(fast.events, full.events, `${label}: non-message events`);
  return { full, fast };
}

describe('fast-forward re-simulation (the lab)', () => {
  for (const p of lib.presets()) {
    test(`preset ${p.name}: same verdicts as the full run`, () => assertSameVerdicts(p.scenario, p.name));
  }

  test('1,000 agents for an hour with a partition: same verdicts, far fewer events', () => {
    const scenario = {
      name: 'resim', seed: 3, duration: '1hrs',
      frameworks: [{ name: 'web', partition_aware: true, checkpoint: true }],
      agents: [{ name: 'a', count: 1000, tasks: { web: 1 } }],
      faults: [{ at: '10mins', kind: 'partition', agents: ['a-1', 'a-500'], direction: 'both' },
      { at: '30mins', kind: 'heal', agents: ['a-1', 'a-500'] }],
    };
    const { full, fast } = assertSameVerdicts(scenario, 'resim');
    assert.ok(fast.events.some((e) => e.event === 'agent_marked_unreachable'));
    assert.ok(fast.processed * 10 < full.processed, `${fast.processed} vs ${full.processed} events`);
  });

  test('20 random scenarios (seeded): same verdicts', () => {
    for (let i = 0; i < 20; i++) assertSameVerdicts(randomScenario(5000 + i), `random ${5000 + i}`);
  });

  test('fastForward needs a trace without messages, and is a boolean', () => {
    const s = preset('partition');
    assert.throws(() => new lib.Simulation(s, { fastForward: true }), /^Error: options.fastForward: needs a trace mode without message events/);
    assert.throws(() => new lib.Simulation(s, { trace: 'full', fastForward: true }), /options.fastForward/);
    assert.throws(() => new lib.Simulation(s, { fastForward: 'yes' }), /options.fastForward: expected true or false, got "yes"/);
  });
});
