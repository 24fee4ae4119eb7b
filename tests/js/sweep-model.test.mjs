// The Tuning tab's model (www/src/tune/sweep-model.js, no DOM): what setting a grid point is,
// the Pareto front and the recommendation, and the checks and encodings of exported files and
// links — run on a real result of the engine's Sweep so the model reads what the engine writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lib, SMALL_SWEEP as spec } from './helpers.mjs';
import {
  defaultSpec, DEFAULT_TRIALS, settingOf, describeSetting, isMesosDefault, sameSetting, facetOf, effectiveP99, fmtMetric,
  paretoFront, recommend, checkResults, splitImport, exportFile, encodeResults, decodeResults, resultsCsv, singlePointSpec,
  makeResults, human, baseValue,
} from '../../www/src/tune/sweep-model.js';

/** The engine's run of `spec`: { keys, grid, result, representative, csv }. */
function engineRun(s = spec) {
  const sw = new lib.Sweep(s);
  try {
    sw.step(sw.total);
    const result = sw.result();
    return {
      keys: sw.keys(), grid: result.points.map((p) => p.params), result, csv: sw.csv(),
      representative: result.points.map((_, i) => sw.representativeTrial(i)),
    };
  } finally {
    sw.free();
  }
}

test('a grid point\'s setting: its params, else the base, else the Mesos default', () => {
  const s = settingOf(spec, { 'master.agent_reregister_timeout': '5mins', policy: 'running-only-pongs' });
  assert.deepEqual(s, {
    rr: 300_000, ping: 15_000, max: 5, total: 75_000, policy: 'running-only-pongs', others: [], rrText: '5mins', pingText: '15secs',
  });
  assert.equal(describeSetting(s), '5mins · 15secs × 5 (1 min 15 s) · running-only-pongs');
  assert.equal(describeSetting(s, { policy: false }), '5mins · 15secs × 5 (1 min 15 s)');
  const withBase = { ...spec, base: { ...spec.base, master: { agent_ping_timeout: '10secs', max_agent_ping_timeouts: 3 }, policy: 'mesos-1.5' } };
  const b = settingOf(withBase, { 'agents.0.count': 20 });
  assert.equal(b.total, 30_000);
  assert.equal(b.policy, 'mesos-1.5');
  assert.deepEqual(b.others, [['agents.0.count', 20]]);
  assert.equal(describeSetting(b), '10mins · 10secs × 3 (30 s) · mesos-1.5 · agents.0.count=20');
  assert.equal(baseValue(withBase, 'agents.0.count'), 8);
  assert.equal(baseValue(withBase, 'agents.3.count'), undefined);
  assert.equal(settingOf(spec, { 'master.agent_reregister_timeout': 90_000 }).rrText, '90secs', 'a number is milliseconds');
  const def = settingOf(spec, {});
  assert.ok(isMesosDefault(def));
  assert.ok(!isMesosDefault(s));
  assert.ok(sameSetting(def, settingOf(spec, { 'master.agent_reregister_timeout': '600secs' })));
  assert.equal(facetOf(b).label, 'mesos-1.5 · agents.0.count=20');
  assert.notEqual(facetOf(b).key, facetOf(def).key);
});

test('the default spec is sweeps/reregister-vs-ping.json at browser-sized trials, and the engine accepts it', () => {
  const d = defaultSpec();
  assert.equal(d.trials, DEFAULT_TRIALS);
  const sw = new lib.Sweep(d);
  assert.ok(sw.total > 0);
  sw.free();
  assert.notEqual(defaultSpec(), defaultSpec(), 'a fresh copy each time');
});

test('detection p99 counts more than 1% undetected failures as never', () => {
  assert.equal(effectiveP99({ detection_ms: { p99: 5000 }, truly_failed: 100, undetected: 1 }), 5000);
  assert.equal(effectiveP99({ detection_ms: { p99: 5000 }, truly_failed: 100, undetected: 2 }), Infinity);
  assert.equal(effectiveP99({ detection_ms: { p99: null }, truly_failed: 0, undetected: 0 }), null);
  assert.equal(fmtMetric('duration', Infinity), 'never');
  assert.equal(fmtMetric('duration', 8_400), '8.4 s');
  assert.equal(fmtMetric('duration', 18_400), '18 s');
  assert.equal(fmtMetric('rate', 0), '0');
  assert.equal(fmtMetric('rate', 2.345), '2.3');
  assert.equal(fmtMetric('rate', 1234.5), '1,235');
  assert.equal(fmtMetric('count', null), '—');
  assert.equal(human(Infinity), 'never');
});

test('the Pareto front and the recommendation', () => {
  const items = [
    { i: 0, x: 10, y: 5 }, { i: 1, x: 20, y: 1 }, { i: 2, x: 20, y: 3 }, { i: 3, x: 5, y: 9 }, { i: 4, x: 30, y: 1 }, { i: 5, x: Infinity, y: 0 },
  ];
  assert.deepEqual([...paretoFront(items)].sort(), [0, 1, 3]);
  const pt = (p99, rate, lost = 0, trials = 5) => ({ trials, metrics: { detection_ms: { p99 }, truly_failed: 10, undetected: 0, false_unreachable_per_1000_restarts: rate, tasks_lost_needlessly: lost } });
  const points = [pt(90_000, 80), pt(600_000, 0, 2), pt(300_000, 10), pt(300_000, 10, 0), pt(100_000, 40, 0, 0)];
  assert.deepEqual(recommend(points, 50), { best: 2, met: 3, ties: [3], closest: 1 });
  assert.deepEqual(recommend(points, 5), { best: 1, met: 1, ties: [], closest: 1 });
  assert.equal(recommend(points, -1).best, -1, 'no setting meets a target below zero');
  assert.equal(recommend([], 50).closest, -1);
});

test('engine results pass the checks, round-trip through a link and a file, and write the engine\'s CSV', () => {
  const run = engineRun();
  const checked = checkResults(run.result, run.grid, spec.trials, run.representative);
  assert.deepEqual(checked.problems, []);
  assert.deepEqual(checked.results, run.result);
  const R = makeResults(spec, { keys: run.keys, grid: run.grid }, run.result, run.representative, { elapsed: 1.5 });
  assert.equal(R.settings.length, 4);
  assert.equal(R.settings[1].policy, 'running-only-pongs');
  assert.deepEqual(decodeResults(encodeResults(R), run.grid, run.result.name, spec.trials), { problems: [], results: run.result, representative: run.representative });
  const file = JSON.parse(JSON.stringify(exportFile(spec, R)));
  assert.equal(file.browser_seconds, 1.5);
  const parts = splitImport(file);
  assert.deepEqual(parts, { spec, results: run.result, representative: run.representative, problems: [] });
  assert.deepEqual(splitImport(spec), { spec, results: null, representative: null, problems: [] });
  // the same columns and numbers as the engine's CSV (which writes 300001.0 where JavaScript writes 300001)
  const rows = (csv) => csv.trim().split('\n').map((l) => l.split(',').map((c) => (c === '' || c.startsWith('"') ? c : Number(c))));
  assert.deepEqual(rows(resultsCsv(run.keys, run.result)), rows(run.csv));
});

test('bad results name the JSON path of each problem', () => {
  const run = engineRun();
  const bad = JSON.parse(JSON.stringify(run.result));
  bad.points[1].trials = 99;
  bad.points[2].metrics.detection_ms.p50 = 'fast';
  delete bad.points[3].metrics.limbo_ms;
  bad.points[0].params = { policy: 'mesos-1.1' };
  const { problems } = checkResults(bad, run.grid, spec.trials, [0, 1, 2, 9]);
  assert.deepEqual(problems, [
    'results.points[0].params: {"policy":"mesos-1.1"} is not the spec\'s grid point {"master.agent_reregister_timeout":"5mins","policy":"mesos-1.2"}',
    'results.points[1].trials: expected a whole number from 0 to 5',
    'results.points[2].metrics.detection_ms.p50: expected a number or null',
    'results.points[3].metrics.limbo_ms: expected an object',
    'results.points[3].metrics.limbo_ms: expected an object',
    'representative_trials[3]: expected a whole number from 0 to 4',
  ]);
  assert.deepEqual(checkResults({ points: [] }, run.grid, 5).problems, ['results.points: 0 points, but the spec\'s grid has 4']);
  assert.deepEqual(checkResults([], run.grid, 5).problems, ['results: expected an object { "name", "points": [...] }']);
  assert.deepEqual(decodeResults('%%', run.grid, '', 5).problems, ['results in the link could not be read (the scenario is not valid base64url (it contains other characters))']);
  assert.deepEqual(splitImport([1]).problems, ['the file must be a JSON object: a sweep spec, or { "spec": …, "results": … }']);
  assert.deepEqual(splitImport({ spec: 3 }).problems, ['spec: expected a sweep spec object']);
});

test('a one-point spec runs the same trials as its point in the full grid', () => {
  const run = engineRun();
  const one = singlePointSpec(spec, run.grid[3]);
  assert.deepEqual(one.vary, { 'master.agent_reregister_timeout': ['10mins'], policy: ['running-only-pongs'] });
  const single = engineRun(one);
  assert.deepEqual(single.result.points[0].metrics, run.result.points[3].metrics);
  assert.equal(single.representative[0], run.representative[3]);
});
