#!/usr/bin/env node
// The sweep benchmark of the browser build: runs sweeps/reregister-vs-ping.json (36 settings ×
// 100 trials × 100 agents × 1 day) single-threaded through the wasm `Sweep` class in Node — the
// same loop as the Tuning tab's worker, a few trials per step — and the native CLI single-threaded
// (`liveness sweep SPEC --json --threads 1`) in the same run, checks that both give identical
// results, and prints one JSON object.
//
//   node scripts/bench-sweep-wasm.mjs [--quick] [--spec FILE] [--pkg DIR]
//
// --quick: one run of each (default: 3, the median reported); --spec: another sweep spec;
// --pkg DIR: load the wasm package from DIR instead of www/pkg.
// Needs www/pkg (npm run build:wasm) and target/release/liveness (cargo build --release).
import { readFileSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const opt = (name, fallback) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : fallback; };
const runs = argv.includes('--quick') ? 1 : 3;
const specRel = opt('--spec', 'sweeps/reregister-vs-ping.json');
const specPath = path.resolve(root, specRel);
const pkg = path.resolve(root, opt('--pkg', 'www/pkg'));

function die(msg) {
  process.stderr.write(`bench-sweep-wasm: ${msg}\n`);
  process.exit(1);
}

if (!existsSync(path.join(pkg, 'liveness_sweep_bg.wasm'))) die(`no wasm package in ${pkg}: run \`npm run build:wasm\` first`);
const targetDir = process.env.CARGO_TARGET_DIR ? path.resolve(root, process.env.CARGO_TARGET_DIR) : path.join(root, 'target');
const bin = path.join(targetDir, 'release', 'liveness');
if (!existsSync(bin)) die(`no native binary at ${bin}: run \`cargo build --release\` first`);

const { initSync, Sweep } = await import(path.join(pkg, 'liveness_sweep.js'));
initSync({ module: readFileSync(path.join(pkg, 'liveness_sweep_bg.wasm')) });

const specText = readFileSync(specPath, 'utf8');
const spec = JSON.parse(specText);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x) => Math.round(x * 1000) / 1000;

/** One wasm run, stepped as the worker steps it (chunks of about 80 ms). */
function wasmRun() {
  const sweep = new Sweep(spec);
  try {
    const start = performance.now();
    let chunk = 1;
    let done = 0;
    while (done < sweep.total) {
      const t0 = performance.now();
      done = sweep.step(chunk);
      const dt = performance.now() - t0;
      chunk = Math.max(1, Math.min(chunk * 4, Math.round((chunk * 80) / Math.max(dt, 0.5)), 100000));
    }
    const seconds = (performance.now() - start) / 1000;
    return { seconds, result: sweep.result(), total: sweep.total, points: sweep.result().points.length };
  } finally {
    sweep.free();
  }
}

function nativeRun() {
  const start = process.hrtime.bigint();
  const r = spawnSync(bin, ['sweep', specPath, '--json', '--threads', '1'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) die(`native sweep failed (exit ${r.status}): ${r.stderr}`);
  return { seconds, result: JSON.parse(r.stdout) };
}

const wasm = [];
const native = [];
let identical = true;
let shape = null;
for (let i = 0; i < runs; i++) {
  // alternate, so both see the same machine load
  const w = wasmRun();
  const n = nativeRun();
  wasm.push(w.seconds);
  native.push(n.seconds);
  shape = { points: w.points, trials: w.total };
  identical &&= JSON.stringify(w.result) === JSON.stringify(n.result);
}

const horizonDays = (() => {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/.exec(String(spec.workload?.horizon ?? ''));
  const unit = { secs: 1 / 86400, mins: 1 / 1440, min: 1 / 1440, hrs: 1 / 24, hr: 1 / 24, h: 1 / 24, days: 1, day: 1, d: 1, weeks: 7, week: 7 };
  return m && unit[m[2]] ? Number(m[1]) * unit[m[2]] : null;
})();
const agents = (spec.base?.agents ?? []).reduce((a, g) => a + (g.count ?? 1), 0);

const out = {
  spec: specRel,
  agent_days: horizonDays === null ? null : Math.round(shape.trials * agents * horizonDays),
  points: shape.points,
  trials: shape.trials,
  node: process.version,
  wall_seconds: { median: round(median(wasm)), min: round(Math.min(...wasm)), max: round(Math.max(...wasm)), n: runs },
  native_single_thread_seconds: round(median(native)),
  native_single_thread_runs: native.map(round),
  ratio: Math.round((median(wasm) / median(native)) * 100) / 100,
  identical_results: identical,
};
console.log(JSON.stringify(out, null, 2));
if (!identical) process.exitCode = 1;
