// The judge worker: judges runs (judge.js) and re-simulates them for a trace hash or file
// (replay-job.js) off the page's main thread, a slice at a time so a newer request can
// cancel an older one between slices, posting progress as it goes.
//
// Messages in:  { type: 'judge', id, kind: 'judge', scenario, watch } — judge a scenario
//                                                        (watch: agent names)
//               { type: 'judge', id, kind: 'replay', scenario, until, lines } — its trace
//                                                        hash (and file) at until (ms)
//               { type: 'cancel', id }                    — drop that job (queued or running)
// Messages out: { type: 'progress', id, progress }        — 0–1, about every 100 ms
//               { type: 'partial', id, digest }           — all but the lanes (judge.js :: partial)
//               { type: 'done', id, digest, ms }          — digest: the judge's, or { hash, file }
//               { type: 'error', id, message }
import init, * as pkg from '../../pkg/liveness.js';
import { libFrom } from '../engine.js';
import { jobFor } from './judges.js';
import { errorText } from '../util.js';

const ready = init().then(() => libFrom(pkg));
const queue = [];
const cancelled = new Set();
let busy = false;

/** Lets messages (a cancel) in between slices. */
const yieldNow = () => new Promise((r) => setTimeout(r, 0));

async function pump() {
  if (busy) return;
  busy = true;
  const lib = await ready;
  while (queue.length) {
    const job = queue.shift();
    if (cancelled.delete(job.id)) continue;
    let judge;
    const start = performance.now();
    try {
      judge = jobFor(lib, job);
      let lastPost = 0;
      let sentPartial = false;
      while (!judge.step(25)) {
        if (!sentPartial && judge.partial()) {
          self.postMessage({ type: 'partial', id: job.id, digest: judge.partial() });
          sentPartial = true;
        }
        if (performance.now() - lastPost > 100) {
          self.postMessage({ type: 'progress', id: job.id, progress: judge.progress });
          lastPost = performance.now();
        }
        await yieldNow();
        if (cancelled.delete(job.id)) { judge.free(); judge = null; break; }
      }
      if (judge) self.postMessage({ type: 'done', id: job.id, digest: judge.result(), ms: performance.now() - start });
      cancelled.delete(job.id);
    } catch (e) {
      self.postMessage({ type: 'error', id: job.id, message: errorText(e) });
    } finally {
      judge?.free();
    }
  }
  busy = false;
}

self.onmessage = (e) => {
  const msg = e.data;
  if (msg.type === 'cancel') {
    const i = queue.findIndex((j) => j.id === msg.id);
    if (i >= 0) queue.splice(i, 1); else cancelled.add(msg.id);
    return;
  }
  if (msg.type === 'judge') { queue.push(msg); pump(); }
};
