// The Lab's model: the working scenario (a preset or an import, plus the faults injected here),
// the policies it runs under, one Run per policy on one clock, and the selection. No DOM: the
// Lab (lab.js) reads it to draw and hears what changed through the hooks given to the
// constructor; everything that changes it is a method here.
import { Run } from './run.js';
import { POLICIES, DEFAULT_POLICY } from '../policies.js';
import { deepClone, stableJson, clamp, errorText } from '../util.js';

/** At most this many policies side by side. */
export const MAX_COMPARED = 4;

const roundUs = (ms) => Math.round(ms * 1000) / 1000;

/** The agents[] entry (with its index as __index) that defines agent index i, or null. */
export function agentEntry(scenario, i) {
  const list = scenario?.agents ?? [];
  let k = 0;
  for (let e = 0; e < list.length; e++) {
    const c = Number.isInteger(list[e].count) ? list[e].count : 1;
    if (i < k + c) return { ...list[e], __index: e };
    k += c;
  }
  return null;
}

/** The Lab's model (see the top of this file). */
export class LabState {
  /**
   * @param lib the engine (engine.js: Simulation, presets, validateScenario, name lists)
   * @param hooks — {
   *   onMessage(ev, run)  — a message sent while the clock runs (for the animation),
   *   onJump(run)         — the run jumped in time: messages in flight are stale,
   *   onRunsRebuilt()     — new runs (a load, an edit, another policy): rebuild the views,
   *   onFuture()          — a run's lookahead to the end finished (verdict marks) }
   */
  constructor(lib, hooks = {}) {
    this.lib = lib;
    this.hooks = hooks;
    this.presets = lib.presets();
    this.presetByName = new Map(this.presets.map((p) => [p.name, p]));
    /** The preset the working scenario still equals, else null. */
    this.presetName = null;
    this.scenario = null;
    /** Faults that came with the scenario (the rest were injected here). */
    this.baseFaultCount = 0;
    this.policy = DEFAULT_POLICY;
    this.compare = false;
    this.comparePolicies = ['mesos-1.1', 'mesos-1.2', 'running-only-pongs'];
    this.runs = [];
    this.primary = null;
    this.duration = 0;
    this.t = 0;
    this.selected = new Set();
    /** The agent shown in the inspector, or -1. */
    this.focus = -1;
    this.masterSelected = false;
    /** How long the last re-simulation took: { ms, totalMs (with the views), breakdown }. */
    this.resim = { ms: null, totalMs: null, breakdown: null };
  }

  /** Problems the engine finds in a scenario (empty when it is valid). */
  validate(s) {
    try {
      const p = this.lib.validateScenario(s);
      return Array.isArray(p) ? p : [];
    } catch (e) {
      return [errorText(e)];
    }
  }

  // ------------------------------------------------------------ scenario

  /**
   * Replaces the working scenario (time 0, nothing selected) and re-simulates. `compare`, a
   * list of policies, turns compare mode on. Returns null, or the engine's error (then the old
   * scenario is kept).
   */
  load(scenario, { presetName = null, policy, baseFaultCount, compare } = {}) {
    const prev = { scenario: this.scenario, presetName: this.presetName, policy: this.policy, baseFaultCount: this.baseFaultCount };
    if (compare) { this.comparePolicies = compare; this.compare = true; }
    this.scenario = scenario;
    this.scenario.faults = Array.isArray(scenario.faults) ? scenario.faults : [];
    this.presetName = presetName;
    this.baseFaultCount = baseFaultCount ?? this.scenario.faults.length;
    this.policy = policy ?? scenario.policy ?? DEFAULT_POLICY;
    this.t = 0;
    this.selected.clear(); this.focus = -1; this.masterSelected = false;
    try {
      this.rebuild({ keepTime: false });
    } catch (e) {
      Object.assign(this, prev);
      if (prev.scenario) this.rebuild({ keepTime: false });
      return errorText(e);
    }
    return null;
  }

  /** Loads a preset by name (a copy of its scenario); returns null or the engine's error. */
  loadPreset(name, opts = {}) {
    return this.load(deepClone(this.presetByName.get(name).scenario), { ...opts, presetName: name });
  }

  /** The working scenario under `policy`. */
  scenarioFor(policy) {
    const s = deepClone(this.scenario);
    s.policy = policy;
    return s;
  }

  /** Exported scenario: the working scenario under the selected policy. */
  exportScenario() { return this.scenarioFor(this.policy); }

  /** True when the working scenario is still the preset `name` (any policy). */
  sameAsPreset(name = this.presetName) {
    const p = name && this.presetByName.get(name);
    if (!p) return false;
    const a = deepClone(this.scenario); delete a.policy;
    const b = deepClone(p.scenario); delete b.policy;
    return stableJson(a) === stableJson(b);
  }

  /**
   * Applies an edit to the working scenario and re-simulates, keeping the time (what-if).
   * Returns the problems (then nothing changed), empty on success.
   */
  edit(mutate) {
    const before = deepClone(this.scenario);
    mutate(this.scenario);
    const problems = this.validate(this.scenarioFor(this.policy));
    if (problems.length) { this.scenario = before; return problems; }
    try {
      this.rebuild({ keepTime: true });
    } catch (e) {
      this.scenario = before;
      this.rebuild({ keepTime: true });
      return [errorText(e)];
    }
    if (this.presetName && !this.sameAsPreset()) this.presetName = null;
    return [];
  }

  /** Removes fault i of the script and re-simulates. */
  removeFault(i) {
    const problems = this.edit((s) => { s.faults.splice(i, 1); });
    if (i < this.baseFaultCount) this.baseFaultCount--;
    return problems;
  }

  /** Removes the faults injected here. */
  removeInjected() {
    return this.edit((s) => { s.faults.splice(this.baseFaultCount); });
  }

  /**
   * Records a fault at the current time and applies it to every live run. The time is nudged
   * (by ≥ 1 µs) past anything already processed so a replay of the recorded scenario is
   * identical to the live run. Returns { recorded } or { problem }.
   */
  injectFault(fault) {
    let at = roundUs(this.t + 0.001);
    for (let changed = true; changed;) {
      changed = false;
      for (const r of this.runs) {
        let n = r.sim.nextEventTime();
        while (n !== undefined && n !== null && n <= at) {
          r.advanceTo(n, true);
          at = roundUs(n + 0.001);
          changed = true;
          n = r.sim.nextEventTime();
        }
      }
    }
    for (const r of this.runs) r.advanceTo(at, true);
    this.t = at;
    const recorded = { at, ...fault };
    const problems = this.validate({ ...this.scenarioFor(this.policy), faults: [...this.scenario.faults, recorded] });
    if (problems.length) return { problem: `Cannot inject: ${problems.join('; ')}` };
    try {
      for (const r of this.runs) {
        r.sim.inject(deepClone(recorded));
        r.scenario.faults.push(deepClone(recorded));
        r.advanceTo(at, true);
        r.computeFuture(() => this.hooks.onFuture?.());
      }
    } catch (e) {
      // resynchronise from the recorded script
      this.rebuild({ keepTime: true });
      return { problem: `The engine refused the fault: ${errorText(e)}` };
    }
    this.scenario.faults.push(recorded);
    this.presetName = null;
    return { recorded };
  }

  // ------------------------------------------------------------ policies and runs

  /** The policies on screen: the selected one, or the compared ones (the selected first if missing). */
  policiesShown() {
    if (!this.compare) return [this.policy];
    const list = this.comparePolicies.filter((p) => POLICIES.includes(p));
    if (!list.includes(this.policy)) list.unshift(this.policy);
    return list.slice(0, MAX_COMPARED);
  }

  /** Shows `p` (and keeps it among the compared ones); re-simulates. */
  setPolicy(p) {
    if (!POLICIES.includes(p)) return;
    this.policy = p;
    if (this.compare && !this.comparePolicies.includes(p)) this.comparePolicies = [p, ...this.comparePolicies].slice(0, MAX_COMPARED);
    this.rebuild({ keepTime: true });
  }

  /** Compare mode on or off; re-simulates. */
  setCompare(on) {
    this.compare = on;
    if (on && !this.comparePolicies.includes(this.policy)) this.comparePolicies = [this.policy, ...this.comparePolicies].slice(0, MAX_COMPARED);
    this.rebuild({ keepTime: true });
  }

  /** The compared policies (at least two); the selected one becomes the first if it is not among them. */
  setComparePolicies(list) {
    this.comparePolicies = list.slice(0, MAX_COMPARED);
    if (!this.comparePolicies.includes(this.policy)) this.policy = this.comparePolicies[0];
    this.rebuild({ keepTime: true });
  }

  /** Sets the policy and compare list together (a story step); re-simulates only when needed. */
  showPolicies(policy, compareList) {
    const wantCompare = Array.isArray(compareList);
    if (wantCompare) this.comparePolicies = compareList.slice();
    const needRebuild = this.policy !== policy || this.compare !== wantCompare || wantCompare;
    this.policy = policy;
    this.compare = wantCompare;
    if (needRebuild) this.rebuild({ keepTime: true });
  }

  /**
   * Re-creates every run (what-if): the same fault script, new parameters, re-simulated from 0
   * to the current time at once. Throws if the engine refuses.
   */
  rebuild({ keepTime = true } = {}) {
    const t0 = performance.now();
    const runs = this.policiesShown().map((p) => new Run(this.lib, this.scenarioFor(p), { onMessage: this.hooks.onMessage }));
    for (const r of this.runs) r.free();
    this.runs = runs;
    this.primary = runs.find((r) => r.policy === this.policy) ?? runs[0];
    this.duration = this.primary.duration;
    const t = keepTime ? clamp(this.t, 0, this.duration) : 0;
    for (const r of runs) r.advanceTo(t, false);
    this.t = t;
    this.resim.ms = performance.now() - t0;
    this.resim.breakdown = {
      runs: runs.length,
      drainEventsMs: runs.reduce((a, r) => a + r.timing.convert, 0),
      eventHandlingMs: runs.reduce((a, r) => a + r.timing.drain - r.timing.convert, 0),
      advanceAndSampleMs: runs.reduce((a, r) => a + r.timing.total - r.timing.drain, 0),
    };
    for (const r of runs) r.computeFuture(() => this.hooks.onFuture?.());
    // prune a selection that no longer exists
    for (const i of [...this.selected]) if (i >= this.primary.n) this.selected.delete(i);
    if (this.focus >= this.primary.n) this.focus = -1;
    this.hooks.onRunsRebuilt?.();
    this.resim.totalMs = performance.now() - t0; // including rebuilding the views
  }

  // ------------------------------------------------------------ time

  /** Moves every run to t (clamped to the run); backwards re-simulates from 0. */
  seek(t, { live = false } = {}) {
    t = clamp(Number(t) || 0, 0, this.duration);
    for (const run of this.runs) {
      if (t < run.now) { run.build(); this.hooks.onJump?.(run); }
      run.advanceTo(t, live);
    }
    if (!live) for (const run of this.runs) this.hooks.onJump?.(run);
    this.t = t;
  }

  /** Advances every run to t ≥ now while the clock runs (messages become animation). */
  play(t) {
    for (const run of this.runs) run.advanceTo(t, true);
    this.t = t;
  }

  /** The time of the next event of any run, or Infinity. */
  nextEventTime() {
    let next = Infinity;
    for (const r of this.runs) {
      const n = r.sim.nextEventTime();
      if (n !== undefined && n !== null && n < next) next = n;
    }
    return next;
  }

  /** The first verdict of any run after the current time (from the lookahead), or null. */
  nextVerdict() {
    let best = null;
    for (const r of this.runs) {
      if (!r.future) r.computeFuture(null, { sync: true });
      for (const v of r.future?.verdicts ?? []) {
        if (v.t > this.t && (!best || v.t < best.t)) best = v;
      }
    }
    return best;
  }

  /** True while an agent of the primary run recovers (its fill pulses). */
  hasRecovering() {
    const s = this.primary?.snap?.states;
    if (!s) return false;
    const rec = this.lib.AGENT_STATES.indexOf('recovering');
    for (let i = 0; i < s.length; i++) if (s[i] === rec) return true;
    return false;
  }

  /** The trace so far (JSON Lines): re-simulated from the recorded scenario (the live run keeps
   *  only undrained events), so the file is complete and hashes like the live run. */
  traceJsonl() {
    const sim = new this.lib.Simulation(this.exportScenario(), { trace: 'full' });
    try {
      sim.advanceTo(this.primary.sim.now);
      return sim.traceJsonLines();
    } finally {
      sim.free();
    }
  }

  // ------------------------------------------------------------ selection

  /** Selects agent i alone (-1: nothing) and shows it in the inspector. */
  selectOnly(i) {
    this.selected = new Set(i >= 0 ? [i] : []);
    this.focus = i;
    this.masterSelected = false;
  }

  /** Adds agent i to the selection, or takes it out. */
  toggleSelect(i) {
    if (this.selected.has(i)) { this.selected.delete(i); if (this.focus === i) this.focus = [...this.selected].pop() ?? -1; }
    else { this.selected.add(i); this.focus = i; }
    this.masterSelected = false;
  }

  clearSelection() {
    this.selected.clear();
    this.focus = -1;
  }

  selectMaster() { this.masterSelected = true; }

  /** What the link records (urlstate.js :: buildHash). */
  linkState(speed) {
    return {
      presetName: this.presetName && this.sameAsPreset() ? this.presetName : null,
      scenario: this.exportScenario(), t: this.t, speed, policy: this.policy,
      compare: this.compare ? this.policiesShown() : null,
      agent: this.focus >= 0 ? this.primary.names[this.focus] : undefined,
    };
  }
}
