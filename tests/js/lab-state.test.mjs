// The Lab's model (www/src/lab/state.js, no DOM) on the real engine: loading, seeking both ways,
// injecting faults that replay exactly, what-if edits, compare mode, the selection and the link;
// and the clock's speed scale (www/src/lab/clock.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lib as pkg, frameOf, exactFrameAt, exportedHash } from './helpers.mjs';
import { libFrom } from '../../www/src/engine.js';
import { LabState, agentEntry } from '../../www/src/lab/state.js';
import { buildHash, parseHash } from '../../www/src/lab/urlstate.js';
import { SPEEDS, speedFromSlider, sliderFromSpeed } from '../../www/src/lab/clock.js';
import { ReplayJob } from '../../www/src/lab/replay-job.js';

const lib = libFrom(pkg);

/** A LabState with counting hooks; its runs are freed after the test. */
function lab(t, preset = 'stuck-recovery') {
  const calls = { rebuilt: 0, jumps: 0, messages: 0 };
  const state = new LabState(lib, {
    onRunsRebuilt: () => calls.rebuilt++,
    onJump: () => calls.jumps++,
    onMessage: () => calls.messages++,
  });
  t.after(() => { for (const r of state.runs) r.free(); });
  if (preset) assert.equal(state.loadPreset(preset), null);
  return { state, calls };
}

/** The trace hash of `scenario` simulated to `t` from scratch. */
function replayHash(scenario, t) {
  const sim = new lib.Simulation(scenario, { trace: 'full' });
  try {
    sim.advanceTo(t);
    return sim.traceHash();
  } finally {
    sim.free();
  }
}

test('a preset loads at 00:00 under its policy, and its first verdict is exact', (t) => {
  const { state, calls } = lab(t);
  assert.equal(state.t, 0);
  assert.equal(state.presetName, 'stuck-recovery');
  assert.equal(state.policy, 'mesos-1.2');
  assert.equal(state.runs.length, 1);
  assert.equal(state.duration, 900_000);
  assert.equal(state.baseFaultCount, 1);
  assert.equal(calls.rebuilt, 1);
  // restart at 1:00, socket break seen 1 ms later, agent_reregister_timeout 10mins
  assert.deepEqual(state.nextVerdict(), {
    t: 660_001, event: 'agent_marked_unreachable', agent: 'agent-1', cause: 'reregister_timeout', reason: undefined,
    message: 'agent did not re-register within 10mins after disconnecting',
  });
  state.setPolicy('mesos-1.1');
  assert.equal(state.nextVerdict(), null, 'mesos-1.1 never marks the hung agent');
});

test('seeking back re-simulates from 0 to exactly the same state', (t) => {
  const { state, calls } = lab(t);
  state.seek(700_000);
  const late = frameOf(state.primary.sim);
  assert.deepEqual(late, exactFrameAt(state.exportScenario(), 700_000));
  const jumps = calls.jumps;
  state.seek(100_000);
  assert.equal(state.t, 100_000);
  assert.equal(calls.jumps - jumps, 1, 'caught up off screen, then jumped once');
  assert.deepEqual(frameOf(state.primary.sim), exactFrameAt(state.exportScenario(), 100_000));
  assert.equal(exportedHash(state), replayHash(state.exportScenario(), 100_000));
  state.seek(700_000);
  assert.deepEqual(frameOf(state.primary.sim), late);
  state.seek(-5);
  assert.equal(state.t, 0);
  state.seek(1e12);
  assert.equal(state.t, state.duration);
});

test('the export hash, worked out in slices by the judges, is the hash of a run from scratch', (t) => {
  const { state } = lab(t, 'partition');
  state.seek(431_250);
  assert.equal(state.injectFault({ kind: 'crash_agent', agents: ['agent-2'] }).problem, undefined);
  state.seek(state.duration);
  const scenario = state.exportScenario();
  const want = replayHash(scenario, state.duration);
  // through the judges (in place here; the page's worker runs the same job)
  let got = null;
  state.replayLater({}, { onDone: (r) => { got = r; } });
  assert.deepEqual(got, { hash: want, file: null });
  // at 0, the hash of the events at 0 alone
  const zero = new ReplayJob(lib, scenario, 0);
  t.after(() => zero.free());
  assert.equal(zero.step(), true);
  assert.equal(zero.result().hash, replayHash(scenario, 0));
});

test('a replay stepped one engine call at a time gives the same hash and trace file', async (t) => {
  // 300 agents for 40 minutes, one crashed: ~150,000 events, several calls of 20,000
  const scenario = {
    name: 'hash in slices', duration: '1hrs', seed: 5, agents: [{ name: 'agent', count: 300 }],
    faults: [{ at: '5mins', kind: 'crash_agent', agents: ['agent-7'] }],
  };
  const until = 40 * 60_000;
  const job = new ReplayJob(lib, scenario, until, { lines: true });
  t.after(() => job.free());
  let slices = 0;
  let last = 0;
  while (!job.step(0)) {
    slices++;
    assert.ok(job.progress >= last && job.progress <= 1);
    last = job.progress;
  }
  assert.ok(slices >= 3, `${slices} slices`);
  assert.equal(job.progress, 1);
  const { hash, file } = job.result();
  assert.equal(hash, replayHash(scenario, until));
  // the file, built from one chunk per call, is the CLI's --trace file of the run to `until`
  const whole = new lib.Simulation(scenario, { trace: 'full' });
  t.after(() => whole.free());
  whole.advanceTo(until);
  assert.equal(file.type, 'application/x-ndjson');
  assert.equal(await file.text(), whole.traceJsonLines());
});

test('an injected fault is recorded after everything already processed, and replays exactly', (t) => {
  const { state, calls } = lab(t);
  const next = state.nextEventTime();
  state.seek(next, { live: true });
  assert.ok(calls.messages > 0, 'a live step animates its messages');
  const { recorded, problem } = state.injectFault({ kind: 'crash_agent', agents: ['agent-2'] });
  assert.equal(problem, undefined);
  assert.ok(recorded.at > next, `${recorded.at} after ${next}`);
  assert.equal(state.t, recorded.at);
  assert.deepEqual(state.scenario.faults.at(-1), recorded);
  assert.equal(state.presetName, null);
  assert.equal(state.baseFaultCount, 1);
  assert.deepEqual(state.validate(state.exportScenario()), []);
  state.seek(400_000);
  assert.equal(state.primary.sim.traceHash(), replayHash(state.exportScenario(), 400_000));
  const refused = state.injectFault({ kind: 'crash_agent', agents: ['nobody'] });
  assert.match(refused.problem, /^Cannot inject: faults\[2\]/);
  assert.equal(state.scenario.faults.length, 2);
  assert.deepEqual(state.removeInjected(), []);
  assert.equal(state.scenario.faults.length, 1);
});

test('a what-if edit keeps the time and moves the verdict; a bad one changes nothing', (t) => {
  const { state } = lab(t);
  state.seek(365_000);
  assert.deepEqual(state.edit((s) => { s.master = { agent_ping_timeout: 'soon' }; }), [
    'master.agent_ping_timeout: "soon" is not a duration: expected a number and a unit (ns, us, ms, secs, mins, hrs, days, weeks), e.g. "15secs"',
  ]);
  assert.equal(state.scenario.master, undefined);
  assert.equal(state.presetName, 'stuck-recovery');
  assert.deepEqual(state.edit((s) => { s.master = { agent_reregister_timeout: '5mins' }; }), []);
  assert.equal(state.t, 365_000);
  assert.equal(state.presetName, null);
  assert.equal(state.resim.breakdown.runs, 1);
  assert.ok(state.resim.totalMs >= state.resim.ms);
  const past = state.primary.verdicts.map((v) => [v.agent, v.t]);
  assert.deepEqual(past, [['agent-1', 360_001]]);
  assert.deepEqual(state.removeFault(0), []);
  assert.equal(state.baseFaultCount, 0);
  assert.deepEqual(state.primary.verdicts, []);
});

test('a scenario the engine refuses keeps the previous one', (t) => {
  const { state } = lab(t);
  const error = state.load({ name: 'bad', duration: '1mins', agents: [] });
  assert.match(error, /agents/);
  assert.equal(state.presetName, 'stuck-recovery');
  assert.equal(state.runs.length, 1);
});

test('compare mode: one run per policy on one clock, the selected policy first when missing', (t) => {
  const { state } = lab(t);
  state.seek(700_000);
  state.setCompare(true);
  assert.deepEqual(state.runs.map((r) => r.policy), ['mesos-1.1', 'mesos-1.2', 'running-only-pongs']);
  assert.equal(state.primary.policy, 'mesos-1.2');
  assert.equal(state.t, 700_000);
  assert.deepEqual(state.runs.map((r) => r.verdicts.length), [0, 1, 1]);
  state.setComparePolicies(['mesos-1.5', 'running-only-pongs']);
  assert.equal(state.policy, 'mesos-1.5');
  state.setPolicy('mesos-1.1');
  assert.deepEqual(state.policiesShown(), ['mesos-1.1', 'mesos-1.5', 'running-only-pongs']);
  state.showPolicies('mesos-1.2', null);
  assert.equal(state.compare, false);
  assert.deepEqual(state.runs.map((r) => r.policy), ['mesos-1.2']);
});

test('the selection, and the agents[] entry behind an agent', (t) => {
  const { state } = lab(t);
  state.selectOnly(2);
  state.toggleSelect(0);
  assert.deepEqual([...state.selected], [2, 0]);
  assert.equal(state.focus, 0);
  state.toggleSelect(0);
  assert.equal(state.focus, 2);
  state.selectMaster();
  assert.equal(state.masterSelected, true);
  state.clearSelection();
  assert.equal(state.focus, -1);
  const s = { agents: [{ name: 'a', count: 3 }, { name: 'b' }, { name: 'c', count: 2 }] };
  assert.deepEqual([0, 2, 3, 4, 5, 6].map((i) => agentEntry(s, i)?.__index ?? null), [0, 0, 1, 2, 2, null]);
});

test('the link restores the same run: scenario, faults, time, policy, compare and agent', (t) => {
  const { state } = lab(t);
  state.seek(200_000);
  state.injectFault({ kind: 'partition', agents: ['agent-2'], direction: 'both' });
  state.setCompare(true);
  state.selectOnly(1);
  const hash = buildHash(state.linkState(120));
  const st = parseHash(hash);
  assert.deepEqual(st.errors, []);
  const { state: other } = lab(t, null);
  assert.equal(other.load(st.scenario, { policy: st.policy, compare: st.compare }), null);
  other.seek(st.t);
  other.selectOnly(other.primary.index.get(st.agent));
  assert.equal(st.speed, 120);
  assert.deepEqual(other.runs.map((r) => r.policy), state.runs.map((r) => r.policy));
  assert.equal(other.primary.sim.traceHash(), state.primary.sim.traceHash());
  assert.equal(other.focus, 1);
  // an unchanged preset links by name
  const { state: fresh } = lab(t);
  assert.match(buildHash(fresh.linkState(30)), /^#preset=stuck-recovery&speed=30&policy=mesos-1\.2$/);
});

test('the exported trace is the whole run so far', async (t) => {
  const { state } = lab(t);
  state.seek(120_000);
  let file = null;
  state.replayLater({ lines: true }, { onDone: (r) => { file = r.file; } });
  const lines = (await file.text()).trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(lines.length > 10);
  assert.ok(lines.every((e) => e.t <= 120_000));
  assert.ok(lines.some((e) => e.event === 'fault'));
});

test('the speed slider snaps to friendly speeds from 0.1× to 10,000×', () => {
  for (const s of SPEEDS) assert.equal(speedFromSlider(sliderFromSpeed(s)), s);
  assert.equal(speedFromSlider(0), 0.1);
  assert.equal(speedFromSlider(1000), 10000);
  assert.equal(sliderFromSpeed(1e9), 1000);
  assert.equal(sliderFromSpeed(30), 495);
});
