// The README's Node embedding example runs as written (the package imports itself by name).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { root, preset } from './helpers.mjs';

test('the README Node example runs and prints the verdict', () => {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('In Node');
  const block = readme.slice(start).match(/```js\n([\s\S]*?)```/)[1];
  const scenarioPath = path.join(root, 'tests', 'js', `.readme-scenario-${process.pid}.json`);
  const scriptPath = path.join(root, 'tests', 'js', `.readme-example-${process.pid}.mjs`);
  writeFileSync(scenarioPath, JSON.stringify(preset('stuck-recovery')));
  writeFileSync(scriptPath, block.replace('"my-scenario.json"', JSON.stringify(scenarioPath)));
  try {
    const r = spawnSync(process.execPath, [scriptPath], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /660001 agent-1 agent did not re-register within 10mins after disconnecting/);
    assert.match(r.stdout, /[0-9a-f]{16}/);
  } finally {
    rmSync(scenarioPath, { force: true });
    rmSync(scriptPath, { force: true });
  }
});
