// The Tuning tab's worker: runs a sweep (the wasm `Sweep` class, identical to `liveness sweep`)
// a few trials at a time, posting progress, then the results. It yields between steps so that a
// cancel can reach it: a cancelled run posts the results of the trials done so far.
//
// Messages in:  { type: 'run', id, spec, files }            — the whole grid
//               { type: 'cancel', id }                       — stop a run, keeping what it did
//               { type: 'representative', id, spec, files }  — a one-point spec: which trial to show
// Messages out: { type: 'progress', id, done, total, elapsed }
//               { type: 'done', id, result, representative, elapsed, computeSeconds, done, total, partial }
//               { type: 'representative', id, trial }
//               { type: 'error', id, message }
import init, { Sweep } from '../../pkg/liveness_sweep.js';
import { errorText } from '../util.js';

const ready = init();
// Aim for a progress message about every 80 ms without costing measurable time.
const TARGET_MS = 80;
const cancelled = new Set();

/** Lets queued messages (a cancel) in. */
const yieldToMessages = () => new Promise((resolve) => setTimeout(resolve, 0));

async function run({ id, spec, files }) {
  let sweep;
  try {
    sweep = new Sweep(spec, files ?? {});
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
    while (done < total && !cancelled.has(id)) {
      const t0 = performance.now();
      done = sweep.step(chunk);
      const dt = performance.now() - t0;
      compute += dt;
      // Grow (at most ×4) or shrink the chunk towards TARGET_MS per step.
      const want = Math.round((chunk * TARGET_MS) / Math.max(dt, 0.5));
      chunk = Math.max(1, Math.min(chunk * 4, want, 100000));
      self.postMessage({ type: 'progress', id, done, total, elapsed: (performance.now() - start) / 1000 });
      await yieldToMessages();
    }
    const result = sweep.result();
    const representative = result.points.map((_, i) => sweep.representativeTrial(i));
    self.postMessage({
      type: 'done', id, result, representative, total, done, partial: done < total,
      elapsed: (performance.now() - start) / 1000,
      computeSeconds: compute / 1000,
    });
  } catch (e) {
    self.postMessage({ type: 'error', id, message: errorText(e) });
  } finally {
    cancelled.delete(id);
    sweep.free();
  }
}

function representative({ id, spec, files }) {
  let sweep;
  try {
    sweep = new Sweep(spec, files ?? {});
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
  if (msg.type === 'cancel') { cancelled.add(msg.id); return; }
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
