// Shared by the JS tests: loads the wasm package (www/pkg, built by `npm run build:wasm`) the way
// Node loads the web target, and finds the native CLI for parity checks.
import { readFileSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const root = fileURLToPath(new URL('../../', import.meta.url));
const pkgDir = path.join(root, 'www', 'pkg');

if (!existsSync(path.join(pkgDir, 'liveness_bg.wasm'))) {
  throw new Error('www/pkg is missing: run `npm run build:wasm` first');
}

// The lab module and the sweep module (the Tuning tab's, loaded on demand in the page), as the
// npm package's entries export them: one namespace.
const labModule = await import(path.join(pkgDir, 'liveness.js'));
labModule.initSync({ module: readFileSync(path.join(pkgDir, 'liveness_bg.wasm')) });
const sweepModule = await import(path.join(pkgDir, 'liveness_sweep.js'));
sweepModule.initSync({ module: readFileSync(path.join(pkgDir, 'liveness_sweep_bg.wasm')) });
export const lib = { ...sweepModule, ...labModule };

/** Both modules' declarations, one after the other. */
export const dts = ['liveness.d.ts', 'liveness_sweep.d.ts']
  .map((f) => readFileSync(path.join(pkgDir, f), 'utf8'))
  .join('\n');

export const MINUTE = 60_000;

/** Runs `fn(sim)` and frees the simulation afterwards. */
export function withSim(scenario, fn, options) {
  const sim = new lib.Simulation(scenario, options);
  try {
    return fn(sim);
  } finally {
    sim.free();
  }
}

/** The preset scenario called `name`. */
export function preset(name) {
  const p = lib.presets().find((x) => x.name === name);
  if (!p) throw new Error(`no preset ${name}`);
  return p.scenario;
}

/** The native CLI (cargo's target dir honours CARGO_TARGET_DIR; LIVENESS_BIN overrides). */
export function nativeBin() {
  if (process.env.LIVENESS_BIN) return process.env.LIVENESS_BIN;
  const target = process.env.CARGO_TARGET_DIR
    ? path.resolve(root, process.env.CARGO_TARGET_DIR)
    : path.join(root, 'target');
  return path.join(target, 'release', 'liveness');
}

/** Builds the native CLI (a no-op when it is up to date). */
export function buildNative() {
  if (process.env.LIVENESS_BIN) return;
  const r = spawnSync('cargo', ['build', '--release', '--bin', 'liveness'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (r.status !== 0) throw new Error(`cargo build --release failed:\n${r.stderr}`);
}

/**
 * `liveness run --json -` on a scenario: the parsed summary. Exit code 1 only means an
 * expectation failed; anything else is an error.
 */
export function runNative(scenario) {
  const r = spawnSync(nativeBin(), ['run', '--json', '-'], {
    input: JSON.stringify(scenario),
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0 && r.status !== 1) {
    throw new Error(`liveness run exited ${r.status}: ${r.stderr}`);
  }
  return JSON.parse(r.stdout);
}

/** A small seeded PRNG (mulberry32). */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (xs) => xs[Math.floor(next() * xs.length)],
    chance: (p) => next() < p,
  };
}

/** A sweep of 2 × 2 settings × 5 trials on 8 agents, a few seconds' work (sweep tests). */
export const SMALL_SWEEP = {
  name: 'small sweep',
  base: {
    frameworks: [{ name: 'web', partition_aware: true, checkpoint: true }],
    agents: [{ name: 'a', count: 8, tasks: { web: 1 } }],
  },
  vary: { 'master.agent_reregister_timeout': ['5mins', '10mins'], policy: ['mesos-1.2', 'running-only-pongs'] },
  workload: {
    horizon: '6hrs',
    faults: [
      { kind: 'crash_agent', rate: '1/2days' },
      { kind: 'restart_agent', rate: '1/1days', recovery: { lognormal: { median: '30secs', p99: '20mins' } } },
      { kind: 'restart_agent', at: '1hrs', jitter: '10mins', recovery: 'hang' },
    ],
  },
  trials: 5,
  seed: 4,
};

/** What the lab's frame reads from a simulation: views, states, miss counts, deadlines,
 *  permits and the messages on the wire (sorted). */
export function frameOf(sim) {
  return {
    now: sim.now,
    views: Array.from(sim.masterViews()),
    states: Array.from(sim.agentStates()),
    misses: Array.from(sim.missCounts()),
    deadlines: Array.from(sim.reregisterDeadlines()),
    permits: Array.from(sim.permitWaiting()),
    wire: [...sim.inFlight()].map((m) => JSON.stringify(m)).sort(),
  };
}

/** `frameOf` an exact run of `scenario` at `t` ms (no fast-forward). */
export function exactFrameAt(scenario, t) {
  return withSim(scenario, (sim) => (sim.advanceTo(t), frameOf(sim)), { trace: 'streaming' });
}

/** The Export dialog's trace hash of a LabState whose judges run in place (the default in
 *  Node): LabState.replayLater, which is over when it returns. */
export function exportedHash(state) {
  let hash = null;
  state.replayLater({}, { onDone: (r) => { hash = r.hash; }, onError: (m) => { throw new Error(m); } });
  if (hash === null) throw new Error('replayLater did not finish in place');
  return hash;
}
