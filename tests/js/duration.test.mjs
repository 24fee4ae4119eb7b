// The page's Mesos durations and rates (www/src/duration.js) read exactly what the engine reads:
// the table of src/time.rs's own tests, edge cases, and every spelling checked against the engine
// itself (a scenario's `duration` and `master.agent_removal_rate_limit`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lib } from './helpers.mjs';
import { parseDuration, parseRate, formatDuration, niceMs } from '../../www/src/duration.js';

const SEC = 1000, MIN = 60 * SEC, HR = 60 * MIN, DAY = 24 * HR, WEEK = 7 * DAY;

// src/time.rs :: tests::parses_mesos_units_and_short_forms, in ms.
const ENGINE_TABLE = [
  ['15secs', 15 * SEC], ['10mins', 10 * MIN], ['0.5secs', 500], ['2weeks', 14 * DAY], ['1.5h', 90 * MIN],
  ['11.01mins', 660_600], ['1500ns', 0.002], ['5ms', 5], ['1min', MIN], ['1hr', HR],
];
// src/time.rs :: tests::rejects_malformed_durations_with_a_reason
const ENGINE_REJECTS = ['15', '15 sec', '-5secs', '1.2.3secs', 'secs', '99999999999weeks'];

const MORE = [
  [' 15secs ', 15 * SEC], ['.5mins', 30 * SEC], ['5.secs', 5 * SEC], ['0secs', 0], ['1.5us', 0.002],
  ['0.4us', 0], ['0.5us', 0.001], ['3days', 3 * DAY], ['1week', WEEK], ['2d', 2 * DAY], ['1m', MIN], ['45s', 45 * SEC],
  ['2000weeks', 2000 * WEEK], ['0.000000001secs', 0], ['123456789ns', 123.457],
];
const MORE_REJECTS = [
  '', '.', '.secs', '1e3secs', '+5secs', '15SECS', '15secs5', '15 secs', '1/2secs', '2000.000001weeks',
  '123456789012345678901secs', '1.1234567890123456789secs', 'NaNsecs', '∞secs',
];

test('the engine\'s own duration table', () => {
  for (const [text, ms] of ENGINE_TABLE) assert.equal(parseDuration(text), ms, text);
  for (const text of ENGINE_REJECTS) assert.ok(Number.isNaN(parseDuration(text)), text);
});

test('edge cases: trimming, rounding to the microsecond, the 2,000-week limit, numbers as milliseconds', () => {
  for (const [text, ms] of MORE) assert.equal(parseDuration(text), ms, text);
  for (const text of MORE_REJECTS) assert.ok(Number.isNaN(parseDuration(text)), JSON.stringify(text));
  assert.equal(parseDuration(12.5), 12.5);
  assert.equal(parseDuration(0), 0);
  assert.equal(parseDuration(1.0004), 1);
  for (const v of [-1, NaN, Infinity, null, undefined, {}, [], '15secs '.repeat(2)]) assert.ok(Number.isNaN(parseDuration(v)), String(v));
});

/** The engine's reading of a duration: ms, or its error text. */
function engineDuration(v) {
  const scenario = { name: 'd', duration: v, agents: [{ name: 'a' }] };
  const problems = lib.validateScenario(scenario);
  if (problems.length) return problems.join('\n');
  const sim = new lib.Simulation(scenario);
  try { return sim.duration; } finally { sim.free(); }
}

test('every spelling reads as the engine reads it', () => {
  const all = [...ENGINE_TABLE, ...MORE].map(([t]) => t).concat(ENGINE_REJECTS, MORE_REJECTS, [12.5, 1.0004, 0.0015, 7 * DAY]);
  for (const v of all) {
    const js = parseDuration(v);
    const engine = engineDuration(v);
    if (Number.isNaN(js)) assert.match(String(engine), /^duration: /, `${JSON.stringify(v)}: the page refuses it, the engine reads ${engine}`);
    else if (js === 0) assert.equal(engine, 'duration: must be positive', JSON.stringify(v));
    else assert.equal(js, engine, JSON.stringify(v));
  }
});

test('rates read as the engine reads agent_removal_rate_limit', () => {
  assert.deepEqual(parseRate('1/20mins'), { permits: 1, perMs: 20 * MIN, periodMs: 20 * MIN });
  assert.deepEqual(parseRate(' 3 / 30secs'), { permits: 3, perMs: 30 * SEC, periodMs: 10 * SEC });
  assert.deepEqual(parseRate('1000000/1secs'), { permits: 1_000_000, perMs: SEC, periodMs: 0.001 });
  const refused = ['0/1mins', '1000001/1days', '1000000/0.5secs', '1/0secs', '1/20', 'x/1mins', '1.5/1mins', '1/1mins/2', '1', '', '/1mins', '-1/1mins'];
  for (const r of refused) assert.equal(parseRate(r), null, r);
  for (const r of ['1/20mins', ' 3 / 30secs', '1000000/1secs', '2/1days', '+1/1mins', ...refused]) {
    const problems = lib.validateScenario({ name: 'r', duration: '1mins', agents: [{ name: 'a' }], master: { agent_removal_rate_limit: r } });
    assert.equal(parseRate(r) === null, problems.length > 0, `${r}: ${problems.join('; ')}`);
  }
});

test('formatted durations read back to the same value', () => {
  assert.equal(formatDuration(0), '0secs');
  assert.equal(formatDuration(15 * SEC), '15secs');
  assert.equal(formatDuration(75 * SEC), '75secs');
  assert.equal(formatDuration(10 * MIN), '10mins');
  assert.equal(formatDuration(1500), '1.5secs');
  assert.equal(formatDuration(0.5), '500us');
  for (const ms of [0, 0.25, 0.5, 1, 10, 999, 1000, 1500, 15 * SEC, MIN, 75 * SEC, 90 * SEC, 10 * MIN, HR, 90 * MIN, DAY, WEEK, 3 * WEEK]) {
    assert.equal(parseDuration(formatDuration(ms)), ms, `${ms} → ${formatDuration(ms)}`);
  }
});

test('slider snapping keeps two significant digits of the largest unit', () => {
  assert.equal(niceMs(0), 0);
  assert.equal(niceMs(-5), 0);
  assert.equal(niceMs(123_456), 2.1 * MIN);
  assert.equal(niceMs(14_321), 14 * SEC);
  assert.equal(niceMs(1_234), 1.2 * SEC);
  assert.equal(niceMs(3.3 * DAY), 3.3 * DAY);
  assert.equal(niceMs(0.1234), 0.123);
});
