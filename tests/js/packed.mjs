// Shared by the package tests (tests/js/package.test.mjs, tests/e2e/package.test.mjs): the npm
// package as others get it — `npm pack` of this repository (www/pkg built beforehand), installed
// from the tarball into a fresh folder outside the repository, offline (it has no dependencies).
// Not a test file itself.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { root } from './helpers.mjs';

/** The environment without npm's own variables (set when run by `npm test`), for nested npm runs. */
function cleanEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')));
}

/** Runs a command, throwing with its output unless it exits 0; returns its standard output. */
export function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: cleanEnv(), maxBuffer: 1 << 26 });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  }
  return r.stdout;
}

/**
 * Packs the package into a fresh temporary folder and installs the tarball there.
 * Returns { dir, tarball, files (paths inside the tarball), remove() }.
 */
export function packAndInstall() {
  const dir = mkdtempSync(path.join(tmpdir(), 'liveness-package-'));
  try {
    // --ignore-scripts: prepack would rebuild the wasm, which the test run has just built.
    const [packed] = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], root));
    const tarball = path.join(dir, packed.filename);
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], dir);
    return {
      dir,
      tarball,
      files: packed.files.map((f) => f.path),
      remove: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/** A one-file app importing the package by name; it sets window.__hashes to each preset's hash. */
export const APP_JS = `import { Simulation, presets } from "liveness";
const hashes = {};
for (const p of presets()) {
  const sim = new Simulation(p.scenario);
  sim.advanceTo(sim.duration);
  hashes[p.name] = sim.traceHash();
  sim.free();
}
document.querySelector("#out").textContent = JSON.stringify(hashes);
window.__hashes = hashes;
`;

export const APP_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>app</title></head>
<body><pre id="out"></pre><script type="module" src="./main.js"></script></body></html>
`;
