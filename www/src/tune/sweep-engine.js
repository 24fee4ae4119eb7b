// What the Tuning tab asks the engine in the page (its worker runs the sweeps themselves):
// whether a spec is valid, the grid it makes and the values Mesos would refuse; the metric
// catalogue; the recommendation under an objective, metric values for plots and the CSV of any
// results; where to look in a trial when it opens in the Lab, and — for imported results —
// which trial of a point is representative. No DOM. The sweep functions come from the sweep
// module, which main.js loads (tune/sweep-module.js) before it builds the tab.
import { Simulation } from '../../pkg/liveness.js';
import { Sweep, sweepMetrics, sweepRecommend, sweepMetricValues, sweepCsv } from '../../pkg/liveness_sweep.js';
import { clock, errorText } from '../util.js';
import { parseDuration } from '../duration.js';
import { describeFault } from '../describe.js';
import { human, singlePointSpec, metricCatalogue } from './sweep-model.js';

/** Speeds a trial may open at: the episode to watch should take about 10 s or less. */
const NICE_SPEEDS = [1, 2, 5, 10, 20, 30, 60, 120, 300, 600];

/** An error's text as lines. */
export function errorLines(e) {
  return errorText(e).split('\n').filter(Boolean);
}

/**
 * Validates a spec (with the files it names) with the engine; returns { problems, warnings,
 * keys, grid, name, total }: warnings are the values Mesos would refuse, in the engine's words.
 */
export function validateSpec(spec, files = {}) {
  let sw;
  try {
    sw = new Sweep(spec, files);
  } catch (e) {
    return { problems: errorLines(e), warnings: [] };
  }
  try {
    const r = sw.result();
    return { problems: [], warnings: r.warnings, keys: sw.keys(), grid: r.points.map((p) => p.params), name: r.name, total: sw.total };
  } catch (e) {
    return { problems: errorLines(e), warnings: [] };
  } finally {
    sw.free();
  }
}

/** The engine's metric catalogue, as the page uses it (see metricCatalogue). */
export function catalogue() {
  return metricCatalogue(sweepMetrics());
}

/**
 * `result` with the engine's objective, recommendation and no_recommendation for `spec`'s
 * objective (throws the engine's error when the objective is invalid).
 */
export function withRecommendation(spec, result) {
  return { ...result, ...sweepRecommend(spec.objective, result) };
}

/** One metric of every point as numbers (Infinity: never; NaN: nothing of the kind). */
export function metricValues(result, path) {
  return Array.from(sweepMetricValues(result, path));
}

/** The CSV of results, byte for byte the CLI's `--out` (throws the engine's error). */
export function resultsCsv(spec, result, files = {}) {
  return sweepCsv(spec, result, files);
}

/** Trial `trial` of grid point i as a Lab scenario (throws the engine's error). */
export function trialScenario(spec, i, trial, files = {}) {
  const sw = new Sweep(spec, files);
  try {
    return sw.trialScenario(i, trial);
  } finally {
    sw.free();
  }
}

/**
 * The representative trial of a grid point (its params) for results without one (imported): a
 * one-point run of the spec in a worker.
 */
export function representativeTrial(spec, params, files = {}) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./sweep-worker.js', import.meta.url), { type: 'module' });
    const id = Date.now();
    worker.onmessage = (e) => {
      const msg = e.data;
      if (msg.id !== id) return;
      if (msg.type === 'representative') { worker.terminate(); resolve(msg.trial); }
      if (msg.type === 'error') { worker.terminate(); reject(new Error(msg.message)); }
    };
    worker.onerror = (e) => { worker.terminate(); reject(new Error(e.message ?? 'worker failed')); };
    worker.postMessage({ type: 'representative', id, spec: singlePointSpec(spec, params), files });
  });
}

/**
 * Where to look in a trial: the first agent marked unreachable that would have come back by
 * itself (a false unreachable), else the first one marked, else the first fault. Runs the
 * trial once with a streaming trace (no message events). Returns { t, agent, speed, words }.
 */
export function trialFocus(scenario) {
  const faults = (scenario.faults ?? []).map((f) => ({ f, at: parseDuration(f.at) })).sort((a, b) => a.at - b.at);
  const verdicts = [];
  let sim;
  try {
    sim = new Simulation(scenario, { trace: 'streaming' });
    const dur = sim.duration;
    const step = Math.max(60000, dur / 200);
    for (let t = 0; t < dur && verdicts.length < 500;) {
      t = Math.min(dur, t + step);
      sim.advanceTo(t);
      for (const e of sim.drainEvents({ messages: false })) if (e.event === 'agent_marked_unreachable') verdicts.push(e);
    }
  } catch { /* fall back to the first fault */ } finally { sim?.free(); }
  const episodeOf = (v) => {
    let best = null;
    for (const x of faults) if (x.at <= v.t && Array.isArray(x.f.agents) && x.f.agents.includes(v.agent) && x.f.kind !== 'heal') best = x;
    return best;
  };
  const transient = (x) => x && ((x.f.kind === 'restart_agent' && x.f.recovery !== 'hang') || x.f.kind === 'partition' || x.f.kind === 'fail_over_master');
  const judged = verdicts.map((v) => ({ v, ep: episodeOf(v) }));
  const pick = judged.find((j) => transient(j.ep)) ?? judged[0];
  if (!pick) {
    const first = faults[0];
    return first
      ? { t: Math.max(0, first.at - 5000), agent: first.f.agents?.[0], speed: 30, words: `Nothing is marked unreachable in this trial. Starting just before the first fault: ${describeFault(first.f)}.` }
      : { t: 0, speed: 30, words: 'This trial has no faults.' };
  }
  const { v, ep } = pick;
  const start = ep ? ep.at : Math.max(0, v.t - 60000);
  const wait = v.t - start;
  const speed = NICE_SPEEDS.find((x) => wait / x <= 10000) ?? 600;
  const isFalse = transient(ep);
  const words = `${ep ? describeFault(ep.f) : v.agent}, marked unreachable at ${clock(v.t)} — ${isFalse
    ? 'a false unreachable (it would have come back by itself)'
    : `a true failure, detected after ${human(wait)}`}. Playing at ${speed}×.`;
  return { t: Math.max(0, start - 5000), agent: v.agent, speed, words };
}
