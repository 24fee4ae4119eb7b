// Judging a run: simulations of the same scenario from 0 to its end, which collect what every
// panel needs to know beyond the current time — the verdicts, the faults, each executor's death,
// re-registrations, the curves of the "Over time" chart (agents per master view, tasks per state
// as the frameworks heard, executors really dead, ghost tasks), and, for the watched agents, the
// lane timeline: every change of their lane state (master's view, process, timers, missed
// pings, executors alive, link) to the microsecond and all their events, messages included.
//
// Two passes. The first runs with fast-forward (`{ trace: 'verdicts', fastForward: true }`,
// docs/fast-forward.md): steady agents' ping cycles are skipped in closed form, and it gives
// exactly the full run's events but `message` and its state at every instant, so the verdicts
// and curves come at a fraction of the cost. The lanes draw each ping and pong of the watched
// agents, which fast-forward does not produce: the second pass, only when agents are watched,
// runs the exact simulation for their records and events alone. The digest without lanes is
// there after the first pass (`partial()`). tests/js/lab-judge.test.mjs proves both passes
// give the digest of one exact run. The result is a plain object (a "digest") that crosses to
// the page from the judge worker (judge-worker.js); without workers (Node tests) it runs in
// place. No DOM.

/** Trace events that are verdicts on an agent. */
export const VERDICT_EVENTS = new Set(['agent_marked_unreachable', 'agent_removed']);
/** Task states the Tasks chart follows (as frameworks heard them). */
export const TASK_SERIES = ['TASK_RUNNING', 'TASK_UNREACHABLE', 'TASK_LOST', 'TASK_KILLED', 'TASK_FAILED', 'TASK_GONE'];
/** Samples of the chart's curves over the whole run. */
export const SAMPLES = 600;
/** Longest list kept per kind of event (a 100,000-agent storm stays bounded). */
const LIST_CAP = 60_000;
/** Numbers per lane record (Simulation.laneStates). */
export const LANE_FIELDS = 10;
/** Field offsets in a lane record. */
export const LANE = { t: 0, agent: 1, view: 2, state: 3, reregDeadline: 4, misses: 5, execDeadline: 6, alive: 7, link: 8, permit: 9 };
const TERMINAL_HEARD = new Set(['TASK_LOST', 'TASK_UNREACHABLE', 'TASK_KILLED', 'TASK_FAILED', 'TASK_GONE']);

/** One judging of a scenario (see the top of this file); step() it until it is done. */
export class Judge {
  /**
   * @param lib the engine (engine.js :: libFrom)
   * @param scenario the scenario with its policy
   * @param watch names of the agents whose lanes are wanted
   * @param opts — { exact: true } judges everything in one exact pass (the reference the tests
   *   hold the two passes to)
   */
  constructor(lib, scenario, watch = [], { exact = false } = {}) {
    this.lib = lib;
    this.scenario = scenario;
    this.exact = exact;
    this.sim = exact ? new lib.Simulation(scenario, { trace: 'streaming' }) : new lib.Simulation(scenario, { trace: 'verdicts', fastForward: true });
    const sim = this.sim;
    this.end = sim.duration;
    const names = sim.agentNames();
    const index = new Map(names.map((n, i) => [n, i]));
    this.wanted = Uint32Array.from(watch.map((n) => index.get(n)).filter((i) => i !== undefined));
    /** The agents whose lanes this pass records (the exact pass only). */
    this.watchIdx = exact ? this.wanted : new Uint32Array(0);
    /** 'verdicts' (the first pass), 'lanes' (the second), or 'done'. */
    this.pass = 'verdicts';
    this.step_ = Math.max(this.end / SAMPLES, 1);
    this.nextSample = 0;
    this.done = false;
    this.taskHeard = new Map();
    this.deadTasks = new Set();
    /** Tasks really dead whose framework still believes them running. */
    this.ghosts = 0;
    const lanes = {};
    for (const i of this.wanted) lanes[names[i]] = { index: i, records: [], events: [] };
    /** The lanes being recorded (the watched agents' in the exact pass; none before it). */
    this.lanes = exact ? lanes : {};
    this.laneSet = lanes;
    const taskNames = lib.TASK_STATES;
    this.taskSeries = TASK_SERIES.map((s) => taskNames.indexOf(s));
    this.d = {
      end: this.end, n: names.length, policy: scenario.policy,
      verdicts: [], faults: [], deaths: [], disconnects: [], registrations: [], masterEvents: [], truncated: false,
      totals: { tasksLost: 0, tasksUnreachable: 0, tasksKilled: 0, tasksFailed: 0, tasksGone: 0, reregistered: 0, executorsDied: 0, ghostsMax: 0 },
      series: { t: [], views: lib.MASTER_VIEWS.map(() => []), tasks: TASK_SERIES.map(() => []), dead: [], ghosts: [] },
      lanes: this.lanes, final: null,
    };
    this.names = names;
    this._startLanes();
  }

  /** The lane records at 0 of the agents this pass watches. */
  _startLanes() {
    if (!this.watchIdx.length) return;
    const r = this.sim.laneStates(this.watchIdx);
    for (let k = 0; k < r.length; k += LANE_FIELDS) this._record(r.subarray(k, k + LANE_FIELDS), this.names);
  }

  /** How far it got (0–1): the first pass is the first half when lanes follow. */
  get progress() {
    if (this.done) return 1;
    const f = this.end > 0 ? Math.min(1, this.sim.now / this.end) : 1;
    if (this.exact || !this.wanted.length) return f;
    return this.pass === 'verdicts' ? f / 2 : 0.5 + f / 2;
  }

  /** The digest so far: after the first pass, everything but the lanes (else null). */
  partial() { return this.pass === 'verdicts' ? null : this.d; }

  /** Runs for about `budgetMs` of wall time (Infinity: to the end); true when done. */
  step(budgetMs = Infinity) {
    const t0 = performance.now();
    while (!this.done) {
      const sim = this.sim; // (a new one for the second pass)
      const ts = Math.min(this.nextSample, this.end);
      if (this.watchIdx.length) {
        const r = sim.advanceWatching(ts, this.watchIdx);
        for (let k = 0; k < r.length; k += LANE_FIELDS) this._record(r.subarray(k, k + LANE_FIELDS), this.names);
      } else {
        sim.advanceTo(ts);
      }
      const evs = sim.drainEventsOf(this.watchIdx);
      if (this.pass === 'lanes') this._laneEvents(evs); else this._consume(evs);
      if (this.pass !== 'lanes') this._sample(ts);
      if (ts >= this.end) { this._finish(); if (this.done) break; }
      else this.nextSample += this.step_;
      if (performance.now() - t0 >= budgetMs) break;
    }
    return this.done;
  }

  /** The digest (once done). */
  result() { return this.d; }

  free() {
    if (this.sim) { try { this.sim.free(); } catch { /* freed */ } this.sim = null; }
  }

  _record(r, names) {
    const lane = this.lanes[names[r[1]]];
    if (lane) lane.records.push(Array.from(r));
  }

  _push(list, item) {
    if (list.length < LIST_CAP) list.push(item); else this.d.truncated = true;
  }

  /** The second pass: the watched agents' events only (the rest is the first pass's). */
  _laneEvents(evs) {
    for (let i = 0; i < evs.length; i++) {
      const ev = evs[i];
      const lane = ev.agent !== undefined ? this.lanes[ev.agent] : undefined;
      if (lane) lane.events.push(ev);
      else if (ev.event === 'fault') {
        for (const l of Object.values(this.lanes)) if (faultTouches(ev.fault, this.names[l.index])) l.events.push(ev);
      } else if (ev.event === 'master_failover' || ev.event === 'master_recovered' || ev.event === 'master_aborted') {
        for (const l of Object.values(this.lanes)) l.events.push(ev);
      }
    }
  }

  _consume(evs) {
    const d = this.d;
    for (let i = 0; i < evs.length; i++) {
      const ev = evs[i];
      const lane = ev.agent !== undefined ? this.lanes[ev.agent] : undefined;
      if (lane) lane.events.push(ev);
      switch (ev.event) {
        case 'message': break;
        case 'fault':
          d.faults.push({ t: ev.t, fault: ev.fault });
          for (const l of Object.values(this.lanes)) if (faultTouches(ev.fault, this.names[l.index])) l.events.push(ev);
          break;
        case 'task_status': {
          const k = { TASK_LOST: 'tasksLost', TASK_UNREACHABLE: 'tasksUnreachable', TASK_KILLED: 'tasksKilled', TASK_FAILED: 'tasksFailed', TASK_GONE: 'tasksGone' }[ev.state];
          if (k) d.totals[k]++;
          if (this.deadTasks.has(ev.task)) {
            this.ghosts += Number(!TERMINAL_HEARD.has(ev.state)) - Number(!TERMINAL_HEARD.has(this.taskHeard.get(ev.task)));
          }
          this.taskHeard.set(ev.task, ev.state);
          break;
        }
        case 'executor_terminated':
          d.totals.executorsDied++;
          // An executor's name is its task's name (docs/trace.md).
          if (!this.deadTasks.has(ev.executor)) {
            this.deadTasks.add(ev.executor);
            if (!TERMINAL_HEARD.has(this.taskHeard.get(ev.executor))) this.ghosts++;
          }
          this._push(d.deaths, { t: ev.t, agent: ev.agent, framework: ev.framework, executor: ev.executor, reason: ev.reason });
          break;
        case 'agent_disconnected':
          this._push(d.disconnects, { t: ev.t, agent: ev.agent, deadline: ev.reregister_deadline });
          break;
        case 'agent_registered': case 'agent_reregistered':
          if (ev.event === 'agent_reregistered') d.totals.reregistered++;
          this._push(d.registrations, { t: ev.t, event: ev.event, agent: ev.agent, previous_view: ev.previous_view });
          break;
        case 'master_failover': case 'master_recovered': case 'master_aborted':
          this._push(d.masterEvents, { ...ev });
          for (const l of Object.values(this.lanes)) l.events.push(ev);
          break;
        default:
          if (VERDICT_EVENTS.has(ev.event)) {
            this._push(d.verdicts, { t: ev.t, event: ev.event, agent: ev.agent, cause: ev.cause, reason: ev.reason, message: ev.message });
          }
      }
    }
  }

  _sample(ts) {
    const s = this.d.series;
    s.t.push(ts);
    const views = this.sim.masterViews();
    const counts = new Array(this.lib.MASTER_VIEWS.length).fill(0);
    for (let i = 0; i < views.length; i++) counts[views[i]]++;
    counts.forEach((c, k) => s.views[k].push(c));
    const tasks = this.sim.taskStateCounts();
    this.taskSeries.forEach((ix, k) => s.tasks[k].push(ix >= 0 ? tasks[ix] : 0));
    s.dead.push(this.d.totals.executorsDied);
    s.ghosts.push(this.ghosts);
    if (this.ghosts > this.d.totals.ghostsMax) this.d.totals.ghostsMax = this.ghosts;
  }

  _finish() {
    if (this.pass === 'verdicts') {
      this.d.final = { views: Array.from(this.sim.masterViews()), states: Array.from(this.sim.agentStates()) };
      if (this.exact || !this.wanted.length) { this.pass = 'done'; this.done = true; return; }
      // The second pass: the exact run, for the watched agents' lanes.
      this.sim.free();
      this.sim = new this.lib.Simulation(this.scenario, { trace: 'streaming' });
      this.watchIdx = this.wanted;
      this.lanes = this.laneSet;
      this.pass = 'lanes';
      this.nextSample = 0;
      this._startLanes();
      return;
    }
    this.d.lanes = this.lanes;
    this.pass = 'done';
    this.done = true;
  }
}

/** Whether a fault names an agent (or all of them). */
export function faultTouches(fault, name) {
  const a = fault?.agents;
  return a === 'all' || (Array.isArray(a) && a.includes(name));
}

/** Judges a scenario to its end in one go (Node tests); `opts` as for Judge. */
export function judgeNow(lib, scenario, watch = [], opts = {}) {
  const j = new Judge(lib, scenario, watch, opts);
  try {
    j.step(Infinity);
    return j.result();
  } finally {
    j.free();
  }
}
