// Bad input never panics: every class of problem throws the right error type with the CLI's
// message (one line per problem, each starting with its JSON path), and the module keeps working
// afterwards.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { lib, withSim, buildNative, nativeBin } from './helpers.mjs';

const { Simulation } = lib;

const ok = {
  duration: '1mins',
  frameworks: [{ name: 'fw' }],
  agents: [{ name: 'a', count: 2, tasks: { fw: 1 } }],
};

/** The CLI's problem lines for a scenario (exit code 2), or [] if it accepts it. */
function nativeProblems(scenario) {
  const r = spawnSync(nativeBin(), ['run', '--json', '-'], {
    input: JSON.stringify(scenario),
    encoding: 'utf8',
  });
  if (r.status !== 2) return [];
  const lines = r.stderr.trimEnd().split('\n').map((l) => l.replace(/^error: /, ''));
  return lines.slice(1); // the first line names the input
}

/** The thrown error of `fn`. */
function thrown(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  assert.fail('expected a throw');
}

/** A new simulation still works (the module survived). */
function stillWorks() {
  withSim(ok, (sim) => {
    assert.ok(sim.advanceTo(sim.duration) > 0);
    assert.match(sim.traceHash(), /^[0-9a-f]{16}$/);
  });
}

/**
 * Asserts that `scenario` is refused with an `Error` (not a subclass) whose message matches
 * `expected` (exact lines, or a RegExp), that validateScenario reports the same lines, that the
 * CLI prints the same lines when `compareCli` (the input is JSON-representable), and that the
 * module keeps working.
 */
function refuses(scenario, expected, { compareCli = true } = {}) {
  const e = thrown(() => new Simulation(scenario));
  assert.equal(e.constructor, Error, `an Error, not ${e.constructor.name}`);
  if (expected instanceof RegExp) assert.match(e.message, expected);
  else assert.deepEqual(e.message.split('\n'), expected);
  assert.deepEqual(lib.validateScenario(scenario), e.message.split('\n'));
  if (compareCli) assert.deepEqual(e.message.split('\n'), nativeProblems(scenario), 'same lines as the CLI');
  stillWorks();
}

describe('bad scenarios', () => {
  before(() => buildNative());

  test('not an object', () => {
    refuses(null, ['(scenario): expected an object, got null']);
    refuses(42, ['(scenario): expected an object, got 42']);
    refuses('x', ['(scenario): expected an object, got the string "x"']);
    refuses([], ['(scenario): expected an object, got a list']);
    refuses(true, ['(scenario): expected an object, got true']);
    refuses(undefined, ['(scenario): expected an object, got null'], { compareCli: false });
  });

  test('wrong type', () => {
    refuses({ ...ok, seed: '7' }, ['seed: expected a whole number, got the string "7"']);
    refuses({ ...ok, agents: {} }, ['agents: expected a list, got an object']);
    refuses({ ...ok, frameworks: [{ name: 'fw', checkpoint: 'yes' }] }, [
      'frameworks[0].checkpoint: expected true or false, got the string "yes"',
    ]);
    refuses({ ...ok, network: { drop_rate: '5%' } }, /^network\.drop_rate: expected a number between 0 and 1/);
  });

  test('unknown field', () => {
    refuses({ ...ok, agnets: [] }, ['agnets: unknown field (did you mean "agents"?)']);
    refuses({ ...ok, master: { agent_ping_timout: '5secs' } }, [
      'master.agent_ping_timout: unknown field (did you mean "agent_ping_timeout"?)',
    ]);
  });

  test('unknown agent in a fault or expectation', () => {
    refuses({ ...ok, faults: [{ at: '1s', kind: 'heal', agents: ['zz'] }] }, [
      'faults[0].agents[0]: unknown agent "zz"; known: a-0, a-1',
    ]);
    refuses({ ...ok, expect: [{ at: '1s', agent: 'b', master_view: 'connected' }] }, [
      'expect[0].agent: unknown agent "b"; known: a-0, a-1',
    ]);
  });

  test('unknown framework', () => {
    refuses({ ...ok, agents: [{ name: 'a', tasks: { nope: 1 } }] }, [
      'agents[0].tasks.nope: unknown framework "nope"; known: fw',
    ]);
    refuses({ ...ok, faults: [{ at: '1s', kind: 'disconnect_framework', framework: 'nope' }] }, [
      'faults[0].framework: unknown framework "nope"; known: fw',
    ]);
  });

  test('bad duration', () => {
    refuses({ ...ok, duration: 'abc' }, /^duration: "abc" is not a duration/);
    refuses({ ...ok, duration: '10years' }, /^duration: "10years" has an unknown unit "years"/);
    refuses({ ...ok, duration: '10 minutes' }, /^duration: "10 minutes" has an unknown unit/);
    refuses({ ...ok, duration: [] }, /^duration: expected a duration such as "15secs"/);
    refuses({ agents: ok.agents, frameworks: ok.frameworks }, [
      'duration: required: how long to simulate, e.g. "20mins"',
    ]);
  });

  test('zero or negative', () => {
    refuses({ ...ok, duration: '0secs' }, ['duration: must be positive']);
    refuses({ ...ok, duration: -5 }, ['duration: -5 is negative; durations must be positive']);
    refuses({ ...ok, duration: '-5secs' }, ['duration: "-5secs" is negative; durations must be positive']);
    refuses({ ...ok, master: { agent_ping_timeout: 0, max_agent_ping_timeouts: 0 } }, [
      'master.agent_ping_timeout: must be positive',
      'master.max_agent_ping_timeouts: must be at least 1',
    ]);
    refuses({ ...ok, agents: [{ name: 'a', count: 0 }] }, ['agents[0].count: must be at least 1']);
    refuses({ ...ok, agents: [{ name: 'a', count: -1 }] }, /^agents\[0\]\.count: expected a whole number from 1 to 100000, got -1/);
  });

  test('bad rate limit', () => {
    refuses({ ...ok, master: { agent_removal_rate_limit: '1/0secs' } }, [
      'master.agent_removal_rate_limit: "1/0secs": the period must be positive',
    ]);
    refuses({ ...ok, master: { agent_removal_rate_limit: 'fast' } }, /"fast" is not a rate/);
    refuses({ ...ok, master: { agent_removal_rate_limit: '0/1mins' } }, /permits must be at least 1/);
  });

  test('bad percentage', () => {
    refuses({ ...ok, master: { recovery_agent_removal_limit: '150%' } }, [
      'master.recovery_agent_removal_limit: "150%" must be between 0% and 100%',
    ]);
    refuses({ ...ok, master: { recovery_agent_removal_limit: '50' } }, [
      'master.recovery_agent_removal_limit: "50" must end in %, e.g. "100%"',
    ]);
    refuses({ ...ok, network: { drop_rate: 1.5 } }, ['network.drop_rate: must be between 0 and 1']);
  });

  test('NaN, Infinity, -0 and 2^53 + 1 in numbers', () => {
    // JSON has no NaN or Infinity: the wasm reader reports them itself (the CLI never sees them).
    refuses({ ...ok, duration: NaN }, ['duration: NaN is not a valid number (JSON numbers are finite)'], { compareCli: false });
    refuses({ ...ok, network: { drop_rate: Infinity } }, ['network.drop_rate: Infinity is not a valid number (JSON numbers are finite)'], { compareCli: false });
    refuses({ ...ok, master: { agent_ping_timeout: -Infinity } }, ['master.agent_ping_timeout: -Infinity is not a valid number (JSON numbers are finite)'], { compareCli: false });
    // -0 is 0 (JSON.stringify writes 0).
    refuses({ ...ok, duration: -0 }, ['duration: must be positive']);
    // 2^53 + 1 is 2^53 in JS; it reads as the integer JSON.stringify writes.
    refuses({ ...ok, seed: 2 ** 53 + 1 }, ['seed: must be at most 9007199254740991']);
    refuses({ ...ok, agents: [{ name: 'a', count: 2 ** 53 + 1 }] }, ['agents[0].count: must be at most 100000']);
    refuses({ ...ok, seed: 1e300 }, /^seed: expected a whole number from 0 to 9007199254740991, got 1e\+?300/);
    refuses({ ...ok, seed: 1.5 }, /^seed: expected a whole number from 0 to 9007199254740991, got 1.5/);
    // Several problems are all reported.
    const e = thrown(() => new Simulation({ ...ok, duration: NaN, seed: Infinity }));
    assert.deepEqual(e.message.split('\n').sort(), [
      'duration: NaN is not a valid number (JSON numbers are finite)',
      'seed: Infinity is not a valid number (JSON numbers are finite)',
    ]);
  });

  test('counts beyond the limits', () => {
    refuses({ ...ok, agents: [{ name: 'a', count: 100_001 }] }, ['agents[0].count: must be at most 100000']);
    refuses({ ...ok, agents: [{ name: 'a', count: 60_000 }, { name: 'b', count: 60_000 }] }, [
      'agents[1]: the scenario would have more than the limit of 100000 agents',
    ]);
    refuses({ ...ok, agents: [{ name: 'a', count: 1000, tasks: { fw: 10_000 } }] }, [
      'agents: 10000000 tasks is more than the limit of 1000000',
    ]);
    refuses({ ...ok, agents: [{ name: 'a', tasks: { fw: 10_001 } }] }, ['agents[0].tasks.fw: must be at most 10000']);
  });

  test('values JSON cannot carry', () => {
    const cyclic = { ...ok };
    cyclic.self = cyclic;
    refuses(cyclic, /^…[^\n]*self\.self[^\n]*: nested more than 128 levels deep \(is the object cyclic\?\)$/, { compareCli: false });
    refuses({ ...ok, f: () => 1 }, ['f: a function is not a JSON value'], { compareCli: false });
    refuses({ ...ok, s: Symbol('x') }, ['s: a symbol is not a JSON value'], { compareCli: false });
    refuses({ ...ok, agents: new Uint8Array(2) }, ['agents: a typed array or ArrayBuffer is not JSON; use a plain array'], { compareCli: false });
    refuses(new Map([[1, 2]]), /^\(scenario\): not a JSON value \(object keys must be strings/, { compareCli: false });
    refuses({ ...ok, seed: 2n ** 70n }, /^seed: not a JSON value/, { compareCli: false });
    // A Map with string keys and BigInts within 64 bits read like their JSON equivalents.
    withSim(new Map(Object.entries({ ...ok, seed: 5n })), (sim) => assert.equal(sim.scenario().seed, 5));
    // undefined fields are absent fields.
    withSim({ ...ok, description: undefined, seed: undefined }, (sim) => assert.ok(sim.advanceTo(1000) >= 0));
  });

  test('constructor options', () => {
    assert.throws(() => new Simulation(ok, 'fast'), /^Error: options: expected an object, got "fast"$/);
    assert.throws(() => new Simulation(ok, { trace: NaN }), /options.trace: NaN is not a valid number/);
    withSim(ok, (sim) => assert.match(sim.traceHash(), /^[0-9a-f]{16}$/), null);
    withSim(ok, (sim) => assert.match(sim.traceHash(), /^[0-9a-f]{16}$/), {});
  });
});

describe('bad faults to inject', () => {
  const cases = [
    [null, ['fault: expected an object, got null']],
    [{ kind: 'explode', agents: ['a-0'] }, /^fault\.kind: unknown fault kind "explode"; expected one of restart_agent, /],
    [{ agents: ['a-0'] }, /^fault\.kind: required; one of /],
    [{ kind: 'heal', agents: ['zz'] }, ['fault.agents[0]: unknown agent "zz"; known: a-0, a-1']],
    [{ kind: 'heal' }, ['fault.agents: required: a list of agent names or "all"']],
    [{ kind: 'heal', agents: [] }, ['fault.agents: must name at least one agent (or be "all")']],
    [{ kind: 'partition', agents: 'all', direction: 'sideways' }, /^fault\.direction: unknown direction "sideways"/],
    [{ kind: 'drop_messages', agents: 'all', messages: ['Ping'], until: '1mins' }, /^fault\.messages\[0\]: unknown message "Ping"/],
    [{ kind: 'drop_messages', agents: 'all', messages: ['PingSlaveMessage'], until: NaN }, ['fault.until: NaN is not a valid number (JSON numbers are finite)']],
    [{ kind: 'disconnect_framework', framework: 'nope' }, ['fault.framework: unknown framework "nope"; known: fw']],
    [{ kind: 'restart_agent', agents: 'all', recovery: 'forever' }, /^fault\.recovery: "forever"/],
    [{ kind: 'heal', agents: 'all', colour: 'red' }, /^fault\.colour: unknown field/],
  ];
  for (const [fault, expected] of cases) {
    test(`inject ${JSON.stringify(fault)}`, () => {
      withSim(ok, (sim) => {
        sim.advanceTo(10_000);
        const before = sim.drainEvents().length;
        const e = thrown(() => sim.inject(fault));
        assert.equal(e.constructor, Error);
        if (expected instanceof RegExp) assert.match(e.message, expected);
        else assert.deepEqual(e.message.split('\n'), expected);
        // Nothing was applied and the simulation goes on.
        assert.ok(before >= 0);
        assert.deepEqual(sim.injectedFaults(), []);
        assert.deepEqual(sim.drainEvents(), []);
        assert.equal(sim.now, 10_000);
        sim.inject({ kind: 'heal', agents: 'all' });
        assert.equal(sim.injectedFaults().length, 1);
        assert.ok(sim.advanceTo(sim.duration) > 0);
      });
      stillWorks();
    });
  }
});

describe('bad numeric arguments', () => {
  test('advanceTo: RangeError for NaN, ±Infinity, negatives and the past', () => {
    withSim(ok, (sim) => {
      sim.advanceTo(5_000);
      for (const [bad, msg] of [
        [NaN, /not a finite number/],
        [Infinity, /not a finite number/],
        [-Infinity, /not a finite number/],
        [-1, /negative/],
        [4_999.999, /cannot go back in time/],
        [1e300, /beyond the limit/],
      ]) {
        const e = thrown(() => sim.advanceTo(bad));
        assert.ok(e instanceof RangeError, `${bad}: ${e}`);
        assert.match(e.message, msg);
      }
      assert.equal(sim.now, 5_000);
      assert.ok(sim.advanceTo(sim.duration) > 0);
    });
    stillWorks();
  });

  test('inspect: RangeError for a bad index', () => {
    withSim(ok, (sim) => {
      for (const bad of [-1, 2, 0.5, NaN, -0.5, 1e10]) {
        assert.throws(() => sim.inspect(bad), RangeError);
      }
      assert.equal(sim.inspect(1).name, 'a-1');
    });
  });
});
