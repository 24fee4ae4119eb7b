// The Tuning tab's worker: runs a sweep (the wasm `Sweep` class, identical to `liveness sweep`)
// a few trials at a time, posting progress, then the results. One job per worker; the page
// cancels by terminating the worker, so the loop never has to yield.
//
// Messages in:  { type: 'run', id, spec }                   — the whole grid
//               { type: 'representative', id, spec }        — a one-point spec: which trial to show
// Messages out: { type: 'progress', id, done, total, elapsed }
//               { type: 'done', id, result, representative, elapsed, computeSeconds, total }
//               { type: 'representative', id, trial }
//               { type: 'error', id, message }
import init, { Sweep } from '../../pkg/liveness.js';
import { errorText } from '../util.js';

const ready = init();
// Aim for a progress message about every 80 ms without costing measurable time.
const TARGET_MS = 80;

function run({ id, spec }) {
  let sweep;
  try {
    sweep = new Sweep(spec);
  } catch (e) {
    self.postMessage({ type: 'error', id, message: errorText(e) });
    return;
  }
  try {
    const total = sweep.total;
    const start = performance.now();
    let compute = 0;
    let chunk = 1;
    let done = 0;
    self.postMessage({ type: 'progress', id, done: 0, total, elapsed: 0 });
    while (done < total) {
      const t0 = performance.now();
      done = sweep.step(chunk);
      const dt = performance.now() - t0;
      compute += dt;
      // Grow (at most ×4) or shrink the chunk towards TARGET_MS per step.
      const want = Math.round((chunk * TARGET_MS) / Math.max(dt, 0.5));
      chunk = Math.max(1, Math.min(chunk * 4, want, 100000));
      self.postMessage({ type: 'progress', id, done, total, elapsed: (performance.now() - start) / 1000 });
    }
    const result = sweep.result();
    const representative = result.points.map((_, i) => sweep.representativeTrial(i));
    self.postMessage({
      type: 'done', id, result, representative, total,
      elapsed: (performance.now() - start) / 1000,
      computeSeconds: compute / 1000,
    });
  } catch (e) {
    self.postMessage({ type: 'error', id, message: errorText(e) });
  } finally {
    sweep.free();
  }
}

function representative({ id, spec }) {
  let sweep;
  try {
    sweep = new Sweep(spec);
    sweep.step(sweep.total);
    self.postMessage({ type: 'representative', id, trial: sweep.representativeTrial(0) });
  } catch (e) {
    self.postMessage({ type: 'error', id, message: errorText(e) });
  } finally {
    sweep?.free();
  }
}

self.onmessage = async (e) => {
  const msg = e.data ?? {};
  try {
    await ready;
  } catch (err) {
    self.postMessage({ type: 'error', id: msg.id, message: `the simulator could not be loaded in the worker: ${errorText(err)}` });
    return;
  }
  if (msg.type === 'run') run(msg);
  else if (msg.type === 'representative') representative(msg);
  else self.postMessage({ type: 'error', id: msg.id, message: `unknown job "${String(msg.type).slice(0, 40)}"` });
};
