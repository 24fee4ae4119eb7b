// The lab's views of a run (src/wasm/lab_views.rs) and the judge built on them
// (www/src/lab/judge.js): the executors' ground truth, exact lane records, and a digest whose
// times are those of the Mesos code the model follows (docs/model.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lib as pkg, withSim, preset, MINUTE } from './helpers.mjs';
import { libFrom } from '../../www/src/engine.js';
import { judgeNow, LANE, LANE_FIELDS } from '../../www/src/lab/judge.js';
import { segments, timerBars } from '../../www/src/lab/lanes.js';

const lib = libFrom(pkg);
const VIEW = (name) => lib.MASTER_VIEWS.indexOf(name);
const STATE = (name) => lib.AGENT_STATES.indexOf(name);

/** Lane records of a Float64Array as arrays. */
const records = (a) => Array.from({ length: a.length / LANE_FIELDS }, (_, k) => Array.from(a.subarray(k * LANE_FIELDS, (k + 1) * LANE_FIELDS)));

test('ghost-tasks: executors wait recovery_timeout from the exit, then are really dead while the master still waits', () => {
  withSim(preset('ghost-tasks'), (sim) => {
    const a1 = sim.agentNames().indexOf('agent-1');
    assert.deepEqual(Array.from(sim.tasksPlaced()), [2, 2]);
    sim.advanceTo(MINUTE - 1);
    assert.ok(Number.isNaN(sim.executorDeadlines()[a1]), 'nothing waits before the restart');
    assert.equal(sim.executorsAlive()[a1], 2);
    sim.advanceTo(2 * MINUTE);
    // restart at 1:00 + recovery_timeout 15mins (both frameworks checkpoint)
    assert.equal(sim.executorDeadlines()[a1], 16 * MINUTE);
    assert.equal(sim.executorsAlive()[a1], 2);
    sim.advanceTo(16 * MINUTE + 1);
    assert.ok(Number.isNaN(sim.executorDeadlines()[a1]));
    assert.equal(sim.executorsAlive()[a1], 0, 'both executors gave up');
    assert.deepEqual(Array.from(sim.executorsAlive()), [0, 2]);
  });
});

test('advanceWatching records every lane change at its instant and runs the same trace as advanceTo', () => {
  const scenario = preset('stuck-recovery');
  const plain = withSim(scenario, (sim) => { sim.advanceTo(12 * MINUTE); return sim.traceHash(); });
  withSim(scenario, (sim) => {
    const a1 = sim.agentNames().indexOf('agent-1');
    const watch = Uint32Array.of(a1);
    const first = records(sim.laneStates(watch));
    assert.equal(first.length, 1);
    assert.equal(first[0][LANE.view], VIEW('unknown'));
    const recs = [...first, ...records(sim.advanceWatching(12 * MINUTE, watch))];
    assert.equal(sim.now, 12 * MINUTE);
    assert.equal(sim.traceHash(), plain, 'stepping event by event changes nothing');
    const at = (pred) => recs.find(pred)?.[LANE.t];
    // The restart at 1:00 (down and recovering at the same instant: the record shows where the
    // instant ends); the master sees exited() one hop (1 ms) later and arms
    // agent_reregister_timeout (Master::exited): deadline 11:00.001.
    assert.equal(at((r) => r[LANE.state] === STATE('recovering')), MINUTE);
    assert.ok(!recs.some((r) => r[LANE.state] === STATE('down')));
    assert.equal(at((r) => r[LANE.view] === VIEW('disconnected')), MINUTE + 1);
    assert.equal(recs.find((r) => r[LANE.view] === VIEW('disconnected'))[LANE.reregDeadline], 11 * MINUTE + 1);
    assert.equal(at((r) => r[LANE.view] === VIEW('unreachable')), 11 * MINUTE + 1);
    // marathon checkpoints: its executors wait recovery_timeout (15mins default) from the exit
    assert.equal(recs.find((r) => Number.isFinite(r[LANE.execDeadline]))[LANE.execDeadline], 16 * MINUTE);
    // the hung agent keeps answering pings: the health check never counts a miss
    assert.ok(recs.every((r) => r[LANE.misses] <= 0));
    assert.throws(() => sim.laneStates(Uint32Array.of(99)), /99 is not an agent index/);
  });
});

test('drainEventsOf keeps the watched agents\' messages and everyone\'s other events', () => {
  withSim(preset('partition'), (sim) => {
    const a2 = sim.agentNames().indexOf('agent-2');
    sim.advanceTo(3 * MINUTE);
    const evs = sim.drainEventsOf(Uint32Array.of(a2));
    const msgs = evs.filter((e) => e.event === 'message');
    assert.ok(msgs.length > 10);
    assert.ok(msgs.every((e) => e.agent === 'agent-2'));
    assert.ok(evs.some((e) => e.event !== 'message' && e.agent === 'agent-1'));
    assert.deepEqual(sim.drainEventsOf(Uint32Array.of()), []);
  });
});

test('the judge\'s digest: verdicts, deaths, ghosts and the lanes of the watched agent', () => {
  const d = judgeNow(lib, preset('ghost-tasks'), ['agent-1']);
  assert.deepEqual(d.verdicts.map((v) => [v.agent, v.t, v.cause]), [['agent-1', 21 * MINUTE + 1, 'reregister_timeout']]);
  assert.deepEqual(d.deaths.map((x) => [x.agent, x.t, x.reason]), [['agent-1', 16 * MINUTE, 'recovery_timeout'], ['agent-1', 16 * MINUTE, 'recovery_timeout']]);
  assert.equal(d.totals.executorsDied, 2);
  // two tasks dead while their frameworks still believe them running, from 16:00 to 21:00.001
  assert.equal(d.totals.ghostsMax, 2);
  const s = d.series;
  const ghostsAt = (t) => s.ghosts[s.t.findIndex((x) => x >= t)];
  assert.equal(ghostsAt(15 * MINUTE), 0);
  assert.equal(ghostsAt(18 * MINUTE), 2);
  assert.equal(ghostsAt(22 * MINUTE), 0);
  const lane = d.lanes['agent-1'];
  const bars = timerBars(lane.records, LANE.reregDeadline, d.end);
  assert.deepEqual(bars.map((b) => [b.from, b.deadline, b.ended]), [[MINUTE + 1, 21 * MINUTE + 1, 'fired']]);
  const exec = timerBars(lane.records, LANE.execDeadline, d.end);
  assert.deepEqual(exec.map((b) => [b.from, b.deadline, b.ended]), [[MINUTE, 16 * MINUTE, 'fired']]);
  const views = segments(lane.records, LANE.view, d.end).map(([from, , v]) => [from, lib.MASTER_VIEWS[v]]);
  assert.deepEqual(views.slice(-2), [[MINUTE + 1, 'disconnected'], [21 * MINUTE + 1, 'unreachable']]);
  assert.ok(lane.events.some((e) => e.event === 'message' && e.message === 'PingSlaveMessage'));
  assert.equal(d.lanes['agent-2'], undefined, 'only watched agents get lanes');
});

test('the judge follows the policy: mesos-1.1 never marks the hung agent', () => {
  const d = judgeNow(lib, { ...preset('stuck-recovery'), policy: 'mesos-1.1' });
  assert.deepEqual(d.verdicts, []);
  assert.equal(d.series.t.at(-1), d.end);
  assert.equal(d.final.views[0], VIEW('disconnected'));
});
