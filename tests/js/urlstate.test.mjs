// The Lab's link (www/src/lab/urlstate.js): what buildHash writes parseHash reads back, and
// hostile links give errors (never exceptions) and only what is valid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHash, buildHash } from '../../www/src/lab/urlstate.js';
import { toBase64Url, fromBase64Url } from '../../www/src/util.js';

const scenario = {
  name: 'Ünïcødé <b>name</b> & “quotes” 🚀',
  duration: '20mins',
  agents: [{ name: 'agent-1', count: 3 }],
  faults: [{ at: 60000.001, kind: 'crash_agent', agents: ['agent-1-2'] }],
};

test('a link round-trips: scenario, time, speed, policy, compare and agent', () => {
  const state = { scenario, t: 661000.5, speed: 120, policy: 'mesos-1.5', compare: ['mesos-1.1', 'mesos-1.5'], agent: 'agent-1-2' };
  const hash = buildHash(state);
  assert.match(hash, /^#scenario=[A-Za-z0-9_-]+&t=661000\.5&speed=120&policy=mesos-1\.5&compare=mesos-1\.1,mesos-1\.5&agent=agent-1-2$/);
  assert.deepEqual(parseHash(hash), { errors: [], ...state });
});

test('a preset link names the preset instead of carrying the scenario; t=0 is left out', () => {
  const hash = buildHash({ presetName: 'stuck-recovery', scenario, t: 0, speed: 30, policy: 'mesos-1.2', compare: null });
  assert.equal(hash, '#preset=stuck-recovery&speed=30&policy=mesos-1.2');
  assert.deepEqual(parseHash(hash), { errors: [], preset: 'stuck-recovery', speed: 30, policy: 'mesos-1.2' });
  assert.deepEqual(parseHash(''), { errors: [] });
  assert.deepEqual(parseHash('#'), { errors: [] });
});

test('hostile scenarios give one readable error each, and no scenario', () => {
  const cases = [
    ['#scenario=%%%', /not valid base64url/],
    ['#scenario=abcde', /truncated/],
    [`#scenario=${toBase64Url('{"name": "x"')}`, /not valid JSON.*truncated/],
    [`#scenario=${toBase64Url('[1, 2]')}`, /not a JSON object/],
    [`#scenario=${toBase64Url('null')}`, /not a JSON object/],
    [`#scenario=${toBase64Url('"text"')}`, /not a JSON object/],
    ['#scenario=_w', /does not decode to UTF-8/],
  ];
  for (const [hash, re] of cases) {
    const st = parseHash(hash);
    assert.equal(st.scenario, undefined, hash);
    assert.equal(st.badScenario, true, hash);
    assert.equal(st.errors.length, 1, hash);
    assert.match(st.errors[0], re, hash);
  }
});

test('bad time, speed and policy are reported and dropped; speed is clamped; compare keeps known policies', () => {
  const st = parseHash('#preset=x&t=-5&speed=abc&policy=<script>');
  assert.equal(st.preset, 'x');
  assert.equal(st.t, undefined);
  assert.equal(st.speed, undefined);
  assert.equal(st.policy, undefined);
  assert.deepEqual(st.errors, [
    't=-5 is not a time in milliseconds',
    'speed=abc is not a positive number',
    'unknown policy "<script>" (one of mesos-1.1, mesos-1.2, mesos-1.5, mesos-latest, running-only-pongs)',
  ]);
  assert.equal(parseHash('#speed=1e9').speed, 10000);
  assert.equal(parseHash('#speed=0.001').speed, 0.1);
  assert.deepEqual(parseHash('#t=NaN').errors, ['t=NaN is not a time in milliseconds']);
  assert.deepEqual(parseHash('#compare=mesos-1.1,evil,mesos-1.1,mesos-1.2').compare, ['mesos-1.1', 'mesos-1.2']);
  assert.equal(parseHash('#compare=mesos-1.1').compare, undefined, 'compare needs two policies');
  assert.deepEqual(parseHash('#compare=mesos-1.1,mesos-1.2,mesos-1.5,running-only-pongs,mesos-1.1').compare.length, 4);
  const long = 'x'.repeat(500);
  assert.equal(parseHash(`#agent=${long}`).agent.length, 200);
  assert.equal(parseHash(`#t=${long}`).errors[0].length < 80, true, 'errors quote at most 40 characters');
});

test('base64url carries any UTF-8 text and refuses what is not base64url', () => {
  for (const text of ['', 'a', 'ab', 'abc', '{"é":"🚀"}', 'x'.repeat(100_000)]) assert.equal(fromBase64Url(toBase64Url(text)), text);
  assert.equal(fromBase64Url(`${toBase64Url('hello')}=`), 'hello', 'padding is tolerated');
  assert.throws(() => fromBase64Url('a+b/'), /other characters/);
  assert.throws(() => fromBase64Url(42), /other characters/);
});
