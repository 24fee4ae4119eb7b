// Where runs are judged (judge.js), and re-simulated for a trace hash or file (replay-job.js): in
// the judge worker when the page can start one, else in place — all at once in Node (tests),
// in slices on the main thread in a browser without workers. Callers get their result through
// callbacks; a request can be cancelled, and the worker drops a cancelled job between two
// slices. No DOM.
import { Judge } from './judge.js';
import { ReplayJob } from './replay-job.js';
import { errorText } from '../util.js';

/** The job a request describes (`job.kind`: 'judge' or 'replay'), built where it runs. */
export function jobFor(lib, job) {
  if (job.kind === 'replay') return new ReplayJob(lib, job.scenario, job.until, { lines: job.lines });
  return new Judge(lib, job.scenario, job.watch ?? []);
}

/** Judges runs for the Lab (see the top of this file). */
export class Judges {
  /**
   * @param lib the engine
   * @param mode 'worker' (the page), 'sync' (Node tests: onDone runs before request returns)
   */
  constructor(lib, mode = 'sync') {
    this.lib = lib;
    this.mode = mode;
    this.nextId = 1;
    this.pending = new Map();
    this.worker = null;
    if (mode === 'worker') {
      try {
        this.worker = new Worker(new URL('./judge-worker.js', import.meta.url), { type: 'module' });
        this.worker.onmessage = (e) => this._message(e.data);
        this.worker.onerror = () => this._lostWorker();
      } catch {
        this.worker = null;
        this.mode = 'slices';
      }
    }
  }

  /**
   * Judges `scenario` (watching `watch`, agent names). Calls onProgress(0–1) now and then,
   * onPartial(digest without the lanes) when the verdicts and curves are known while the lanes
   * are still worked out, and onDone(digest) or onError(message) once. Returns { cancel() }.
   */
  request(scenario, watch, callbacks = {}) {
    return this._request({ kind: 'judge', scenario, watch }, callbacks);
  }

  /**
   * `scenario` run from 0 to `until` (ms) in full: onDone({ hash, file }) — its trace hash as
   * `liveness run` gives it, and with `lines` its trace file as a Blob (else null) — or
   * onError(message) once, onProgress(0–1) now and then. Returns { cancel() }.
   */
  replay(scenario, until, { lines = false } = {}, callbacks = {}) {
    return this._request({ kind: 'replay', scenario, until, lines }, callbacks);
  }

  _request(spec, { onProgress, onPartial, onDone, onError } = {}) {
    const id = this.nextId++;
    const job = { id, ...spec, onProgress, onPartial, onDone, onError, judge: null, timer: 0, sentPartial: false };
    this.pending.set(id, job);
    if (this.worker) this.worker.postMessage({ type: 'judge', id, ...spec });
    else if (this.mode === 'sync') this._runInPlace(job, Infinity);
    else this._runInPlace(job, 20);
    return { cancel: () => this._cancel(id) };
  }

  _cancel(id) {
    const job = this.pending.get(id);
    if (!job) return;
    this.pending.delete(id);
    clearTimeout(job.timer);
    job.judge?.free();
    this.worker?.postMessage({ type: 'cancel', id });
  }

  _message(msg) {
    const job = this.pending.get(msg.id);
    if (!job) return;
    if (msg.type === 'progress') { job.onProgress?.(msg.progress); return; }
    if (msg.type === 'partial') { job.onPartial?.(msg.digest); return; }
    this.pending.delete(msg.id);
    if (msg.type === 'done') job.onDone?.(msg.digest);
    else job.onError?.(msg.message);
  }

  /** The worker died: judge what it had in place, in slices. */
  _lostWorker() {
    this.worker?.terminate();
    this.worker = null;
    this.mode = 'slices';
    for (const job of this.pending.values()) this._runInPlace(job, 20);
  }

  _runInPlace(job, sliceMs) {
    try {
      job.judge = jobFor(this.lib, job);
    } catch (e) {
      this.pending.delete(job.id);
      job.onError?.(errorText(e));
      return;
    }
    const slice = () => {
      if (!this.pending.has(job.id)) return;
      try {
        if (!job.judge.step(sliceMs)) {
          if (!job.sentPartial && job.judge.partial()) { job.sentPartial = true; job.onPartial?.(job.judge.partial()); }
          job.onProgress?.(job.judge.progress);
          job.timer = setTimeout(slice, 0);
          return;
        }
        const digest = job.judge.result();
        job.judge.free();
        this.pending.delete(job.id);
        job.onDone?.(digest);
      } catch (e) {
        job.judge.free();
        this.pending.delete(job.id);
        job.onError?.(errorText(e));
      }
    };
    // In slices, even the first one runs in a task of its own: the caller's task (which may have
    // just built a Simulation) stays short, and a request cancelled right after it is made never
    // reports, however fast the judging would have been.
    if (sliceMs === Infinity) slice();
    else job.timer = setTimeout(slice, 0);
  }
}
