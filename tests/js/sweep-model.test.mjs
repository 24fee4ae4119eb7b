// The Tuning tab's model (www/src/tune/sweep-model.js, no DOM): what setting a grid point is,
// the page's view of the engine's metric catalogue, the Pareto front, and the checks and
// encodings of exported files and links — run on a real result of the engine's Sweep so the
// model reads what the engine writes. The recommendation and the CSV are the engine's: for
// results read back from a file or a link the binding gives exactly what a run gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lib, SMALL_SWEEP as spec } from './helpers.mjs';
import {
  defaultSpec, DEFAULT_TRIALS, settingOf, describeSetting, isMesosDefault, sameSetting, facetOf, fmtMetric, metricCatalogue, metricAt,
  paretoFront, checkResults, splitImport, exportFile, encodeResults, decodeResults, singlePointSpec, trialsKey, agentDays,
  makeResults, human, baseValue,
} from '../../www/src/tune/sweep-model.js';

const catalogue = metricCatalogue(lib.sweepMetrics());

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

test('metric values read as the engine ranks them, formatted with their units', () => {
  assert.deepEqual(catalogue.find((m) => m.path === 'detection_by_kind.crash.p99'), {
    ...lib.sweepMetrics().find((m) => m.path === 'detection_by_kind.crash.p99'), kind: 'duration', title: 'crash detection p99 (time)',
  });
  assert.equal(catalogue.find((m) => m.path === 'false_unreachable_per_agent_day').title, 'false unreachable / agent-day');
  assert.equal(catalogue.find((m) => m.path === 'tasks_killed_needlessly').title, 'tasks killed needlessly (count)');
  // Never (a quantile falling on an agent never marked) and no samples, from the engine.
  const points = [
    { params: {}, trials: 1, metrics: { detection_by_kind: { crash: { p99: null, undetected: 2 } } } },
    { params: {}, trials: 1, metrics: { detection_by_kind: { crash: { p99: null, undetected: 0 } } } },
    { params: {}, trials: 1, metrics: { detection_by_kind: { crash: { p99: 5000, undetected: 0 } } } },
  ];
  const v = Array.from(lib.sweepMetricValues({ points }, 'detection_by_kind.crash.p99'));
  assert.deepEqual(v, [Infinity, NaN, 5000]);
  assert.deepEqual(v.map((x) => fmtMetric('duration', x)), ['never', '—', '5 s']);
  assert.throws(() => lib.sweepMetricValues({ points }, 'detection_p99'), /path: unknown metric "detection_p99"/);
  assert.equal(metricAt(points[2].metrics, 'detection_by_kind.crash.p99'), 5000);
  assert.equal(metricAt(points[2].metrics, 'ghost_task_ms.p99'), undefined);
  assert.equal(fmtMetric('duration', 8_400), '8.4 s');
  assert.equal(fmtMetric('duration', 18_400), '18 s');
  assert.equal(fmtMetric('rate', 0), '0');
  assert.equal(fmtMetric('rate', 0.001234), '0.00123');
  assert.equal(fmtMetric('rate', 2.345), '2.35');
  assert.equal(fmtMetric('rate', 1234.5), '1,235');
  assert.equal(fmtMetric('count', null), '—');
  assert.equal(human(Infinity), 'never');
  assert.equal(agentDays(36, 100, 100, 86_400_000), 360_000);
});

test('the Pareto front', () => {
  const items = [
    { i: 0, x: 10, y: 5 }, { i: 1, x: 20, y: 1 }, { i: 2, x: 20, y: 3 }, { i: 3, x: 5, y: 9 }, { i: 4, x: 30, y: 1 }, { i: 5, x: Infinity, y: 0 },
  ];
  assert.deepEqual([...paretoFront(items)].sort(), [0, 1, 3]);
});

test('the engine recommends for results read back, as a run does, under any objective', () => {
  const run = engineRun();
  const { objective, recommendation, no_recommendation } = run.result;
  assert.deepEqual(lib.sweepRecommend(spec.objective, { points: run.result.points }), { objective, recommendation, no_recommendation });
  // Another objective: the same points, another pick and its reason.
  const fewest = { minimize: 'tasks_killed_needlessly', subject_to: [] };
  const other = lib.sweepRecommend(fewest, run.result);
  assert.deepEqual(other.objective, fewest);
  assert.equal(typeof other.recommendation.why, 'string');
  assert.match(other.recommendation.why, /has the lowest tasks killed needlessly/);
  const none = lib.sweepRecommend({ subject_to: [{ metric: 'false_unreachable', at_most: -0 }] }, { points: run.result.points.map((p) => ({ ...p, metrics: { ...p.metrics, false_unreachable: 3 } })) });
  assert.equal(none.recommendation, null);
  assert.match(none.no_recommendation, /^No point of the 4 run has false unreachable at most 0; the closest is /);
  assert.throws(() => lib.sweepRecommend({ minimize: 'speed' }, run.result), /objective\.minimize: unknown metric "speed"/);
  // The spec without its objective keys the results: a new objective keeps them.
  assert.equal(trialsKey({ ...spec, objective: fewest }), trialsKey(spec));
  assert.notEqual(trialsKey({ ...spec, trials: 6 }), trialsKey(spec));
});

test('engine results pass the checks, round-trip through a link and a file, and write the engine\'s CSV', () => {
  const run = engineRun();
  const checked = checkResults(run.result, run.grid, spec.trials, run.representative, catalogue);
  assert.deepEqual(checked.problems, []);
  assert.deepEqual(checked.results, run.result);
  const R = makeResults(spec, { keys: run.keys, grid: run.grid }, run.result, run.representative, { elapsed: 1.5 });
  assert.equal(R.settings.length, 4);
  assert.equal(R.settings[1].policy, 'running-only-pongs');
  // A link keeps everything, the objective, recommendation and warnings included.
  assert.deepEqual(decodeResults(encodeResults(R, catalogue), run.grid, spec.trials, catalogue), { problems: [], results: run.result, representative: run.representative });
  const files = { 'recoveries.txt': '30\n95secs\n' };
  const file = JSON.parse(JSON.stringify(exportFile(spec, R, files)));
  assert.equal(file.browser_seconds, 1.5);
  assert.deepEqual(file.files, files);
  const parts = splitImport(file);
  assert.deepEqual(parts, { spec, files, results: run.result, representative: run.representative, problems: [] });
  assert.deepEqual(splitImport(spec), { spec, files: {}, results: null, representative: null, problems: [] });
  assert.deepEqual(splitImport({ spec, files: { a: 1 } }).problems, ['files: expected an object of file name → the file\'s text']);
  // The engine writes the CSV of results read back, byte for byte the run's (the CLI's --out).
  assert.equal(lib.sweepCsv(spec, checked.results), run.csv);
  assert.throws(() => lib.sweepCsv(spec, { points: run.result.points.slice(1) }), /results\.points: 3 points, but the spec's grid has 4/);
});

test('bad results name the JSON path of each problem', () => {
  const run = engineRun();
  const bad = JSON.parse(JSON.stringify(run.result));
  bad.points[1].trials = 99;
  bad.points[2].metrics.detection_ms.p50 = 'fast';
  delete bad.points[3].metrics.limbo_ms;
  bad.points[0].params = { policy: 'mesos-1.1' };
  const { problems } = checkResults(bad, run.grid, spec.trials, [0, 1, 2, 9], catalogue);
  assert.deepEqual(problems, [
    'results.points[0].params: {"policy":"mesos-1.1"} is not the spec\'s grid point {"master.agent_reregister_timeout":"5mins","policy":"mesos-1.2"}',
    'results.points[1].trials: expected a whole number from 0 to 5',
    'results.points[2].metrics.detection_ms.p50: expected a number ≥ 0 or null',
    'results.points[3].metrics.limbo_ms.p50: expected a number ≥ 0 or null',
    'results.points[3].metrics.limbo_ms.p99: expected a number ≥ 0 or null',
    'representative_trials[3]: expected a whole number from 0 to 4',
  ]);
  assert.deepEqual(checkResults({ points: [] }, run.grid, 5, null, catalogue).problems, ['results.points: 0 points, but the spec\'s grid has 4']);
  assert.deepEqual(checkResults([], run.grid, 5, null, catalogue).problems, ['results: expected an object { "name", "points": [...] }']);
  assert.deepEqual(checkResults({ ...run.result, recommendation: 'best' }, run.grid, 5, null, catalogue).problems, ['results.recommendation: expected null or { "point", "settings", "why" }']);
  assert.deepEqual(decodeResults('%%', run.grid, 5, catalogue).problems, ['results in the link could not be read (the scenario is not valid base64url (it contains other characters))']);
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
