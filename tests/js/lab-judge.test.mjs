// The lab's judge (www/src/lab/judge.js) in two passes — fast-forward for the verdicts and the
// curves, then the exact run for the watched agents' lanes — gives exactly the digest of one
// exact run: the verdicts, faults, deaths, registrations, totals, every sample of the chart's
// curves, the final state, and the lanes (records and events, pings and pongs included).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lib as pkg } from './helpers.mjs';
import { libFrom } from '../../www/src/engine.js';
import { Judge, judgeNow } from '../../www/src/lab/judge.js';
import { randomScenario } from './random-scenario.mjs';

const lib = libFrom(pkg);

/** The agent a scenario's first fault names, else its first agent. */
function watchedOf(scenario) {
  const names = (() => { const j = new Judge(lib, scenario); try { return j.names; } finally { j.free(); } })();
  const f = (scenario.faults ?? []).find((x) => Array.isArray(x.agents) && x.agents.length);
  return [f ? f.agents[0] : names[0]].filter(Boolean);
}

function assertSameDigest(scenario, label) {
  const watch = watchedOf(scenario);
  const exact = judgeNow(lib, scenario, watch, { exact: true });
  const fast = judgeNow(lib, scenario, watch);
  for (const k of Object.keys(exact)) assert.deepEqual(fast[k], exact[k], `${label}: ${k}`);
  return { exact, fast, watch };
}

for (const p of pkg.presets()) {
  test(`preset ${p.name}: the two passes give the exact run's digest`, () => assertSameDigest(p.scenario, p.name));
}

test('300 agents with a partition and a hung restart: the same digest, the lanes with their pings', () => {
  const some = (from, k) => Array.from({ length: k }, (_, i) => `n-${from + i}`);
  const scenario = {
    name: '300', seed: 5, duration: '30mins', policy: 'mesos-1.2',
    frameworks: [{ name: 'web', partition_aware: true, checkpoint: true }],
    agents: [{ name: 'n', count: 300, tasks: { web: 1 } }],
    faults: [
      { at: '30secs', kind: 'partition', agents: some(0, 8), direction: 'both' },
      { at: '1mins', kind: 'restart_agent', agents: some(100, 4), recovery: 'hang' },
      { at: '3mins', kind: 'heal', agents: some(0, 8) },
    ],
  };
  const { fast } = assertSameDigest(scenario, '300 agents');
  assert.ok(fast.verdicts.length > 0);
  assert.ok(fast.lanes['n-0'].events.some((e) => e.event === 'message'), 'the lanes have the watched agent\'s messages');
});

test('20 random scenarios (seeded): the same digest', () => {
  for (let i = 0; i < 20; i++) assertSameDigest(randomScenario(7000 + i), `random ${7000 + i}`);
});

test('the digest without lanes is there after the first pass, and progress passes one half', () => {
  const scenario = pkg.presets().find((p) => p.name === 'stuck-recovery').scenario;
  const j = new Judge(lib, scenario, ['agent-1']);
  try {
    assert.equal(j.partial(), null);
    while (!j.partial()) j.step(0);
    assert.equal(j.progress, 0.5);
    const part = j.partial();
    assert.ok(part.verdicts.some((v) => v.agent === 'agent-1'));
    assert.deepEqual(part.lanes, {}, 'no lanes yet');
    j.step(Infinity);
    assert.equal(j.progress, 1);
    assert.ok(j.result().lanes['agent-1'].records.length > 0);
  } finally {
    j.free();
  }
});
