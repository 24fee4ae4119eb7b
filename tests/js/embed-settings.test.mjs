// The <liveness-lab> element's attributes (www/src/embed/settings.js): read with the lab link's
// own checks, the scenario as JSON text or base64url, and every bad value named in one readable
// line (never an exception).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readSettings, readScenarioText, DEFAULT_CONTROLS } from '../../www/src/embed/settings.js';
import { toBase64Url } from '../../www/src/util.js';

const read = (attrs) => readSettings((name) => (name in attrs ? attrs[name] : null));
const scenario = { name: 'two agents', duration: '5mins', agents: [{ name: 'a', count: 2 }] };

test('no attributes: minimal controls, nothing else asked', () => {
  assert.deepEqual(read({}), { errors: [], controls: DEFAULT_CONTROLS });
  assert.equal(DEFAULT_CONTROLS, 'minimal');
});

test('a preset, policy, time, speed, agent and controls are read as a lab link is', () => {
  assert.deepEqual(read({ preset: ' stuck-recovery ', policy: 'mesos-1.1', t: '600000', speed: '120', agent: 'agent-1', controls: 'FULL' }), {
    errors: [], preset: 'stuck-recovery', policy: 'mesos-1.1', t: 600000, speed: 120, agent: 'agent-1', controls: 'full',
  });
});

test('the scenario is JSON text or the base64url of a lab link, the same object either way', () => {
  assert.deepEqual(read({ scenario: JSON.stringify(scenario) }).scenario, scenario);
  assert.deepEqual(read({ scenario: toBase64Url(JSON.stringify(scenario)) }).scenario, scenario);
  assert.deepEqual(readScenarioText(`  ${JSON.stringify(scenario)}\n`), { scenario });
});

test('bad values give one line each, naming the attribute, and are left out', () => {
  const got = read({ t: 'soon', speed: '-3', policy: 'mesos-9', controls: 'some' });
  assert.deepEqual(got, {
    errors: [
      't=soon is not a time in milliseconds',
      'speed=-3 is not a positive number',
      'unknown policy "mesos-9" (one of mesos-1.1, mesos-1.2, mesos-1.5, mesos-latest, running-only-pongs)',
      'controls="some" is not one of none, minimal, full',
    ],
    controls: 'minimal',
  });
});

test('a bad scenario is named: broken JSON, not an object, not base64url, both preset and scenario', () => {
  assert.deepEqual(read({ scenario: '{"name": ' }).errors.length, 1);
  assert.match(read({ scenario: '{"name": ' }).errors[0], /^scenario: not valid JSON \(/);
  assert.deepEqual(read({ scenario: toBase64Url('[1, 2]') }).errors, ['scenario: must be a JSON object']);
  assert.match(read({ scenario: 'not base64!' }).errors[0], /^scenario: the scenario is not valid base64url .*give JSON text or the base64url of a lab link/);
  const both = read({ preset: 'partition', scenario: JSON.stringify(scenario) });
  assert.deepEqual(both.errors, ['give either preset or scenario, not both']);
});
