// Big clusters stay responsive (issue 12, item 5): the engine's bounded stepping
// (Simulation.advanceBounded) runs the same simulation as one advanceTo; the Lab's catching up
// (www/src/lab/state.js, run.js) in tiny slices arrives at exactly the state catching up at
// once gives, reports its progress, and a newer edit replaces an older one under way; the judge
// run in place in slices (judges.js) drops a cancelled request for the newer one. Behaviour
// only: how long a slice takes is measured in the browser (tests/e2e/teaching.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lib as pkg, withSim, frameOf, exactFrameAt, exportedHash } from './helpers.mjs';
import { libFrom } from '../../www/src/engine.js';
import { LabState } from '../../www/src/lab/state.js';
import { Judges } from '../../www/src/lab/judges.js';
import { judgeNow } from '../../www/src/lab/judge.js';

const lib = libFrom(pkg);

/** `n` agents pinged at the same instants, with a partition, a hung restart and a heal. */
function cluster(n, duration = '30mins') {
  const some = (from, k) => Array.from({ length: k }, (_, i) => `n-${from + i}`);
  return {
    name: `${n} agents`, seed: 5, duration, policy: 'mesos-1.2',
    frameworks: [{ name: 'web', partition_aware: true, checkpoint: true }],
    agents: [{ name: 'n', count: n, tasks: { web: 1 } }],
    faults: [
      { at: '30secs', kind: 'partition', agents: some(0, 8), direction: 'both' },
      { at: '1mins', kind: 'restart_agent', agents: some(100, 4), recovery: 'hang' },
      { at: '3mins', kind: 'heal', agents: some(0, 8) },
    ],
  };
}

/** The trace hash and views of `scenario` advanced to `t` at once. */
function atOnce(scenario, t) {
  return withSim(scenario, (sim) => {
    sim.advanceTo(t);
    return { hash: sim.traceHash(), views: Array.from(sim.masterViews()), processed: sim.eventsProcessed };
  });
}

test('advanceBounded: a ping wave split into bounded calls is the same run as one advanceTo', () => {
  const scenario = cluster(200);
  const want = atOnce(scenario, 10 * 60_000);
  for (const bound of [1, 37, 5000]) {
    const got = withSim(scenario, (sim) => {
      let stops = 0, inside = 0;
      while (!sim.advanceBounded(10 * 60_000, bound)) {
        stops++;
        // a stop never passes the target, and may leave events of its own instant pending
        assert.ok(sim.now <= 10 * 60_000);
        if (sim.nextEventTime() === sim.now) inside++;
      }
      if (bound === 1) assert.ok(inside > 0, 'a bound of 1 stops inside an instant');
      if (bound === 5000) assert.ok(stops > 0, 'even 5,000 events at a time take several calls');
      assert.equal(sim.now, 10 * 60_000);
      return { hash: sim.traceHash(), views: Array.from(sim.masterViews()), processed: sim.eventsProcessed };
    });
    assert.deepEqual(got, want, `bound ${bound}`);
  }
});

test('advanceBounded refuses a bound that is not a whole number ≥ 1, and the past', () => {
  withSim(cluster(200), (sim) => {
    for (const bad of [0, 1.5, -1, NaN, Infinity]) assert.throws(() => sim.advanceBounded(1000, bad), RangeError, String(bad));
    assert.equal(sim.advanceBounded(1000, 1e9), true);
    assert.throws(() => sim.advanceBounded(999, 10), /advanceBounded: cannot go back in time/);
    assert.throws(() => sim.advanceBounded(NaN, 10), /advanceBounded: NaN is not a finite number/);
  });
});

/** A LabState whose slices wait in `queue` (the page runs them as tasks; here the test does). */
function sliced(t, sliceMs) {
  const queue = [];
  const busy = [];
  const state = new LabState(lib, { onBusy: (b) => busy.push(b && { ...b }) }, { schedule: (fn) => queue.push(fn), sliceMs });
  t.after(() => { for (const r of state.runs) r.free(); });
  const pump = (max = Infinity) => { let k = 0; while (queue.length && k++ < max) queue.shift()(); return k; };
  return { state, queue, busy, pump };
}

test('an edit caught up in tiny slices arrives at the same run as at once, showing its progress', (t) => {
  // Big enough that a catch-up (by fast-forward, then its last seconds exactly) takes slices.
  const scenario = cluster(3000);
  const { state, busy, pump } = sliced(t, 1);
  assert.equal(state.load(structuredClone(scenario)), null);
  pump();
  state.seek(12 * 60_000);
  const slices = pump();
  assert.ok(slices > 3, `a seek over 12 minutes of 3,000 agents took ${slices} slices of 1 ms`);
  assert.equal(state.t, 12 * 60_000);
  const progress = busy.filter(Boolean).map((b) => b.progress);
  assert.ok(progress.length >= 2, 'progress was shown');
  assert.ok(progress.every((p, k) => p >= 0 && p <= 1 && (k === 0 || p >= progress[k - 1])), `progress only grows: ${progress}`);
  assert.equal(busy.at(-1), null, 'and is cleared at the end');
  assert.deepEqual(state.edit((s) => { s.master = { agent_ping_timeout: '10secs' }; }), []);
  pump();
  assert.equal(state.t, 12 * 60_000, 'an edit keeps the time');
  const edited = { ...structuredClone(scenario), master: { agent_ping_timeout: '10secs' } };
  const run = state.primary;
  assert.equal(run.now, 12 * 60_000);
  // Caught up by fast-forward, then exact: what the page shows is the exact run's.
  assert.deepEqual(frameOf(run.sim), exactFrameAt(edited, 12 * 60_000));
  assert.deepEqual(Array.from(run.snap.views), exactFrameAt(edited, 12 * 60_000).views);
  assert.equal(exportedHash(state), atOnce(edited, 12 * 60_000).hash);
});

test('a newer edit replaces an older one still catching up; the older runs are freed', (t) => {
  // Big enough that a catch-up (by fast-forward, then its last seconds exactly) takes slices.
  const scenario = cluster(3000);
  const { state, queue, pump } = sliced(t, 1);
  assert.equal(state.load(structuredClone(scenario)), null);
  pump();
  state.seek(12 * 60_000);
  pump();
  assert.deepEqual(state.edit((s) => { s.master = { agent_ping_timeout: '20secs' }; }), []);
  const older = state.job.runs.slice();
  pump(2);
  assert.ok(queue.length > 0 && state.job, 'the first edit is still catching up');
  assert.deepEqual(state.edit((s) => { s.master = { agent_ping_timeout: '10secs' }; }), []);
  assert.ok(older.every((r) => r.sim === null), 'the older edit\'s runs were freed');
  pump();
  assert.equal(state.job, null);
  assert.equal(state.primary.scenario.master.agent_ping_timeout, '10secs');
  const edited = { ...structuredClone(scenario), master: { agent_ping_timeout: '10secs' } };
  assert.deepEqual(frameOf(state.primary.sim), exactFrameAt(edited, 12 * 60_000));
});

test('the judge in slices: a cancelled request never reports, the newer one gives the whole-run digest', async () => {
  const judges = new Judges(lib, 'slices');
  const a = { ...cluster(300, '1hrs'), master: { agent_ping_timeout: '20secs' } };
  const b = { ...cluster(300, '1hrs'), master: { agent_ping_timeout: '10secs' } };
  const seen = { aDone: 0, aProgress: 0, bProgress: [] };
  const first = judges.request(a, [], { onProgress: () => seen.aProgress++, onDone: () => seen.aDone++ });
  const second = new Promise((resolve, reject) => {
    // as LabState._judge does: the older request is cancelled when the newer one is made
    first.cancel();
    judges.request(b, ['n-100'], { onProgress: (p) => seen.bProgress.push(p), onDone: resolve, onError: reject });
  });
  const digest = await second;
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(seen.aDone, 0, 'the cancelled request never finished');
  assert.ok(seen.bProgress.length > 0 && seen.bProgress.every((p) => p > 0 && p < 1), `progress ${seen.bProgress}`);
  const want = judgeNow(lib, b, ['n-100']);
  assert.deepEqual(digest.verdicts, want.verdicts);
  assert.deepEqual(digest.series, want.series);
  assert.deepEqual(digest.lanes, want.lanes);
});
