// One simulation run of a scenario, as the lab sees it: the live wasm
// Simulation, the event rings behind the log, chart samples taken while
// advancing, verdicts so far, and a background "lookahead" run to the end
// (markers on the scrubber, "when would it be marked", verdict summaries).
import { parseDuration } from '../duration.js';
import { DEFAULT_POLICY } from '../policies.js';

/** The trace events that are verdicts on an agent. */
export const VERDICT_EVENTS = new Set(['agent_marked_unreachable', 'agent_removed']);
/** The task states the Tasks chart follows. */
export const TASK_SERIES = ['TASK_RUNNING', 'TASK_UNREACHABLE', 'TASK_LOST', 'TASK_KILLED'];
const SAMPLES_PER_RUN = 1200;

/** A simulation with the full trace, or a streaming one when the run is big (more than 4,000
 *  agent-hours): then drained events are dropped inside wasm and memory stays bounded. */
function newSimulation(lib, scenario) {
  const sim = new lib.Simulation(scenario, { trace: 'full' });
  if (sim.agentNames().length * sim.duration <= 4000 * 3_600_000) return sim;
  sim.free();
  return new lib.Simulation(scenario, { trace: 'streaming' });
}

/** A bounded ring of log entries; remembers how many were dropped. */
export class Ring {
  constructor(cap) { this.cap = cap; this.buf = []; this.dropped = 0; }
  push(x) {
    this.buf.push(x);
    if (this.buf.length > this.cap + (this.cap >> 2)) {
      const n = this.buf.length - this.cap;
      this.buf.splice(0, n);
      this.dropped += n;
    }
  }
  get length() { return this.buf.length; }
}

/** Scenario-derived numbers the views need. */
export function scenarioParams(scenario) {
  const m = scenario.master ?? {};
  const pingMs = parseDuration(m.agent_ping_timeout ?? '15secs');
  const maxPings = Number.isInteger(m.max_agent_ping_timeouts) ? m.max_agent_ping_timeouts : 5;
  const reregMs = parseDuration(m.agent_reregister_timeout ?? '10mins');
  const latencyMs = parseDuration(scenario.network?.latency ?? '1ms');
  const durationMs = parseDuration(scenario.duration);
  return { pingMs, maxPings, reregMs, latencyMs: Number.isFinite(latencyMs) ? latencyMs : 1, durationMs };
}

/** One simulation run of a scenario under one policy (see the top of this file). */
export class Run {
  /**
   * @param lib normalised engine (engine.js)
   * @param scenario scenario object (already with the policy applied)
   * @param opts — { onMessage(ev, run), label }
   */
  constructor(lib, scenario, opts = {}) {
    this.lib = lib;
    this.scenario = scenario;
    this.policy = scenario.policy ?? DEFAULT_POLICY;
    this.opts = opts;
    this.params = scenarioParams(scenario);
    this.future = null; // lookahead result
    this._futureJob = null;
    this.build();
  }

  build() {
    if (this.sim) { try { this.sim.free(); } catch { /* already freed */ } }
    // Small runs keep the full trace (jumps are fastest: drained events are not re-hashed).
    // Big ones (more than 4,000 agent-hours, e.g. 10,000 agents for 8 hours) stream: drained
    // events are dropped inside wasm, so memory stays bounded; the hash still covers every
    // event, and traceJsonl() re-simulates for a complete export.
    this.sim = newSimulation(this.lib, this.scenario);
    this.duration = this.sim.duration;
    this.names = this.sim.agentNames();
    this.index = new Map(this.names.map((n, i) => [n, i]));
    this.n = this.names.length;
    this.log = new Ring(4000);
    this.msgs = new Ring(1500);
    this.seq = 0;
    this.taskState = new Map();
    this.taskCounts = new Map();
    this.verdicts = [];
    this.stats = { tasksLost: 0, tasksUnreachable: 0, tasksKilled: 0, reregistered: 0, events: 0, messages: 0 };
    this.lastEventT = -1;
    this.sampleStep = Math.max(this.duration / SAMPLES_PER_RUN, 10);
    this.nextSampleT = 0;
    this.samples = { t: [], views: this.lib.MASTER_VIEWS.map(() => []), tasks: TASK_SERIES.map(() => []) };
    this.live = false;
    this.snap = null;
    this.timing = { total: 0, drain: 0, convert: 0 };
    this.refresh();
  }

  free() {
    this.cancelFuture();
    if (this.sim) { try { this.sim.free(); } catch { /* ignore */ } this.sim = null; }
  }

  get now() { return this.sim.now; }

  /**
   * Advances to t (≥ now), sampling the chart on a fixed grid and draining
   * events. `live` means events may become animated particles.
   */
  advanceTo(t, live = false) {
    this.live = live;
    const sim = this.sim;
    if (t < sim.now) t = sim.now;
    const t0 = performance.now();
    while (this.nextSampleT <= t) {
      const ts = this.nextSampleT;
      if (ts > sim.now) sim.advanceTo(ts);
      // A jump (not live) skips the ping/pong messages of the chunks it passes through: they
      // are most of the events and nobody sees them; the last chunk keeps them for the log.
      this._drain(live);
      this._sample(ts);
      this.nextSampleT += this.sampleStep;
    }
    if (t > sim.now) sim.advanceTo(t);
    this._drain();
    this.refresh();
    this.timing.total += performance.now() - t0;
  }

  refresh() {
    const sim = this.sim;
    this.snap = {
      now: sim.now,
      views: sim.masterViews(),
      states: sim.agentStates(),
      misses: sim.missCounts(),
      deadlines: sim.reregisterDeadlines(),
      permits: sim.permitWaiting(),
      links: sim.links(),
      masterUp: sim.masterUp(),
    };
  }

  _drain(messages = true) {
    const a = performance.now();
    const evs = this.sim.drainEvents({ messages });
    const b = performance.now();
    this.timing.convert += b - a;
    if (evs && evs.length) for (let i = 0; i < evs.length; i++) this._event(evs[i]);
    this.timing.drain += performance.now() - a;
  }

  _event(ev) {
    this.stats.events++;
    ev.seq = this.seq++;
    if (ev.t > this.lastEventT) this.lastEventT = ev.t;
    switch (ev.event) {
      case 'message':
        this.stats.messages++;
        this.msgs.push(ev);
        if (this.live && this.opts.onMessage) this.opts.onMessage(ev, this);
        return;
      case 'task_status': {
        const prev = this.taskState.get(ev.task);
        if (prev) this.taskCounts.set(prev, (this.taskCounts.get(prev) ?? 1) - 1);
        this.taskState.set(ev.task, ev.state);
        this.taskCounts.set(ev.state, (this.taskCounts.get(ev.state) ?? 0) + 1);
        if (ev.state === 'TASK_LOST') this.stats.tasksLost++;
        else if (ev.state === 'TASK_UNREACHABLE') this.stats.tasksUnreachable++;
        else if (ev.state === 'TASK_KILLED') this.stats.tasksKilled++;
        break;
      }
      case 'agent_reregistered':
        this.stats.reregistered++;
        break;
      default:
        if (VERDICT_EVENTS.has(ev.event)) this.verdicts.push(ev);
    }
    this.log.push(ev);
    if (this.opts.onEvent) this.opts.onEvent(ev, this);
  }

  _sample(ts) {
    const s = this.samples;
    s.t.push(ts / 1000);
    const views = this.sim.masterViews();
    const counts = new Array(this.lib.MASTER_VIEWS.length).fill(0);
    for (let i = 0; i < views.length; i++) counts[views[i]]++;
    for (let k = 0; k < counts.length; k++) s.views[k].push(counts[k]);
    for (let k = 0; k < TASK_SERIES.length; k++) s.tasks[k].push(this.taskCounts.get(TASK_SERIES[k]) ?? 0);
  }

  /** Verdicts (so far) for one agent name. */
  verdictsFor(name) { return this.verdicts.filter((v) => v.agent === name); }

  // ---------- lookahead ----------

  cancelFuture() {
    if (this._futureJob) { this._futureJob.cancelled = true; this._futureJob = null; }
  }

  /**
   * Runs a second simulation of the same scenario to its end in the
   * background (time-sliced), collecting verdicts, faults and totals.
   * Calls onDone(future) when complete. Synchronous if `sync`.
   */
  computeFuture(onDone, { sync = false } = {}) {
    this.cancelFuture();
    const job = { cancelled: false };
    this._futureJob = job;
    let sim;
    try { sim = newSimulation(this.lib, this.scenario); } catch { return; }
    const end = sim.duration;
    const fut = { verdicts: [], faults: [], tasksLost: 0, tasksUnreachable: 0, tasksKilled: 0, reregistered: 0, done: false, end };
    const consume = () => {
      const evs = sim.drainEvents({ messages: false });
      for (let i = 0; i < evs.length; i++) {
        const ev = evs[i];
        switch (ev.event) {
          case 'message': break;
          case 'fault': fut.faults.push(ev); break;
          case 'task_status':
            if (ev.state === 'TASK_LOST') fut.tasksLost++;
            else if (ev.state === 'TASK_UNREACHABLE') fut.tasksUnreachable++;
            else if (ev.state === 'TASK_KILLED') fut.tasksKilled++;
            break;
          case 'agent_reregistered': fut.reregistered++; break;
          default:
            if (VERDICT_EVENTS.has(ev.event)) fut.verdicts.push({ t: ev.t, event: ev.event, agent: ev.agent, cause: ev.cause, reason: ev.reason, message: ev.message });
        }
      }
    };
    const finish = () => {
      fut.done = true;
      fut.final = { views: sim.masterViews(), states: sim.agentStates() };
      try { sim.free(); } catch { /* ignore */ }
      if (this._futureJob === job) this._futureJob = null;
      this.future = fut;
      onDone?.(fut);
    };
    if (sync) {
      sim.advanceTo(end); consume(); finish();
      return;
    }
    // Time-sliced in idle time (so it never starves the animation): a few ms per slice.
    let step = 1000; // sim ms per chunk, adapted to keep chunks around 1–3 ms
    const schedule = (fn) => (typeof requestIdleCallback === 'function' ? requestIdleCallback(fn, { timeout: 250 }) : setTimeout(fn, 16));
    const slice = (deadline) => {
      if (job.cancelled) { try { sim.free(); } catch { /* ignore */ } return; }
      const t0 = performance.now();
      const budget = deadline && typeof deadline.timeRemaining === 'function' ? Math.max(2, Math.min(8, deadline.timeRemaining() - 1)) : 5;
      while (sim.now < end && performance.now() - t0 < budget) {
        const a = performance.now();
        sim.advanceTo(Math.min(end, sim.now + step));
        consume();
        const took = performance.now() - a;
        if (took < 1) step *= 2; else if (took > 3) step = Math.max(step / 2, 50);
      }
      if (sim.now >= end) finish(); else schedule(slice);
    };
    slice(null);
  }
}
