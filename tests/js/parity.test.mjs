// Native/wasm parity: for every preset and for randomly generated scenarios, the wasm build
// computes the same trace hash, metrics, expectation verdicts and final states as the native CLI
// (`liveness run --json -`).
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { lib, withSim, buildNative, runNative, rng } from './helpers.mjs';
import { randomScenario } from './random-scenario.mjs';

const MASTER_VIEWS = lib.masterViewNames();
const AGENT_STATES = lib.agentStateNames();
const MESSAGE_KINDS = lib.messageKindNames();
const RANDOM_SCENARIOS = 30;

/** Runs a scenario in wasm the way the CLI does, in uneven steps, injecting nothing. */
function runWasm(scenario, seed) {
  return withSim(scenario, (sim) => {
    const r = rng(seed);
    // Step in uneven increments (as the lab does, frame by frame) to show that stepping does
    // not change the run.
    while (sim.now < sim.duration) {
      sim.advanceTo(Math.min(sim.duration, sim.now + r.int(1, 90_000) + r.next()));
      sim.drainEvents();
    }
    const names = sim.agentNames();
    const views = sim.masterViews();
    const states = sim.agentStates();
    const final = {};
    names.forEach((n, i) => {
      final[n] = { master_view: MASTER_VIEWS[views[i]], agent_state: AGENT_STATES[states[i]] };
    });
    return {
      trace_hash: sim.traceHash(),
      metrics: sim.metrics(),
      expectations: sim.checkExpectations(),
      final,
    };
  });
}

function assertSame(wasm, native, label) {
  assert.equal(wasm.trace_hash, native.trace_hash, `${label}: trace hash`);
  assert.deepEqual(wasm.metrics, native.metrics, `${label}: metrics`);
  assert.deepEqual(wasm.expectations, native.expectations, `${label}: expectations`);
  assert.deepEqual(wasm.final, native.final, `${label}: final states`);
}

describe('native/wasm parity', () => {
  before(() => buildNative());

  for (const p of lib.presets()) {
    test(`preset ${p.name}`, () => {
      const native = runNative(p.scenario);
      assertSame(runWasm(p.scenario, 1), native, p.name);
    });
  }

  test(`${RANDOM_SCENARIOS} random scenarios (seeded)`, () => {
    const kindsSeen = new Set();
    for (let i = 0; i < RANDOM_SCENARIOS; i++) {
      const s = randomScenario(1000 + i);
      assert.deepEqual(lib.validateScenario(s), [], `scenario ${i} is valid`);
      for (const f of s.faults) kindsSeen.add(f.kind);
      const native = runNative(s);
      assertSame(runWasm(s, i), native, `random scenario ${i} (${JSON.stringify(s)})`);
    }
    // The generator covers every fault kind.
    assert.equal(kindsSeen.size, 12, [...kindsSeen].join(', '));
  });

  test('injected faults: the same trace as a scenario with those faults', () => {
    // Faults injected at t are ordered after scenario events already at t, so inject them at
    // times when nothing else is scheduled (x.5 ms past a whole second).
    const base = randomScenario(77);
    base.faults = [];
    base.expect = [];
    const plan = [
      [61_000.5, { kind: 'partition', agents: 'all', direction: 'agent_to_master' }],
      [150_000.5, { kind: 'heal', agents: 'all' }],
      [170_000.5, { kind: 'fail_over_master', downtime: '3secs' }],
    ];
    const { hash, injected } = withSim(base, (sim) => {
      for (const [t, f] of plan) {
        sim.advanceTo(t);
        sim.inject(f);
      }
      sim.advanceTo(sim.duration);
      return { hash: sim.traceHash(), injected: sim.injectedFaults() };
    });
    const withFaults = { ...base, faults: injected };
    assert.equal(runNative(withFaults).trace_hash, hash);
  });

  test('every detector: its preset, and the hung-agent comparison under it', () => {
    const byName = new Map(lib.presets().map((p) => [p.name, p.scenario]));
    const hung = byName.get('hung-agent-everywhere');
    assert.ok(hung, 'the hung-agent comparison is a preset');
    for (const detector of lib.detectorNames()) {
      if (detector !== 'mesos') assert.ok(byName.has(detector), `a preset for ${detector}`);
      // The comparison's expectations are Mesos' (only Mesos marks the hung agent): judge
      // them natively and in wasm alike, passed or not.
      const s = { ...hung, detector };
      const native = runNative(s);
      const wasm = runWasm(s, 7);
      assertSame(wasm, native, `hung-agent-everywhere under ${detector}`);
      assert.equal(
        wasm.expectations.every((r) => r.passed),
        detector === 'mesos',
        `${detector}: the hung agent is marked only by Mesos`,
      );
    }
  });
});
