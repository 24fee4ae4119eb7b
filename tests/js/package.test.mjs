// The npm package others install: `npm pack` holds the built engine, its glue and types and
// nothing else of the repository; installed from the tarball into a fresh folder it imports by
// name from Node, initialised, with the native CLI's trace hashes; its types resolve; and a
// one-file Vite app importing it builds with no configuration. (The built app and Vite's dev
// server run in Chromium in tests/e2e/package.test.mjs.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildNative, lib, root, runNative } from './helpers.mjs';
import { APP_HTML, APP_JS, packAndInstall, run } from './packed.mjs';

let pkg;
before(() => {
  pkg = packAndInstall();
});
after(() => pkg?.remove());

test('the tarball holds the wasm, the JS glue and the types, and no sources, tests or node_modules', () => {
  for (const f of ['package.json', 'README.md', 'npm/node.js', 'npm/bundler.js', 'npm/inline.js',
    'npm/index.d.ts', 'www/pkg/liveness.js', 'www/pkg/liveness.d.ts', 'www/pkg/liveness_bg.wasm', 'www/pkg/liveness_bg.wasm.base64.js',
    'www/pkg/liveness_sweep.js', 'www/pkg/liveness_sweep.d.ts', 'www/pkg/liveness_sweep_bg.wasm', 'www/pkg/liveness_sweep_bg.wasm.base64.js']) {
    assert.ok(pkg.files.includes(f), `${f} missing from ${pkg.files.join(', ')}`);
  }
  const stray = pkg.files.filter((f) => /^(src|tests|scripts|node_modules|www\/src|docs|target)\/|\.rs$|^Cargo/.test(f));
  assert.deepEqual(stray, []);
  const manifest = JSON.parse(readFileSync(path.join(pkg.dir, 'node_modules', 'liveness', 'package.json'), 'utf8'));
  assert.equal(manifest.license, 'Apache-2.0');
  assert.ok(manifest.description.length > 20);
  assert.equal(manifest.exports['.'].types, manifest.types);
});

test('Node imports it by name, initialised, and gets the native CLI\'s trace hash for every preset', () => {
  buildNative();
  const script = path.join(pkg.dir, 'hashes.mjs');
  writeFileSync(script, APP_JS.replace(/document[\s\S]*$/, 'console.log(JSON.stringify(hashes));\n'));
  const hashes = JSON.parse(run(process.execPath, [script], pkg.dir));
  const names = lib.presets().map((p) => p.name);
  assert.deepEqual(Object.keys(hashes), names);
  for (const p of lib.presets()) {
    assert.equal(hashes[p.name], runNative(p.scenario).trace_hash, p.name);
  }
});

test('the README\'s Node example runs as written in the fresh folder', () => {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const block = readme.slice(readme.indexOf('In Node')).match(/```js\n([\s\S]*?)```/)[1];
  writeFileSync(path.join(pkg.dir, 'my-scenario.json'), JSON.stringify(lib.presets().find((p) => p.name === 'stuck-recovery').scenario));
  writeFileSync(path.join(pkg.dir, 'readme-example.mjs'), block);
  const out = run(process.execPath, ['readme-example.mjs'], pkg.dir);
  assert.match(out, /660001 agent-1 agent did not re-register within 10mins after disconnecting/);
});

test('its types resolve by name under TypeScript\'s node and bundler resolutions', () => {
  const file = path.join(pkg.dir, 'usage.ts');
  writeFileSync(file, `import init, { Simulation, Sweep, presets, type Scenario, type SweepSpec } from "liveness";
const scenario: Scenario = presets()[0].scenario;
const sim: Simulation = new Simulation(scenario);
const views: Uint8Array = sim.masterViews();
const hash: string = sim.traceHash();
const spec: SweepSpec = { base: scenario, vary: {}, trials: 1 } as unknown as SweepSpec;
const total: number = new Sweep(spec).total;
export { init, views, hash, total };
`);
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  for (const resolution of [['--module', 'nodenext', '--moduleResolution', 'nodenext'], ['--module', 'esnext', '--moduleResolution', 'bundler']]) {
    run(process.execPath, [tsc, '--noEmit', '--strict', '--target', 'es2022', '--lib', 'es2022,dom,esnext.disposable', ...resolution, file], pkg.dir);
  }
});

test('a one-file Vite app importing it builds with no configuration, the .wasm emitted as an asset', () => {
  writeFileSync(path.join(pkg.dir, 'index.html'), APP_HTML);
  writeFileSync(path.join(pkg.dir, 'main.js'), APP_JS);
  run(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], pkg.dir);
  const assets = readdirSync(path.join(pkg.dir, 'dist', 'assets'));
  const wasm = assets.find((f) => f.endsWith('.wasm'));
  assert.ok(wasm, `no .wasm among ${assets.join(', ')}`);
  const js = assets.filter((f) => f.endsWith('.js')).map((f) => readFileSync(path.join(pkg.dir, 'dist', 'assets', f), 'utf8')).join('\n');
  assert.ok(js.includes(wasm), 'the bundle fetches the emitted .wasm');
  assert.ok(!js.includes('AGFzbQ'), 'the production bundle does not inline the wasm');
});
