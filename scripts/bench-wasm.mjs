#!/usr/bin/env node
// The wasm benchmark: runs the workloads of `liveness bench` (benchWorkloads(), from the sweep
// module) through the wasm build in Node with the trace on and off (median of 3), measures the
// per-frame view cost for a 10,000-agent scenario, prints the wasm size, and compares with the native
// `target/release/liveness bench --json` run in the same process. Prints one JSON object.
//
//   node scripts/bench-wasm.mjs [--quick] [--no-native] [--pkg DIR]
//
// --quick: one timed run per figure, after one untimed run (V8 compiles wasm with a baseline
// compiler first and optimizes hot functions while they run, so a first run alone measures the
// compiler: 0.29x native instead of 0.77-0.94x); --no-native: skip the native comparison;
// --pkg DIR: load the wasm package from DIR instead of www/pkg (to compare builds).
// Needs www/pkg (npm run build:wasm) and, for the comparison, target/release/liveness
// (cargo build --release).
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const args = new Set(argv);
const pkgAt = argv.indexOf('--pkg');
const pkg = pkgAt >= 0 ? argv[pkgAt + 1] : `${root}www/pkg`;
const runs = args.has('--quick') ? 1 : 3;
// With three runs the median already leaves out the slow first one.
const warmups = runs === 1 ? 1 : 0;

const { initSync, Simulation } = await import(`${pkg}/liveness.js`);
const wasmBytes = readFileSync(`${pkg}/liveness_bg.wasm`);
initSync({ module: wasmBytes });
// The workloads come from the sweep module (bench-only code stays out of the lab module).
const sweepModule = await import(`${pkg}/liveness_sweep.js`);
sweepModule.initSync({ module: readFileSync(`${pkg}/liveness_sweep_bg.wasm`) });
const { benchWorkloads } = sweepModule;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// One run as `liveness bench` times it: the whole run, plus the trace hash when the trace is on.
function timeRun(scenario, trace) {
  const sim = new Simulation(scenario, { trace });
  try {
    const start = performance.now();
    const events = sim.advanceTo(sim.duration);
    if (trace) sim.traceHash();
    return { events, seconds: (performance.now() - start) / 1000 };
  } finally {
    sim.free();
  }
}

const figures = [];
for (const w of benchWorkloads()) {
  for (const trace of [false, true]) {
    const walls = [];
    let events = 0;
    for (let i = 0; i < warmups; i++) timeRun(w.scenario, trace);
    for (let i = 0; i < runs; i++) {
      const r = timeRun(w.scenario, trace);
      events = r.events;
      walls.push(r.seconds);
    }
    const wall = median(walls);
    figures.push({
      workload: w.name,
      trace,
      events,
      runs,
      wall_seconds: { median: wall, min: Math.min(...walls), max: Math.max(...walls) },
      events_per_second: events / wall,
      events_per_second_best: events / Math.min(...walls),
    });
  }
}

// Per-frame view cost: the six typed-array views the lab reads every frame, on 10,000 agents
// in the middle of a partition (so timers, misses and disconnections are live).
function viewCost() {
  const names = Array.from({ length: 1000 }, (_, i) => `v-${i * 10}`);
  const scenario = {
    name: 'view cost, 10000 agents',
    seed: 3,
    duration: '10mins',
    network: { latency: '20ms', jitter: '30ms' },
    frameworks: [{ name: 'web', partition_aware: true, checkpoint: true }],
    agents: [{ name: 'v', count: 10000, tasks: { web: 1 } }],
    faults: [
      { at: '2mins', kind: 'partition', agents: names, direction: 'both', breaks_socket: true },
    ],
  };
  const sim = new Simulation(scenario);
  try {
    sim.advanceTo(4 * 60_000 + 500); // inside a ping round (agents register within 1 s)
    const frame = () => {
      sim.masterViews();
      sim.agentStates();
      sim.missCounts();
      sim.reregisterDeadlines();
      sim.permitWaiting();
      sim.links();
    };
    for (let i = 0; i < 20; i++) frame(); // warm up
    const samples = [];
    for (let k = 0; k < 5; k++) {
      const n = 100;
      const start = performance.now();
      for (let i = 0; i < n; i++) frame();
      samples.push((performance.now() - start) / n);
    }
    const inFlightStart = performance.now();
    const inFlight = sim.inFlight();
    const inFlightMs = performance.now() - inFlightStart;
    return {
      agents: 10000,
      views: 'masterViews+agentStates+missCounts+reregisterDeadlines+permitWaiting+links',
      ms_per_frame: median(samples),
      in_flight_messages: inFlight.length / 6,
      in_flight_ms: inFlightMs,
    };
  } finally {
    sim.free();
  }
}

const size = { raw_bytes: wasmBytes.length, gzip_bytes: gzipSync(wasmBytes, { level: 9 }).length };

let native = null;
const targetDir = process.env.CARGO_TARGET_DIR
  ? path.resolve(root, process.env.CARGO_TARGET_DIR)
  : path.join(root, 'target');
const bin = path.join(targetDir, 'release', 'liveness');
if (!args.has('--no-native') && existsSync(bin)) {
  const r = spawnSync(bin, ['bench', '--json', ...(runs === 1 ? ['--quick'] : [])], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (r.status === 0) native = JSON.parse(r.stdout).figures;
  else process.stderr.write(`native bench failed (exit ${r.status}): ${r.stderr}\n`);
}

if (native) {
  for (const f of figures) {
    const n = native.find((x) => x.workload === f.workload && x.trace === f.trace);
    if (n) {
      f.native_events_per_second = n.events_per_second;
      f.native_events = n.events;
      f.wasm_to_native = f.events_per_second / n.events_per_second;
      // Best-of-runs ratio: less sensitive to other load on the machine than the medians.
      f.wasm_to_native_best = f.events_per_second_best / (n.events / n.wall_seconds.min);
    }
  }
}

const out = { node: process.version, figures, view_cost: viewCost(), wasm_size: size };
if (native) out.min_wasm_to_native = Math.min(...figures.map((f) => f.wasm_to_native ?? Infinity));
console.log(JSON.stringify(out, null, 2));
