// The Sweep class (the Tuning tab's engine in a worker): the same results as the native CLI,
// step by step, with representative trials that open in a Simulation, and distribution samples.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { lib, buildNative, nativeBin, SMALL_SWEEP as spec } from './helpers.mjs';

const { Sweep, Simulation, sampleLength, sweepMetrics } = lib;

before(() => buildNative());

test('a stepped sweep gives exactly the native CLI results', () => {
  const sweep = new Sweep(spec);
  try {
    assert.equal(sweep.total, 20);
    assert.equal(sweep.step(7), 7);
    assert.equal(sweep.result().points[0].trials, 5);
    assert.equal(sweep.step(1000), 20);
    assert.equal(sweep.done, 20);
    const native = spawnSync(nativeBin(), ['sweep', '-', '--json'], { input: JSON.stringify(spec), encoding: 'utf8' });
    assert.equal(native.status, 0, native.stderr);
    assert.deepEqual(sweep.result(), JSON.parse(native.stdout));
    assert.deepEqual(sweep.keys(), ['master.agent_reregister_timeout', 'policy']);
    assert.match(sweep.csv(), /^"master.agent_reregister_timeout","policy",trials,/);
  } finally {
    sweep.free();
  }
});

test('a representative trial opens in a Simulation and shows its verdict', () => {
  const sweep = new Sweep(spec);
  try {
    sweep.step(1000);
    // Point 1: 5mins, running-only-pongs — hung agents are marked by the health check.
    const trial = sweep.representativeTrial(1);
    const scenario = sweep.trialScenario(1, trial);
    assert.ok(scenario.faults.length > 0);
    const sim = new Simulation(scenario);
    try {
      sim.advanceTo(sim.duration);
      const marks = sim.drainEvents().filter((e) => e.event === 'agent_marked_unreachable');
      assert.ok(marks.length > 0);
    } finally {
      sim.free();
    }
    assert.throws(() => sweep.trialScenario(4, 0), RangeError);
    assert.throws(() => sweep.trialScenario(0, 5), RangeError);
    assert.throws(() => sweep.step(Number.NaN), RangeError);
  } finally {
    sweep.free();
  }
});

test('bad specs throw with the field path, and the module keeps working', () => {
  assert.throws(() => new Sweep({ ...spec, trials: 0 }), /trials: must be at least 1/);
  assert.throws(
    () => new Sweep({ ...spec, vary: { 'master.agent_ping_timeout': ['0secs'] } }),
    /vary\["master.agent_ping_timeout"\]\[0\]: master.agent_ping_timeout: must be positive/,
  );
  assert.throws(() => new Sweep({ ...spec, workload: { horizon: '1day', faults: [{ kind: 'crash_agent' }] } }), /workload.faults\[0\]: needs exactly one of "rate"/);
  const ok = new Sweep(spec);
  assert.equal(ok.total, 20);
  ok.free();
});

test('sampleLength draws previews of every distribution', () => {
  const logn = sampleLength({ lognormal: { median: '30secs', p99: '20mins' } }, 4001, 1);
  assert.equal(logn.length, 4001);
  const sorted = [...logn].sort((a, b) => a - b);
  assert.ok(sorted[2000] > 25_000 && sorted[2000] < 36_000, `median ${sorted[2000]}`);
  const uni = sampleLength({ uniform: ['10secs', '20secs'] }, 100, 2);
  assert.ok(uni.every((x) => x >= 10_000 && x <= 20_000));
  assert.deepEqual([...sampleLength('hang', 2, 0)], [Infinity, Infinity]);
  assert.deepEqual([...sampleLength('1.5secs', 1, 0)], [1500]);
  assert.throws(() => sampleLength({ lognormal: { median: '30secs' } }, 10, 1), /needs both median and p99/);
  assert.throws(() => sampleLength('1secs', -1, 1), RangeError);
});

test('uploaded files feed empirical lengths; results carry the objective, recommendation and warnings', () => {
  const withFile = { ...spec, workload: { horizon: '6hrs', faults: [{ kind: 'restart_agent', at: '1hrs', recovery: { empirical: { file: 'rec.txt' } } }] } };
  assert.throws(() => new Sweep(withFile), /workload.faults\[0\].recovery.empirical.file: cannot read "rec.txt"/);
  assert.throws(() => new Sweep(withFile, { 'rec.txt': 42 }), /files\["rec.txt"\]: expected the file's text as a string/);
  const sweep = new Sweep(withFile, { 'rec.txt': '# measured\n660\n15mins  # slow\n' });
  try {
    sweep.step(1000);
    const r = sweep.result();
    // Every restart outlasts both R and the health check: all 8 agents × 5 trials are false everywhere.
    assert.deepEqual(r.points.map((p) => p.metrics.false_unreachable_by_kind.restart), [40, 40, 40, 40]);
    assert.equal(r.recommendation, null);
    assert.match(r.no_recommendation, /^No point of the 4 run has false unreachable \/ agent-day at most 0.001; the closest is /);
    assert.deepEqual(r.objective, { minimize: 'detection_by_kind.crash.p99', subject_to: [{ metric: 'false_unreachable_per_agent_day', at_most: 0.001 }] });
    assert.deepEqual(r.warnings, ['master.agent_reregister_timeout: 5mins is below 10mins, which Mesos refuses at start-up']);
    const metrics = sweepMetrics();
    assert.ok(metrics.some((m) => m.path === 'detection_by_kind.crash.p99' && m.unit === 'ms' && m.label && m.description));
    assert.equal(sweep.csv().split('\n')[0], ['"master.agent_reregister_timeout"', '"policy"', 'trials', ...metrics.map((m) => m.path)].join(','));
  } finally {
    sweep.free();
  }
  const samples = sampleLength({ empirical: { file: 'r.txt' }, max: '12mins' }, 50, 1, { 'r.txt': '660\n900' });
  assert.ok([...samples].every((x) => x === 660_000 || x === 720_000));
});
