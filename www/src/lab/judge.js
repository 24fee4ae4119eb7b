// Judging a run: a second simulation of the same scenario from 0 to its end, which collects
// what every panel needs to know beyond the current time — the verdicts, the faults, each
// executor's death, re-registrations, the curves of the "Over time" chart (agents per master
// view, tasks per state as the frameworks heard, executors really dead, ghost tasks), and, for
// the watched agents, the lane timeline: every change of their lane state (master's view,
// process, timers, missed pings, executors alive, link) to the microsecond and all their
// events, messages included. The result is a plain object (a "digest") that crosses to the page
// from the judge worker (judge-worker.js); without workers (Node tests) it runs in place. No DOM.

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
   */
  constructor(lib, scenario, watch = []) {
    this.lib = lib;
    this.sim = new lib.Simulation(scenario, { trace: 'streaming' });
    const sim = this.sim;
    this.end = sim.duration;
    const names = sim.agentNames();
    const index = new Map(names.map((n, i) => [n, i]));
    this.watchIdx = Uint32Array.from(watch.map((n) => index.get(n)).filter((i) => i !== undefined));
    this.step_ = Math.max(this.end / SAMPLES, 1);
    this.nextSample = 0;
    this.done = false;
    this.taskHeard = new Map();
    this.deadTasks = new Set();
    /** Tasks really dead whose framework still believes them running. */
    this.ghosts = 0;
    const lanes = {};
    for (const i of this.watchIdx) lanes[names[i]] = { index: i, records: [], events: [] };
    this.lanes = lanes;
    const taskNames = lib.TASK_STATES;
    this.taskSeries = TASK_SERIES.map((s) => taskNames.indexOf(s));
    this.d = {
      end: this.end, n: names.length, policy: scenario.policy,
      verdicts: [], faults: [], deaths: [], disconnects: [], registrations: [], masterEvents: [], truncated: false,
      totals: { tasksLost: 0, tasksUnreachable: 0, tasksKilled: 0, tasksFailed: 0, tasksGone: 0, reregistered: 0, executorsDied: 0, ghostsMax: 0 },
      series: { t: [], views: lib.MASTER_VIEWS.map(() => []), tasks: TASK_SERIES.map(() => []), dead: [], ghosts: [] },
      lanes, final: null,
    };
    if (this.watchIdx.length) {
      const r = sim.laneStates(this.watchIdx);
      for (let k = 0; k < r.length; k += LANE_FIELDS) this._record(r.subarray(k, k + LANE_FIELDS), names);
    }
    this.names = names;
  }

  /** How far it got (0–1). */
  get progress() { return this.end > 0 ? Math.min(1, this.sim.now / this.end) : 1; }

  /** Runs for about `budgetMs` of wall time (Infinity: to the end); true when done. */
  step(budgetMs = Infinity) {
    const t0 = performance.now();
    const { sim } = this;
    while (!this.done) {
      const ts = Math.min(this.nextSample, this.end);
      if (this.watchIdx.length) {
        const r = sim.advanceWatching(ts, this.watchIdx);
        for (let k = 0; k < r.length; k += LANE_FIELDS) this._record(r.subarray(k, k + LANE_FIELDS), this.names);
      } else {
        sim.advanceTo(ts);
      }
      this._consume(sim.drainEventsOf(this.watchIdx));
      this._sample(ts);
      if (ts >= this.end) { this._finish(); break; }
      this.nextSample += this.step_;
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
    this.done = true;
    this.d.final = { views: Array.from(this.sim.masterViews()), states: Array.from(this.sim.agentStates()) };
  }
}

/** Whether a fault names an agent (or all of them). */
export function faultTouches(fault, name) {
  const a = fault?.agents;
  return a === 'all' || (Array.isArray(a) && a.includes(name));
}

/** Judges a scenario to its end in one go (Node tests, and the fallback without workers). */
export function judgeNow(lib, scenario, watch = []) {
  const j = new Judge(lib, scenario, watch);
  try {
    j.step(Infinity);
    return j.result();
  } finally {
    j.free();
  }
}
