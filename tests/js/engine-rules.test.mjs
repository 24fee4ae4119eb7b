// What the page asks the engine instead of re-deriving it: resolved settings (config,
// scenarioConfig, agentConfig), Mesos' defaults and refused ranges, the recovery estimate, and the
// words for events, verdicts and faults — each checked against what the engine then does.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { lib, withSim, preset, MINUTE } from './helpers.mjs';
import { POLICIES, POLICY_LABEL, DEFAULT_POLICY } from '../../www/src/policies.js';

describe('resolved settings', () => {
  const scenario = {
    duration: '5mins',
    policy: 'mesos-1.1',
    master: { agent_reregister_timeout: '5mins', agent_removal_rate_limit: '1/20mins' },
    frameworks: [{ name: 'fw', checkpoint: true }],
    agent_defaults: { executor_reregistration_timeout: '20secs' },
    agents: [{ name: 'a', count: 2, tasks: { fw: 3 } }, { name: 'b', recovery_timeout: '1mins', supervisor_restart_delay: 'never' }],
  };

  test('config(): flags after the policy defaults, each agent, the refused ranges and the warnings with paths', () => {
    const c = withSim(scenario, (sim) => sim.config());
    assert.equal(c.policy, 'mesos-1.1');
    assert.equal(c.mesos_version, '1.1');
    assert.equal(c.master.agent_ping_timeout, 15_000);
    assert.equal(c.master.agent_reregister_timeout, 5 * MINUTE);
    assert.equal(c.master.total_ping_timeout, 75_000);
    assert.equal(c.master.reregister_timer, false, 'mesos-1.1 arms no re-registration timer');
    assert.deepEqual(c.master.agent_removal_rate_limit, { permits: 1, per: 20 * MINUTE, interval: 20 * MINUTE });
    assert.equal(c.master.recovery_agent_removal_limit, 100);
    assert.deepEqual(c.network, { latency: 1, jitter: 0, drop_rate: 0 });
    assert.deepEqual(c.agents.map((a) => a.name), ['a-0', 'a-1', 'b']);
    assert.deepEqual(c.agents[0].tasks, { fw: 3 });
    assert.equal(c.agents[0].executors, 3, 'one executor per task');
    assert.equal(c.agents[0].executor_reregistration_timeout, 20_000);
    assert.equal(c.agents[2].recovery_timeout, MINUTE);
    assert.equal(c.agents[2].supervisor_restart_delay, null);
    assert.equal(c.agents[2].pong_when, 'always');
    assert.deepEqual(c.warnings, [
      { path: 'master.agent_reregister_timeout', message: '5mins is below 10mins, which Mesos refuses at start-up' },
      { path: 'agent_defaults.executor_reregistration_timeout', message: '20secs is above 15secs, which Mesos refuses at start-up' },
    ]);
    assert.deepEqual(withSim(scenario, (sim) => sim.warnings()), c.warnings.map((w) => `${w.path}: ${w.message}`));
    assert.deepEqual(lib.scenarioConfig(scenario), c);
    assert.deepEqual(withSim(scenario, (sim) => sim.agentConfig(2)), c.agents[2]);
    assert.throws(() => withSim(scenario, (sim) => sim.agentConfig(3)), RangeError);
    assert.throws(() => lib.scenarioConfig({ duration: '1mins' }), /agents: required/);
  });

  test("the page's policy pickers offer exactly the engine's policies, each labelled", () => {
    assert.deepEqual([...POLICIES].sort(), [...lib.policyNames()].sort());
    for (const policy of POLICIES) assert.match(POLICY_LABEL[policy], new RegExp(`^${policy} \\(`));
    assert.equal(DEFAULT_POLICY, lib.mesosDefaults().policy);
  });

  test('mesosDefaults(policy): the same values a scenario that says nothing runs with', () => {
    for (const policy of lib.policyNames()) {
      const d = lib.mesosDefaults(policy);
      const c = lib.scenarioConfig({ duration: '1mins', policy, agents: [{ name: 'a' }] });
      assert.equal(d.policy, policy);
      assert.equal(d.mesos_version, c.mesos_version);
      assert.deepEqual(d.master, c.master, policy);
      assert.deepEqual(d.network, c.network);
      assert.deepEqual({ ...d.agent, executors: 0 }, (({ index, name, tasks, ...rest }) => rest)(c.agents[0]));
      assert.deepEqual(d.refused, c.refused);
    }
    assert.equal(lib.mesosDefaults().policy, 'mesos-1.2');
    assert.equal(lib.mesosDefaults('running-only-pongs').agent.pong_when, 'running');
    assert.equal(lib.mesosDefaults('mesos-1.5').master.reregistration_policy, 'keep_all');
    assert.throws(() => lib.mesosDefaults('mesos-9'), /unknown policy "mesos-9"/);
  });

  test('every refused range warns exactly at its bounds', () => {
    for (const r of lib.mesosDefaults().refused) {
      const at = (ms) => {
        const s = { duration: '1mins', agents: [{ name: 'a' }] };
        if (r.scope === 'master') s.master = { [r.flag]: ms };
        else s.agents[0][r.flag] = ms;
        return lib.scenarioConfig(s).warnings.map((w) => w.path);
      };
      const path = r.scope === 'master' ? `master.${r.flag}` : `agents[0].${r.flag}`;
      if (r.min !== null) {
        assert.deepEqual(at(r.min), [], `${r.flag} at its minimum`);
        assert.deepEqual(at(r.min - 1), [path], `${r.flag} below its minimum`);
      }
      if (r.max !== null) {
        assert.deepEqual(at(r.max), [], `${r.flag} at its maximum`);
        assert.deepEqual(at(r.max + 1), [path], `${r.flag} above its maximum`);
      }
    }
  });
});

describe('recovery estimate', () => {
  test('is what the engine then takes: slow-recovery recovers in 12:32.020, wait included', () => {
    const s = preset('slow-recovery'); // agent-1 restarts at 1:00
    withSim(s, (sim) => {
      const before = sim.recoveryEstimate(0); // not registered yet: as once it is
      sim.advanceTo(30_000);
      const e = sim.recoveryEstimate(0);
      assert.deepEqual(before, e);
      assert.deepEqual(e, { readMs: 750_020, waitMs: 2_000, totalMs: 752_020, executors: 150_004 });
      sim.advanceTo(sim.duration);
      const done = sim.drainEvents({ messages: false })
        .find((ev) => ev.event === 'agent_state' && ev.agent === 'agent-1' && ev.from === 'recovering' && ev.t > MINUTE);
      assert.equal(done.t - MINUTE, e.totalMs);
    });
  });

  test('a what-if executor count, and no wait when nothing is checkpointed', () => {
    withSim({ duration: '1mins', frameworks: [{ name: 'fw' }], agents: [{ name: 'a', tasks: { fw: 1 } }] }, (sim) => {
      assert.deepEqual(sim.recoveryEstimate(0), { readMs: 10, waitMs: 0, totalMs: 10, executors: 1 });
      assert.equal(sim.recoveryEstimate(0, 20_000).totalMs, 200_000);
      assert.throws(() => sim.recoveryEstimate(1), RangeError);
      assert.throws(() => sim.recoveryEstimate(0, -1), RangeError);
    });
  });
});

describe('words', () => {
  test('every event of every preset has words, and the CLI timeline uses the same ones', () => {
    for (const p of lib.presets()) {
      withSim(p.scenario, (sim) => {
        sim.advanceTo(sim.duration);
        const events = sim.drainEvents({ messages: false });
        const words = lib.describeEvents(events);
        assert.equal(words.length, events.length);
        events.forEach((ev, i) => {
          assert.equal(words[i], lib.describeEvent(ev));
          assert.ok(words[i].length > 0 && !words[i].startsWith(ev.event), `${p.name}: ${ev.event} → ${words[i]}`);
          assert.ok(lib.eventLabel(ev).length > 0);
        });
      });
    }
  });

  test('master_failover reads its downtime (it has no reason field)', () => {
    const ev = { t: 120_000, event: 'master_failover', downtime: 10_000 };
    assert.equal(lib.describeEvent(ev), 'master fails over; a new one comes up in 10secs');
  });

  test('faults, verdicts and causes', () => {
    const f = { at: '1mins', kind: 'restart_agent', agents: ['agent-1'], recovery: 'hang' };
    assert.equal(lib.describeFault(f), '01:00 restart agent-1 (recovery: hangs)');
    assert.equal(lib.describeFault(f, false), 'restart agent-1 (recovery: hangs)');
    assert.equal(lib.describeFault({ at: 0, kind: 'partition', agents: 'all', direction: 'master_to_agent', breaks_socket: true }, false),
      'partition all agents (master→agent; breaks socket)');
    const v = { t: 660_001, event: 'agent_marked_unreachable', agent: 'agent-1', cause: 'reregister_timeout' };
    assert.equal(lib.verdictWords(v), 'agent-1 unreachable (agent_reregister_timeout) at 11:00.001');
    assert.equal(lib.causeWords('health_check'), 'health check');
    assert.equal(lib.causeWords(undefined), '');
    assert.deepEqual(lib.faultKindNames().length, 12);
  });
});

test('the page lists the engine\'s detectors, and every detector setting it suggests is one the engine accepts', async () => {
  const { DETECTORS, DEFAULT_DETECTOR, DETECTOR_SETTINGS } = await import('../../www/src/detectors.js');
  assert.deepEqual(DETECTORS, lib.detectorNames());
  assert.equal(DEFAULT_DETECTOR, withSim({ duration: '1mins', agents: [{ name: 'a' }] }, (sim) => sim.detector));
  for (const path of DETECTOR_SETTINGS) {
    const [system, key] = path.split('.');
    const value = /seconds|mult|threshold/.test(key) ? 8 : '30secs';
    const s = { duration: '1mins', detector: system, agents: [{ name: 'a' }], [system]: { [key]: value } };
    assert.deepEqual(lib.validateScenario(s), [], path);
    const bad = { ...s, [system]: { [`${key}_typo`]: value } };
    assert.notDeepEqual(lib.validateScenario(bad), [], `${path}: unknown keys are refused`);
  }
});
