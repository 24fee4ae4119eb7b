// The Lab's model: the working scenario (a preset or an import, plus the faults injected and the
// settings edited here), the lesson it came from, the variants it runs under (one policy, or
// 2–4 policies or values of one setting side by side), one Run per variant on one clock, the
// judge's digest of each run, and the selection. No DOM: the Lab (lab.js) reads it to draw and
// hears what changed through the hooks given to the constructor.
//
// Catching up is never one long task in the page: re-simulating to the current time after an
// edit, a seek or a new compare set runs in slices of `sliceMs` through `schedule` (the old runs
// stay on screen until the new ones are there, and a newer request cancels an older one), and
// the digests come from the judge worker. Without `schedule` (Node tests) everything happens at
// once, and the state is the same.
import { Run } from './run.js';
import { Judges } from './judges.js';
import { POLICIES, DEFAULT_POLICY } from '../policies.js';
import { agentEntry, getSetting, setSetting, settingName } from './scenario-paths.js';
import { deepClone, stableJson, clamp, errorText } from '../util.js';

export { agentEntry };

/** At most this many variants side by side. */
export const MAX_COMPARED = 5;
/** At most this many agents watched (their lanes are judged). */
const MAX_WATCHED = 3;

const roundUs = (ms) => Math.round(ms * 1000) / 1000;

/** The Lab's model (see the top of this file). */
export class LabState {
  /**
   * @param lib the engine (engine.js: Simulation, presets, validateScenario, name lists)
   * @param hooks — {
   *   onMessage(ev, run)  — a message sent while the clock runs (for the animation),
   *   onJump(run)         — the run jumped in time: messages in flight are stale,
   *   onRunsRebuilt()     — new runs (a load, an edit, other variants): rebuild the views,
   *   onSeeked()          — a seek arrived (every run is at the new time),
   *   onBusy(busy)        — catching up started, progressed or ended (null),
   *   onJudged(run)       — a run's digest (or the part without lanes) arrived,
   *   onJudging(run)      — its judging progressed (run.judging; default: onJudged) }
   * @param env — { judges: Judges (default: in place), schedule(fn): run fn soon (default:
   *   none, everything at once), sliceMs, playBudgetMs }
   */
  constructor(lib, hooks = {}, env = {}) {
    this.lib = lib;
    this.hooks = hooks;
    this.judges = env.judges ?? new Judges(lib, 'sync');
    this.schedule = env.schedule ?? null;
    this.sliceMs = env.sliceMs ?? 30;
    this.playBudgetMs = env.playBudgetMs ?? 14;
    this.presets = lib.presets();
    this.presetByName = new Map(this.presets.map((p) => [p.name, p]));
    /** The preset the working scenario still equals, else null. */
    this.presetName = null;
    /** The preset the working scenario came from (kept through edits: "your variation"). */
    this.lesson = null;
    this.scenario = null;
    /** Faults that came with the scenario (the rest were injected here). */
    this.baseFaultCount = 0;
    this.policy = DEFAULT_POLICY;
    this.compare = false;
    /** What the compared panes differ by: 'policy' or 'setting'. */
    this.compareBy = 'policy';
    this.comparePolicies = ['mesos-1.1', 'mesos-1.2', 'running-only-pongs'];
    this.compareSetting = { path: 'master.agent_reregister_timeout', values: ['5mins', '10mins', '15mins'] };
    this.runs = [];
    this.primary = null;
    this.duration = 0;
    this.t = 0;
    this.selected = new Set();
    /** The agent shown in the inspector, or -1. */
    this.focus = -1;
    this.masterSelected = false;
    /** The catching up under way: { kind, target, progress }, or null. */
    this.busy = null;
    this.job = null;
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
   * list of policies, turns compare mode on; `vary` ({ path, values }) compares a setting.
   * `lesson` names the preset a changed scenario came from. Returns null, or the engine's
   * error (then the old scenario is kept).
   */
  load(scenario, { presetName = null, lesson = null, policy, baseFaultCount, compare, vary } = {}) {
    const keys = ['scenario', 'presetName', 'lesson', 'policy', 'baseFaultCount', 'compare', 'compareBy', 'comparePolicies', 'compareSetting', 't'];
    const prev = Object.fromEntries(keys.map((k) => [k, this[k]]));
    if (compare) { this.comparePolicies = compare; this.compare = true; this.compareBy = 'policy'; }
    if (vary) { this.compareSetting = vary; this.compare = true; this.compareBy = 'setting'; }
    this.scenario = scenario;
    this.scenario.faults = Array.isArray(scenario.faults) ? scenario.faults : [];
    this.presetName = presetName;
    this.lesson = presetName ?? (lesson && this.presetByName.has(lesson) ? lesson : null);
    this.baseFaultCount = baseFaultCount ?? this.scenario.faults.length;
    this.policy = policy ?? scenario.policy ?? DEFAULT_POLICY;
    this.t = 0;
    this.selected.clear(); this.focus = -1; this.masterSelected = false;
    try {
      this.rebuild({ keepTime: false });
    } catch (e) {
      Object.assign(this, prev); // the runs were not replaced
      return errorText(e);
    }
    return null;
  }

  /** Loads a preset by name (a copy of its scenario); returns null or the engine's error. */
  loadPreset(name, opts = {}) {
    return this.load(deepClone(this.presetByName.get(name).scenario), { ...opts, presetName: name });
  }

  /** The working scenario under a variant ({ policy, path?, value? }) or a policy name. */
  scenarioFor(variant) {
    const v = typeof variant === 'string' ? { policy: variant } : variant;
    const s = deepClone(this.scenario);
    s.policy = v.policy ?? this.policy;
    if (v.path) setSetting(s, v.path, v.value);
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

  /** True when the scenario is a changed copy of a lesson ("your variation"). */
  get isVariation() { return !!this.lesson && !this.presetName; }

  /**
   * Applies an edit to the working scenario and re-simulates, keeping the time (what-if).
   * Returns the problems (then nothing changed), empty on success.
   */
  edit(mutate) {
    const before = deepClone(this.scenario);
    mutate(this.scenario);
    // Making the first run validates the scenario (no second pass: for thousands of agents
    // each costs tens of ms on the main thread); its problems come one per line.
    try {
      this.rebuild({ keepTime: true });
    } catch (e) {
      this.scenario = before; // the runs were not replaced
      return errorText(e).split('\n').filter(Boolean);
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
    if (this.job) return { problem: 'Wait a moment: the lab is still catching up with the last change.' };
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
      }
    } catch (e) {
      // resynchronise from the recorded script
      this.rebuild({ keepTime: true });
      return { problem: `The engine refused the fault: ${errorText(e)}` };
    }
    this.scenario.faults.push(recorded);
    this.presetName = null;
    for (const r of this.runs) this._judge(r);
    return { recorded };
  }

  // ------------------------------------------------------------ variants and runs

  /** The policies on screen: the selected one, or the compared ones (the selected first if missing). */
  policiesShown() {
    if (!this.compare || this.compareBy !== 'policy') return [this.policy];
    const list = this.comparePolicies.filter((p) => POLICIES.includes(p));
    if (!list.includes(this.policy)) list.unshift(this.policy);
    return list.slice(0, MAX_COMPARED);
  }

  /** The variants on screen, each { policy, path?, value?, label }. */
  variantsShown() {
    if (this.compare && this.compareBy === 'setting') {
      const { path, values } = this.compareSetting;
      return values.slice(0, MAX_COMPARED).map((value) => ({
        policy: this.policy, path, value, label: `${settingName(path)} = ${value ?? 'none'}`,
      }));
    }
    return this.policiesShown().map((p) => ({ policy: p, label: p }));
  }

  /** The run the panels follow: the selected policy, or the pane with the scenario's own value. */
  _primaryOf(runs) {
    if (this.compare && this.compareBy === 'setting') {
      const mine = stableJson(getSetting(this.scenario, this.compareSetting.path) ?? null);
      return runs.find((r) => stableJson(r.variant.value ?? null) === mine) ?? runs[0];
    }
    return runs.find((r) => r.policy === this.policy) ?? runs[0];
  }

  /** Shows `p` (and keeps it among the compared ones); re-simulates. */
  setPolicy(p) {
    if (!POLICIES.includes(p)) return;
    this.policy = p;
    if (this.compare && this.compareBy === 'policy' && !this.comparePolicies.includes(p)) this.comparePolicies = [p, ...this.comparePolicies].slice(0, MAX_COMPARED);
    this.rebuild({ keepTime: true });
  }

  /** Compare mode on or off; re-simulates. */
  setCompare(on) {
    this.compare = on;
    if (on && this.compareBy === 'policy' && !this.comparePolicies.includes(this.policy)) this.comparePolicies = [this.policy, ...this.comparePolicies].slice(0, MAX_COMPARED);
    this.rebuild({ keepTime: true });
  }

  /** The compared policies (at least two); the selected one becomes the first if it is not among them. */
  setComparePolicies(list) {
    this.comparePolicies = list.slice(0, MAX_COMPARED);
    this.compareBy = 'policy';
    if (!this.comparePolicies.includes(this.policy)) this.policy = this.comparePolicies[0];
    this.rebuild({ keepTime: true });
  }

  /**
   * Compares 2–4 values of one setting (a dotted scenario path) under the selected policy.
   * Returns the problems (then nothing changed), empty on success.
   */
  setCompareSetting(path, values) {
    if (values.length < 2) return ['compare needs at least two values'];
    const problems = [];
    values.slice(0, MAX_COMPARED).forEach((value, k) => {
      for (const p of this.validate(this.scenarioFor({ policy: this.policy, path, value }))) problems.push(`value ${k + 1} (${value}): ${p}`);
    });
    if (problems.length) return problems;
    this.compareSetting = { path, values: values.slice(0, MAX_COMPARED) };
    this.compareBy = 'setting';
    this.compare = true;
    this.rebuild({ keepTime: true });
    return [];
  }

  /** Sets the policy and compare list together (a story beat); re-simulates only when needed. */
  showPolicies(policy, compareList) {
    const wantCompare = Array.isArray(compareList);
    const same = this.policy === policy && this.compare === wantCompare
      && (!wantCompare || (this.compareBy === 'policy' && stableJson(this.comparePolicies) === stableJson(compareList)));
    if (wantCompare) { this.comparePolicies = compareList.slice(); this.compareBy = 'policy'; }
    this.policy = policy;
    this.compare = wantCompare;
    if (!same) this.rebuild({ keepTime: true });
  }

  /** Compares `vary` ({ path, values }) under `policy` (a story beat); re-simulates only when needed. */
  showVariants(policy, vary) {
    const same = this.policy === policy && this.compare && this.compareBy === 'setting' && stableJson(this.compareSetting) === stableJson(vary);
    this.policy = policy;
    this.compareSetting = { path: vary.path, values: vary.values.slice(0, MAX_COMPARED) };
    this.compareBy = 'setting';
    this.compare = true;
    if (!same) this.rebuild({ keepTime: true });
  }

  /**
   * Re-creates every run (what-if): the same fault script, new parameters, re-simulated from 0
   * to the current time — at once when it is quick, else in slices while the old runs stay on
   * screen. Throws (synchronously) if the engine refuses the scenario.
   */
  rebuild({ keepTime = true } = {}) {
    const t0 = performance.now();
    const variants = this.variantsShown();
    const make = (v) => new Run(this.lib, this.scenarioFor(v), { onMessage: this.hooks.onMessage, variant: v });
    // The first run now (the engine's refusal is thrown here); the others in the job's slices.
    const runs = [make(variants[0])];
    const target = keepTime ? clamp(this.t, 0, runs[0].duration) : 0;
    this._startJob({
      kind: 'rebuild', runs, target, fresh: runs,
      // (the first load commits at once when it is quick: the page reads the runs right after)
      startedAt: this.primary ? t0 : undefined,
      more: variants.slice(1).map((v) => () => make(v)),
      commit: () => {
        for (const r of this.runs) { r.judgeHandle?.cancel(); r.free(); }
        this.runs = runs;
        this.primary = this._primaryOf(runs);
        this.duration = this.primary.duration;
        this.t = target;
        this.resim.ms = performance.now() - t0;
        this.resim.breakdown = {
          runs: runs.length,
          drainEventsMs: runs.reduce((a, r) => a + r.timing.convert, 0),
          eventHandlingMs: runs.reduce((a, r) => a + r.timing.drain - r.timing.convert, 0),
          advanceAndSampleMs: runs.reduce((a, r) => a + r.timing.total - r.timing.drain, 0),
        };
        for (const i of [...this.selected]) if (i >= this.primary.n) this.selected.delete(i);
        if (this.focus >= this.primary.n) this.focus = -1;
        for (const r of runs) this._judge(r);
        this.hooks.onRunsRebuilt?.();
        this.resim.totalMs = performance.now() - t0; // including rebuilding the views
      },
    });
  }

  // ------------------------------------------------------------ catching up

  /**
   * Moves `job.runs` to `job.target` in slices, then calls job.commit(). A job under way is
   * replaced (its fresh runs freed). The first slice runs now, in the task that started the job:
   * its budget counts from `job.startedAt` (a run already made there costs tens of ms for
   * thousands of agents, and the page must not block for a made run plus a whole slice).
   */
  _startJob(job) {
    this._dropJob();
    this.job = job;
    let startedAt = job.startedAt ?? null;
    const slice = () => {
      if (this.job !== job) return;
      // The task that started the job has already spent half a slice (making a Simulation of
      // thousands of agents is one indivisible 60–90 ms call): the catching up starts in the
      // next task, so that call is never followed by more work in the same task.
      if (startedAt !== null && this.schedule && performance.now() - startedAt >= this.sliceMs / 2) {
        startedAt = null;
        this.busy = { kind: job.kind, target: job.target, progress: 0 };
        this.hooks.onBusy?.(this.busy);
        this.schedule(slice);
        return;
      }
      const t0 = startedAt ?? performance.now();
      startedAt = null;
      // Runs still to be made (compare panes) come one or more per slice.
      while (job.more?.length && (!this.schedule || performance.now() - t0 < this.sliceMs / 2)) {
        try {
          job.runs.push(job.more.shift()());
        } catch {
          job.more = null; // a variant the engine refuses is left out
        }
      }
      // (after making a run, the catching up waits for the next slice, as above)
      if (this.schedule && (job.more?.length || performance.now() - t0 >= this.sliceMs / 2)) { this.schedule(slice); return; }
      const done = this._advanceAll(job.runs, job.target, this.schedule ? Math.max(5, this.sliceMs - (performance.now() - t0)) : Infinity, !!job.live);
      // Arrived late in a slice: the views are rebuilt (job.commit) in a task of their own.
      if (done && this.schedule && this.primary && !job.arrived && performance.now() - t0 >= this.sliceMs / 2) {
        job.arrived = true;
        this.schedule(slice);
        return;
      }
      if (done) {
        for (const r of job.runs) r.refresh();
        this.job = null;
        const wasBusy = this.busy;
        this.busy = null;
        job.commit();
        if (wasBusy) this.hooks.onBusy?.(null);
        return;
      }
      const from = job.from ?? 0;
      this.busy = { kind: job.kind, target: job.target, progress: Math.max(0, Math.min(1, (job.runs[0].now - from) / Math.max(1, job.target - from))) };
      this.hooks.onBusy?.(this.busy);
      this.schedule(slice);
    };
    slice();
  }

  /** Forgets the job under way (freeing the runs it made). */
  _dropJob() {
    const job = this.job;
    if (!job) return;
    this.job = null;
    for (const r of job.fresh ?? []) r.free();
  }

  /** Advances runs together to `target` for about `budgetMs`; true when all are there. */
  _advanceAll(runs, target, budgetMs, live) {
    if (runs.length === 1) return runs[0].step(target, budgetMs, { live });
    const t0 = performance.now();
    for (;;) {
      if (!runs.some((r) => r.behind(target))) return true;
      let cur = Infinity, inc = Infinity;
      for (const r of runs) { cur = Math.min(cur, r.now); inc = Math.min(inc, r.chunkMs); }
      const next = Math.min(target, cur + inc);
      for (const r of runs) {
        // Catching up stops between runs too, and inside one (the last stretch of a jump
        // converts a ping wave's messages per run: four panes of thousands of agents at once
        // would be one long task); a playing clock keeps the panes on one time.
        const left = live ? Infinity : Math.max(1, budgetMs - (performance.now() - t0));
        if (r.behind(next) && !r.step(next, left, { live, messagesAtEnd: next >= target })) return false;
        if (!live && performance.now() - t0 >= budgetMs && runs.some((x) => x.behind(target))) return false;
      }
      if (next >= target) return !runs.some((r) => r.behind(target));
      if (performance.now() - t0 >= budgetMs) return false;
    }
  }

  // ------------------------------------------------------------ time

  /**
   * Moves every run to t (clamped to the run); backwards re-simulates from 0 off screen. The
   * time (and hooks.onSeeked) changes when every run is there.
   */
  seek(t, { live = false } = {}) {
    t = clamp(Number(t) || 0, 0, this.duration);
    const under = this.job;
    // A seek under way that has not passed t yet just goes on to t (scrubbing).
    if (under && under.kind === 'seek' && under.runs.every((r) => r.now <= t)) { under.target = t; return; }
    const back = this.runs.some((r) => t < r.now);
    // Backwards: fresh runs from 0, made one per slice (each is a new Simulation: tens of ms
    // for thousands of agents) and caught up off screen.
    const forks = back ? [] : null;
    const shown = this.runs;
    const job = {
      kind: 'seek', runs: forks ?? shown, target: t, fresh: forks, from: forks ? 0 : this.t, live: live && !forks,
      more: back ? shown.map((r) => () => r.fork()) : null,
      commit: () => {
        if (forks) shown.forEach((r, k) => { if (forks[k]) r.adopt(forks[k]); });
        this.t = job.target;
        if (!live || forks) for (const r of shown) this.hooks.onJump?.(r);
        this.hooks.onSeeked?.();
      },
    };
    this._startJob(job);
  }

  /**
   * Advances every run towards t ≥ now while the clock runs (messages become animation), for
   * at most a frame's budget; returns the time reached (the clock's next start).
   */
  play(t) {
    if (this.job) return this.t;
    this._advanceAll(this.runs, t, this.schedule ? this.playBudgetMs : Infinity, true);
    let reached = Infinity;
    for (const r of this.runs) { r.refresh(); reached = Math.min(reached, r.now); }
    this.t = reached;
    return reached;
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

  /** True while some run's digest is still being judged. */
  get judging() { return this.runs.some((r) => !r.digest); }

  /**
   * The first verdict of any run after the current time (from the digests), null if there is
   * none, undefined while a run is still being judged.
   */
  nextVerdict() {
    if (this.judging) return undefined;
    let best = null;
    for (const r of this.runs) {
      for (const v of r.digest.verdicts) {
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

  /** The trace hash and, with `lines`, the trace file (a Blob of JSON Lines) of the run so far,
   *  re-simulated in full from the recorded scenario (the live run caught up by fast-forward,
   *  which skips messages), by the judges: in their worker on the page, so a big cluster's
   *  re-simulation never blocks it. onDone({ hash, file }) as Judges.replay; returns
   *  { cancel() }. */
  replayLater({ lines = false } = {}, callbacks = {}) {
    return this.judges.replay(this.exportScenario(), this.primary.sim.now, { lines }, callbacks);
  }

  // ------------------------------------------------------------ judging

  /** Asks the judge for a run's digest (the primary's with the watched agents' lanes). */
  _judge(run, { keepDigest = false } = {}) {
    run.judgeHandle?.cancel();
    if (!keepDigest) run.digest = null;
    run.judging = 0;
    const watch = run === this.primary ? this.watched() : [];
    run.watched = watch;
    run.judgeHandle = this.judges.request(run.scenario, watch, {
      onProgress: (p) => { run.judging = p; (this.hooks.onJudging ?? this.hooks.onJudged)?.(run); },
      // the verdicts and curves (fast-forward), while the watched agents' lanes are worked out
      onPartial: (d) => { run.digest = d; this.hooks.onJudged?.(run); },
      onDone: (d) => { run.judgeHandle = null; run.judging = 1; run.digest = d; run.judgeError = null; this.hooks.onJudged?.(run); },
      onError: (msg) => { run.judgeHandle = null; run.judgeError = msg; this.hooks.onJudged?.(run); },
    });
  }

  /** The agents whose lanes are judged: the focus first, then the selection. */
  watched() {
    const run = this.primary;
    if (!run) return [];
    const list = [];
    if (this.focus >= 0 && this.focus < run.n) list.push(this.focus);
    for (const i of this.selected) if (!list.includes(i) && i < run.n) list.push(i);
    return list.slice(0, MAX_WATCHED).map((i) => run.names[i]);
  }

  /** After the selection changed: judges the primary again if its lanes lack a watched agent. */
  updateWatch() {
    const run = this.primary;
    if (!run) return;
    const want = this.watched();
    const have = run.watched ?? [];
    if (want.every((n) => have.includes(n)) && (want.length || !have.length || run.digest)) return;
    this._judge(run, { keepDigest: true });
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
    const same = this.presetName && this.sameAsPreset();
    return {
      presetName: same ? this.presetName : null,
      lesson: !same && this.lesson ? this.lesson : null,
      scenario: this.exportScenario(), t: this.t, speed, policy: this.policy,
      compare: this.compare && this.compareBy === 'policy' ? this.policiesShown() : null,
      vary: this.compare && this.compareBy === 'setting' ? this.compareSetting : null,
      agent: this.focus >= 0 ? this.primary.names[this.focus] : undefined,
    };
  }
}
