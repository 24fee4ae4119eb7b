// Random hostile values through the JS API (seeded, bounded): every call either works or throws
// an Error (TypeError/RangeError/Error) with a message, never a wasm trap; the module keeps
// working afterwards. LIVENESS_JS_FUZZ_ITERS sets the budget (default ~3 s).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lib, rng, preset } from './helpers.mjs';
import { randomScenario } from './random-scenario.mjs';

const { Simulation, Sweep, validateScenario } = lib;
const ITERS = Number(process.env.LIVENESS_JS_FUZZ_ITERS ?? 2000);

const HOSTILE = [
  NaN, Infinity, -Infinity, -0, 0, 1, -1, 2 ** 53 + 1, 1e308, 1e-308, 10_000_000,
  '', 'x', '15secs', '-5mins', '1/0mins', '100%', '<script>alert(1)</script>', 'a\nb', '\u0000', '💥'.repeat(100),
  null, undefined, true, false, [], [null], [[[]]], {}, { a: null }, { nested: { deeper: [null, { x: NaN }] } },
];

/** Replaces a random value somewhere inside `v` (objects and arrays) with a hostile one. */
function mutate(v, r, depth = 0) {
  if (Array.isArray(v) && v.length && r.chance(0.7) && depth < 6) {
    const i = r.int(0, v.length - 1);
    return v.map((x, k) => (k === i ? mutate(x, r, depth + 1) : x));
  }
  if (v && typeof v === 'object' && !Array.isArray(v) && r.chance(0.8) && depth < 6) {
    const keys = Object.keys(v);
    if (r.chance(0.15)) return { ...v, [r.pick(['bogus', 'agents', 'at', 'kind', 'count'])]: r.pick(HOSTILE) };
    if (!keys.length) return r.pick(HOSTILE);
    const k = r.pick(keys);
    return { ...v, [k]: mutate(v[k], r, depth + 1) };
  }
  return r.pick(HOSTILE);
}

function isApiError(e) {
  // A wasm trap (a panic) would be a WebAssembly.RuntimeError.
  return e instanceof Error && !(e instanceof WebAssembly.RuntimeError) && typeof e.message === 'string' && e.message.length > 0;
}

test('hostile values through the whole API never trap', () => {
  const r = rng(20261124);
  let accepted = 0;
  let refused = 0;
  for (let i = 0; i < ITERS; i++) {
    const base = r.chance(0.5) ? preset(r.pick(['stuck-recovery', 'partition', 'rate-limited'])) : randomScenario(i);
    const scenario = mutate(base, r);
    let sim;
    try {
      sim = new Simulation(scenario, r.chance(0.2) ? { trace: r.pick(['full', 'streaming', 'off', 'nope', 7]) } : undefined);
      accepted++;
    } catch (e) {
      assert.ok(isApiError(e), `constructor threw ${e}`);
      assert.ok(validateScenario(scenario).length > 0 || /trace/.test(e.message), 'validateScenario agrees');
      refused++;
      continue;
    }
    try {
      for (let k = 0; k < 6; k++) {
        try {
          switch (r.int(0, 5)) {
            case 0: sim.advanceTo(r.chance(0.7) ? sim.now + r.int(0, 120_000) : r.pick(HOSTILE)); break;
            case 1: sim.inject(mutate({ kind: 'partition', agents: 'all' }, r)); break;
            case 2: sim.inspect(r.chance(0.7) ? r.int(0, sim.agentNames().length - 1) : r.pick(HOSTILE)); break;
            case 3: sim.drainEvents(r.chance(0.5) ? { messages: r.pick([true, false, 'no', null]) } : undefined); break;
            case 4: sim.masterViews(); sim.agentStates(); sim.missCounts(); sim.inFlight(); sim.links(); break;
            default: sim.metrics(); sim.checkExpectations(); try { sim.traceHash(); } catch (e) { assert.ok(isApiError(e)); }
          }
        } catch (e) {
          assert.ok(isApiError(e), `call threw ${e}`);
        }
      }
    } finally {
      sim.free();
    }
  }
  assert.ok(accepted > 10 && refused > 10, `accepted ${accepted}, refused ${refused}`);
  // Still fully working.
  const sim = new Simulation(preset('stuck-recovery'));
  sim.advanceTo(sim.duration);
  assert.ok(sim.checkExpectations().every((x) => x.passed));
  sim.free();
});

test('hostile sweep specs are refused with messages', () => {
  const r = rng(7);
  const spec = {
    base: { agents: [{ name: 'a', count: 3 }] },
    vary: { policy: ['mesos-1.2'] },
    workload: { horizon: '1hrs', faults: [{ kind: 'crash_agent', rate: '1/1days' }] },
    trials: 2,
  };
  for (let i = 0; i < ITERS / 4; i++) {
    try {
      const s = new Sweep(mutate(spec, r));
      s.step(1);
      s.free();
    } catch (e) {
      assert.ok(isApiError(e), `Sweep threw ${e}`);
    }
  }
});
