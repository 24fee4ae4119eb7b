// One simulation run of a scenario as the Lab shows it at the current time: the live wasm
// Simulation, the event rings behind the log, what happened so far (verdicts, executor deaths
// per agent, task counts), the per-frame snapshot the canvases read, and — from the judge
// (judge.js) — the digest of the whole run (verdicts to come, the chart's curves, the lanes).
// Moving forward happens in chunks whose size adapts to their cost, so a caller can stop after
// a time budget and go on later (the page never blocks on a big cluster).
import { settingsOf } from './engine-facts.js';
import { DEFAULT_POLICY } from '../policies.js';
import { VERDICT_EVENTS } from './judge.js';
import { stableJson } from '../util.js';

export { VERDICT_EVENTS };

/** Events per engine call while catching up (Simulation.advanceBounded): a few ms of work. */
const EVENTS_PER_CALL = 4000;

/**
 * A simulation that catches up by fast-forward: steady agents' ping cycles are skipped in closed
 * form (docs/fast-forward.md), so re-simulating to the clock after an edit costs a fraction of a
 * full run. `Run.step` ends fast-forward where the page starts showing messages (the log's
 * window before a jump's end, or at once when playing); from there every message is simulated
 * and the trace streams (drained events are dropped inside wasm: memory stays bounded). The
 * state there is the full run's (tests/fastforward.rs), so the animation and the log are too.
 */
function newSimulation(lib, scenario) {
  return new lib.Simulation(scenario, { trace: 'verdicts', fastForward: true });
}

/** The trace mode once fast-forward ends: drained events are dropped (the export re-simulates
 *  for the whole trace and its hash: LabState.replayLater). */
const EXACT_TRACE = 'streaming';

/** The agent names of the last `agents` section seen: an edit of a timeout re-makes every run,
 *  and asking the engine for 5,000 names again costs ~30 ms on the main thread. */
let lastNames = { key: null, names: null };

function agentNamesOf(sim, scenario) {
  const key = stableJson(scenario.agents ?? []);
  if (lastNames.key !== key) lastNames = { key, names: sim.agentNames() };
  return lastNames.names;
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

/** One simulation run of a scenario under one variant (see the top of this file). */
export class Run {
  /**
   * @param lib the engine (engine.js)
   * @param scenario the scenario with the variant applied (policy, setting)
   * @param opts — { onMessage(ev, run), variant: { policy, path?, value?, label } }
   */
  constructor(lib, scenario, opts = {}) {
    this.lib = lib;
    this.scenario = scenario;
    this.policy = scenario.policy ?? DEFAULT_POLICY;
    this.variant = opts.variant ?? { policy: this.policy, label: this.policy };
    this.opts = opts;
    /** The judge's digest of the whole run, or null while it is being judged. */
    this.digest = null;
    /** 0–1 while being judged. */
    this.judging = 0;
    this.build();
  }

  build() {
    if (this.sim) { try { this.sim.free(); } catch { /* already freed */ } }
    this.sim = newSimulation(this.lib, this.scenario);
    this.duration = this.sim.duration;
    /** The settings the engine runs this scenario with (engine-facts.js :: settingsOf). */
    this.params = settingsOf(this.sim);
    this.names = agentNamesOf(this.sim, this.scenario);
    this.index = new Map(this.names.map((n, i) => [n, i]));
    this.n = this.names.length;
    this.placed = this.sim.tasksPlaced();
    this.log = new Ring(4000);
    this.msgs = new Ring(1500);
    this.seq = 0;
    this.verdicts = [];
    /** Executors (tasks) that died so far, per agent index (executor_terminated). */
    this.dead = new Uint32Array(this.n);
    this.deaths = [];
    this.stats = { tasksLost: 0, tasksUnreachable: 0, tasksKilled: 0, tasksFailed: 0, tasksGone: 0, reregistered: 0, events: 0, messages: 0, executorsDied: 0 };
    this.live = false;
    this.snap = null;
    /** A bounded step stopped inside an instant (events due by the clock are pending). */
    this.midInstant = false;
    /** Simulated ms per chunk, adapted so a chunk costs a few ms (small at first for a big
     *  cluster: its registrations come at once). */
    this.chunkMs = Math.max(10, Math.min(5000, 250_000 / Math.max(1, this.n)));
    /** The largest chunk: about 10,000 agent-seconds (a few ping rounds of the whole cluster). */
    this.maxChunkMs = Math.max(1000, Math.min(600_000, 10_000_000_000 / Math.max(1, this.n) / 1000));
    this.timing = { total: 0, drain: 0, convert: 0 };
    /** Still catching up by fast-forward (newSimulation). */
    this.fastForwarding = true;
    this.refresh();
  }

  /** A fresh run of the same scenario and variant at 0 (to catch up off screen, then adopt). */
  fork() {
    return new Run(this.lib, this.scenario, this.opts);
  }

  /** Takes over another run's simulation and history (a seek back caught up off screen). */
  adopt(other) {
    try { this.sim.free(); } catch { /* freed */ }
    for (const k of ['sim', 'log', 'msgs', 'seq', 'verdicts', 'dead', 'deaths', 'stats', 'snap', 'chunkMs', 'timing', 'midInstant', 'fastForwarding']) this[k] = other[k];
    other.sim = null;
  }

  free() {
    if (this.sim) { try { this.sim.free(); } catch { /* ignore */ } this.sim = null; }
  }

  get now() { return this.sim.now; }

  /** Advances to t (≥ now) at once and refreshes the snapshot. `live`: its messages may
   *  become animated particles. */
  advanceTo(t, live = false) {
    this.step(t, Infinity, { live });
    this.refresh();
  }

  /**
   * Advances towards t in chunks for about `budgetMs` of wall time; true when it got there
   * (the snapshot is not refreshed: the caller does it when every run is there). Without
   * `live`, only the last chunk drains messages when `messagesAtEnd` (a jump skips the pings
   * nobody sees; the log keeps the last ones).
   */
  step(t, budgetMs, { live = false, messagesAtEnd = true } = {}) {
    this.live = live;
    const sim = this.sim;
    // The engine's clock counts microseconds: a finer target could never be reached exactly.
    // A run stopped inside an instant ahead of t (compare panes move on the slowest one's
    // clock) finishes that instant first.
    t = Math.max(Math.floor(t * 1000) / 1000, sim.now);
    const t0 = performance.now();
    // Events already due (a fault injected at this instant) are drained even without a move.
    if (sim.now >= t && !this.midInstant) this._drain(live || messagesAtEnd);
    // A jump keeps the messages of its last moments only: about as many as the log keeps.
    const quiet = live || !messagesAtEnd ? t : t - this.messageWindowMs();
    // Fast-forward up to those moments (or none when playing), every message from there.
    const exactFrom = live ? sim.now : quiet;
    while (this.behind(t)) {
      if (sim.now >= exactFrom && !this.midInstant) this._endFastForward();
      let next = Math.min(t, sim.now + this.chunkMs);
      if (sim.now < quiet && next > quiet) next = quiet;
      const a = performance.now();
      // At most EVENTS_PER_CALL events per call: a ping wave of thousands of agents due at one
      // instant is split, and the budget is looked at between the parts.
      let reached;
      for (;;) {
        reached = sim.advanceBounded(next, EVENTS_PER_CALL);
        this._drain(live || (next > quiet && messagesAtEnd));
        if (reached || performance.now() - t0 >= budgetMs) break;
      }
      this.midInstant = !reached;
      const took = performance.now() - a;
      // Aim at ~5 ms a chunk: grow slowly, shrink in proportion (a ping wave of a big cluster
      // after a quiet stretch must not become one long task).
      if (took < 2 && reached) this.chunkMs = Math.min(this.chunkMs * 2, this.maxChunkMs);
      else if (took > 8) this.chunkMs = Math.max(this.chunkMs * Math.max(0.1, 5 / took), 10);
      if (!reached) break;
      if (next < t && performance.now() - t0 >= budgetMs) break;
    }
    this.timing.total += performance.now() - t0;
    if (this.behind(t)) return false;
    // At t every view is the full run's, whatever comes next (play, inspect, inject).
    this._endFastForward();
    return true;
  }

  /** Ends the catch-up by fast-forward (once: a playing run steps every frame). */
  _endFastForward() {
    if (!this.fastForwarding) return;
    this.sim.endFastForward(EXACT_TRACE);
    this.fastForwarding = false;
  }

  /** True until the run is at t with every event due by t run (a bounded step can stop inside
   *  an instant: the clock is then at t, or before it, with events of that instant pending). */
  behind(t) { return this.sim.now < t || this.midInstant; }

  /** How much simulated time before a jump's end yields about as many messages as the log keeps. */
  messageWindowMs() {
    const perMs = (2 * this.n) / Math.max(1, this.params.pingMs); // a ping and a pong per agent per P
    return Math.max(50, Math.min(30_000, this.msgs.cap / Math.max(1e-9, perMs)));
  }

  /** The per-frame snapshot the canvases and the agent list read (the executors' views, read
   *  by the inspector for one agent, are asked for when first read: 100,000 agents each frame). */
  refresh() {
    const sim = this.sim;
    let execDeadlines = null, alive = null;
    this.snap = {
      now: sim.now,
      views: sim.masterViews(),
      states: sim.agentStates(),
      misses: sim.missCounts(),
      deadlines: sim.reregisterDeadlines(),
      permits: sim.permitWaiting(),
      links: sim.links(),
      masterUp: sim.masterUp(),
      get execDeadlines() { return (execDeadlines ??= sim.executorDeadlines()); },
      get alive() { return (alive ??= sim.executorsAlive()); },
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
    const s = this.stats;
    s.events++;
    ev.seq = this.seq++;
    switch (ev.event) {
      case 'message':
        s.messages++;
        this.msgs.push(ev);
        if (this.live && this.opts.onMessage) this.opts.onMessage(ev, this);
        return;
      case 'task_status': {
        const k = { TASK_LOST: 'tasksLost', TASK_UNREACHABLE: 'tasksUnreachable', TASK_KILLED: 'tasksKilled', TASK_FAILED: 'tasksFailed', TASK_GONE: 'tasksGone' }[ev.state];
        if (k) s[k]++;
        break;
      }
      case 'executor_terminated': {
        s.executorsDied++;
        const i = this.index.get(ev.agent);
        if (i !== undefined) this.dead[i]++;
        if (this.deaths.length < 20000) this.deaths.push(ev);
        break;
      }
      case 'agent_reregistered':
        s.reregistered++;
        break;
      default:
        if (VERDICT_EVENTS.has(ev.event)) this.verdicts.push(ev);
    }
    this.log.push(ev);
  }

  /** Verdicts (so far) for one agent name. */
  verdictsFor(name) { return this.verdicts.filter((v) => v.agent === name); }

  /** Every verdict of the whole run (from the digest; those so far while it is judged). */
  allVerdicts() { return this.digest?.verdicts ?? this.verdicts; }
}
