// The Lab tab: builds its parts — the model (state.js) with its judge worker, the clock, the
// cluster view, the lane timeline, the agent list, the timeline, the scenario bar, the lesson and
// story, the panels (inspector, log, chart, timeouts), the fault menu, the dialogs, the keys and
// presenter mode — and wires them: each part gets the few calls it needs. The reader's actions
// (load, edit, inject, select, policy, link) are methods here, and so is what to redraw after
// each. Every panel is drawn from the current run at the current time: one truth on screen.
import { LabState } from './state.js';
import { Judges } from './judges.js';
import { Clock } from './clock.js';
import { LabView, BIG_CLUSTER } from './view.js';
import { AgentList } from './agent-list.js';
import { Timeline } from './timeline.js';
import { Controls } from './controls.js';
import { Story, FIRST_LESSON } from './story.js';
import { Dialogs } from './dialogs.js';
import { listenKeys } from './keys.js';
import { buildLegend, redrawLegend } from './legend.js';
import { readPalette } from '../palette.js';
import { Charts } from './chart.js';
import { LogView } from './logview.js';
import { Inspector } from './inspector.js';
import { TimeoutsPanel } from './timeouts-panel.js';
import { Menu } from './menu.js';
import { Lanes } from './lanes.js';
import { Presenter } from './presenter.js';
import { setSetting } from './scenario-paths.js';
import { DetectorPicker } from './detector-picker.js';
import { parseHash, buildHash } from './urlstate.js';
import { describeFault, describeEvent } from './engine-facts.js';
import { clock, clamp } from '../util.js';
import { $ } from '../dom.js';
import { showBanner, hideBanner, toast, hideToast } from '../notices.js';
import './lab.css';

/** Runs a function soon, after the page had a chance to draw (a slice of catching up). */
function soon(fn) {
  const ch = soon.ch ?? (soon.ch = new MessageChannel());
  (soon.queue ??= []).push(fn);
  ch.port1.onmessage = () => { const q = soon.queue; soon.queue = []; for (const f of q) f(); };
  if (soon.queue.length === 1) setTimeout(() => ch.port2.postMessage(0), 0);
}

/** The Lab tab: its parts and the reader's actions. */
export class Lab {
  /**
   * @param lib the engine (engine.js)
   * @param page — { setHash(hash) — writes the page's location hash,
   *   scenarioLoaded() — any new scenario (the Tuning tab hides its trial note) }
   */
  constructor(lib, page) {
    this.page = page;
    this.shown = true;
    this.slowDirty = true;
    this.lastSlow = 0;
    this.lastList = 0;
    this.hashTimer = 0;
    this.idleWaiters = [];
    this.judgeWaiters = [];
    const state = new LabState(lib, {
      onMessage: (ev, run) => this.view.addMessage(ev, run),
      onJump: (run) => this.view.resetMessages(run),
      onRunsRebuilt: () => this.runsRebuilt(),
      onSeeked: () => this.timeMoved(),
      onBusy: (busy) => this.busyChanged(busy),
      onJudged: (run) => this.judged(run),
      // progress only: the chart and the marks are rebuilt when a digest arrives, not per message
      onJudging: () => { this.slowDirty = true; this.view.showJudging(); },
    }, { judges: new Judges(lib, 'worker'), schedule: soon });
    this.state = state;
    this.clock = new Clock(state, {
      onPause: () => { this.writeHash(); this.log.settle(); this.slowDirty = true; this.view.invalidate(); },
      onSettle: () => this.writeHash(),
      onFrame: (wall, moved) => this.frame(wall, moved),
      select: (name) => this.selectAgent(name),
      say: toast,
    });
    this.menu = new Menu(state, $('#menu'), (fault) => this.injectFault(fault));
    this.view = new LabView(state, {
      pick: (i, additive, point) => this.pick(i, additive, point),
      pickMaster: (point) => this.pickMaster(point),
      pickNothing: (additive) => { this.menu.close(); if (!additive) this.clearSelection(); },
      setPrimary: (run) => this.setPrimary(run),
    });
    this.agents = new AgentList(state, (i, additive, button) => this.pick(i, additive, button));
    this.timeline = new Timeline(state, {
      jumpTo: (t) => this.clock.seekTo(t),
      showVerdict: (v) => this.clock.showVerdict(v),
      removeFault: (i) => this.removeFault(i),
    });
    this.detectorPicker = new DetectorPicker(state, (mutate) => this.editScenario(mutate), $('#policy-select'));
    this.controls = new Controls(state, {
      loadPreset: (name) => this.loadPreset(name),
      setPolicy: (p) => this.setPolicy(p),
      setCompare: (on) => this.afterPolicies(() => state.setCompare(on)),
      setComparePolicies: (list) => this.afterPolicies(() => state.setComparePolicies(list)),
      setCompareSetting: (path, values) => {
        const problems = state.setCompareSetting(path, values);
        if (!problems.length) { this.chrome(); this.writeHash(); }
        return problems;
      },
      setCompareBy: (by) => this.afterPolicies(() => { state.compareBy = by; state.rebuild({ keepTime: true }); }),
      present: () => this.presenter.toggle(),
    });
    this.lanes = new Lanes(state, $('#lanes'), (t) => this.clock.seekTo(t));
    this.story = new Story(state, this.clock, {
      loadPreset: (name) => this.loadScenario(null, { presetName: name }),
      chrome: () => this.chrome(),
      selectAgent: (name) => this.selectAgent(name),
      writeHash: () => this.writeHash(),
      whenIdle: () => this.whenIdle(),
      whenJudged: () => this.whenJudged(),
      setHideFuture: (on) => this.setHideFuture(on),
      showStage: () => this.showStage(),
      backToLesson: () => this.backToLesson(),
      present: (on) => this.presenter.set(on),
      renderChapters: () => this.presenter?.renderChapters(),
    });
    this.presenter = new Presenter(state, this.story, { writeHash: () => this.writeHash(), resized: () => this.view.invalidate() });
    this.dialogs = new Dialogs(state, {
      closeMenu: () => this.menu.close(),
      pause: () => this.clock.setPlaying(false),
      loadImported: (s) => this.loadScenario(s, { baseFaultCount: (s.faults ?? []).length }),
      shareUrl: () => this.shareUrl(),
      writeHash: (now) => this.writeHash(now),
    });
    this.charts = new Charts($('#chart-views'), $('#chart-tasks'));
    this.log = new LogView(state, { ul: $('#log'), kindSel: $('#log-kind'), agentInput: $('#log-agent'), countEl: $('#log-count') },
      (t, agent) => { this.clock.seekTo(t); this.selectAgent(agent); });
    this.timeouts = new TimeoutsPanel(state, $('#tuning-body'), (mutate) => this.editScenario(mutate));
    this.inspector = new Inspector(state, $('#inspector-body'), (indices, button) => this.menu.openAgents(indices, button));
    $('#master-btn').addEventListener('click', (e) => this.pickMaster(e.currentTarget));
    $('#clear-mine').addEventListener('click', () => { this.afterEdit(() => state.removeInjected()); this.timeline.renderFaults(); });
    $('#banner-close').addEventListener('click', hideBanner);
    buildLegend();
    listenKeys(this.clock, this.menu, {
      shown: () => this.shown,
      openHelp: () => this.dialogs.openHelp(),
      presenter: this.presenter,
      story: this.story,
    });
  }

  /** Opens the link's scenario (or the first lesson) and starts the clock. */
  start(hash, { firstVisit = false } = {}) {
    this.clock.start();
    this.openLink(hash, { firstVisit });
  }

  // ------------------------------------------------------------ waiting

  /** Resolves when no catching up is under way. */
  whenIdle() {
    if (!this.state.job) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  /** Resolves when every run has its digest (and the primary its watched lanes). */
  whenJudged() {
    if (this._judgedNow()) return Promise.resolve();
    return new Promise((r) => this.judgeWaiters.push(r));
  }

  _judgedNow() {
    const { state } = this;
    if (state.job || state.judging) return false;
    const lanes = state.primary.digest?.lanes ?? {};
    return state.watched().every((n) => lanes[n]);
  }

  // ------------------------------------------------------------ drawing

  /** New runs: every view that shows a run starts again. */
  runsRebuilt() {
    this.view.build();
    this.agents.build();
    this.charts.create(this.state.primary);
    this.log.reset();
    this.timeouts.render();
    this.timeline.renderFaults();
    this.timeline.renderMarks();
    this.story.render();
    this.view.invalidate();
    this.syncDom();
    this.timeMoved();
  }

  /** After the time moved (a seek arrived): redraw, refresh the log and the panels. */
  timeMoved() {
    this.view.invalidate();
    this.log.dirty = true;
    this.syncDom();
    const { clock, state } = this;
    if (clock.stepTarget !== null) {
      if (clock.stepTarget === state.t) this.story.showStep(state.t, this._eventsAt(state.t));
      clock.stepTarget = null;
    } else if (!clock.playing) this.story.clearStep();
    this.story.follow();
  }

  /** Words for every event of the primary run at exactly t (a Step → caption). */
  _eventsAt(t) {
    const run = this.state.primary;
    const out = [];
    for (const ring of [run.log.buf, run.msgs.buf]) {
      for (let i = ring.length - 1; i >= 0 && ring[i].t >= t; i--) if (ring[i].t === t) out.push(ring[i]);
    }
    out.sort((a, b) => a.seq - b.seq);
    return out.slice(0, 8).map((e) => `${e.agent ? `${e.agent}: ` : ''}${describeEvent(e)}`);
  }

  /** Catching up started, progressed or ended. */
  busyChanged(busy) {
    this.view.showBusy(busy);
    if (!busy) {
      const w = this.idleWaiters; this.idleWaiters = [];
      for (const r of w) r();
      this.slowDirty = true;
      if (this._judgedNow()) this._wakeJudged();
    }
  }

  /** A run's digest arrived (or its judging progressed). */
  judged(run) {
    this.slowDirty = true;
    if (!run.digest) { this.view.showJudging(); return; }
    this.view.showJudging();
    this.timeline.renderMarks();
    if (run === this.state.primary) this.charts.create(run);
    this.clock.judged();
    if (this._judgedNow()) { this.story.judged(); this._wakeJudged(); }
  }

  _wakeJudged() {
    const w = this.judgeWaiters; this.judgeWaiters = [];
    for (const r of w) r();
  }

  /** Updates the clock and the accessible list at once (tests and screen readers read them). */
  syncDom() {
    this.slowDirty = true;
    if (!this.state.primary || this.agents.empty) return;
    this.view.showTime();
    this.agents.update();
  }

  /** The scenario bar, the lesson and the timeline, after the scenario, preset or policy changed. */
  chrome() {
    this.controls.render();
    this.detectorPicker.render();
    this.story.render();
    this.timeline.renderFaults();
    this.timeline.renderMarks();
  }

  /** One animation frame: the canvases when something moves, the panels five times a second. */
  frame(wall, moved) {
    if (moved) this.view.invalidate();
    if (!this.shown) { this.lastSlow = 0; return false; }
    const animating = this.clock.playing || this.view.animating() || this.state.hasRecovering();
    const t0 = performance.now();
    const dirty = this.view.dirty;
    this.view.dirty = false;
    if (dirty || animating) {
      this.view.render(wall, this.clock.playing);
      // The list and the lanes of a big cluster follow at 10 Hz (view.js :: BIG_CLUSTER).
      if ((this.state.primary?.n ?? 0) <= BIG_CLUSTER || wall - this.lastList >= 100 || !this.clock.playing) {
        this.agents.update();
        this.lanes.render();
        this.lastList = wall;
      }
    }
    // The panels wait for a lighter frame when drawing took long (a big cluster).
    const heavy = performance.now() - t0 > 40;
    if (!heavy && (wall - this.lastSlow > 200 || this.slowDirty)) { this.renderSlow(); this.lastSlow = wall; this.slowDirty = false; }
    return true;
  }

  renderSlow() {
    if (this.state.job) return; // the panels wait for the runs to arrive (one truth)
    this.inspector.render();
    this.log.update();
    this.charts.update(this.state.primary, this.state.t);
    this.view.renderSummaries();
    this.timeouts.renderDerived();
    this.story.renderVerdict();
    this.lanes.render();
  }

  /** New colours (light/dark): everything drawn on a canvas is drawn again. */
  themeChanged() {
    readPalette();
    redrawLegend();
    this.view.themeChanged();
    if (this.state.primary) this.charts.create(this.state.primary);
  }

  /** The Lab tab is shown again (`keepHash`: the caller writes the link). */
  show({ keepHash = false } = {}) {
    const was = this.shown;
    this.shown = true;
    this.view.invalidate();
    this.slowDirty = true;
    if (!was && !keepHash) this.writeHash(true);
  }

  /** The Lab tab is hidden: it keeps its state, paused. */
  hide() {
    this.shown = false;
    if (this.clock.playing) this.clock.setPlaying(false);
    this.menu.close();
  }

  /** While a question is open nothing after the current time shows (lanes, marks, verdicts). */
  setHideFuture(on) {
    this.hideFuture = on;
    document.body.classList.toggle('hide-future', on);
    this.lanes.setHideFuture(on);
    this.timeline.renderMarks();
    this.slowDirty = true;
  }

  /** Brings the cluster (and the caption) into view — on a phone it is far above the cards. */
  showStage() {
    const stage = $('.stage-wrap');
    const r = stage.getBoundingClientRect();
    if (r.top < 0 || r.top > window.innerHeight * 0.5) stage.scrollIntoView({ block: 'start' });
  }

  // ------------------------------------------------------------ scenario

  /**
   * Replaces the working scenario (a preset when `scenario` is null). Returns false, keeping the
   * old one, if the engine cannot simulate it.
   */
  loadScenario(scenario, opts = {}) {
    const error = this.tryLoadScenario(scenario, opts);
    if (error) { showBanner(`That scenario cannot be simulated:\n${error}`); return false; }
    return true;
  }

  /** loadScenario, saying why it cannot (the engine's problems, one per line) instead. */
  tryLoadScenario(scenario, { presetName = null, ...opts } = {}) {
    this.clock.halt();
    this.story.reset();
    hideToast();
    const error = scenario ? this.state.load(scenario, { presetName, ...opts }) : this.state.loadPreset(presetName, opts);
    if (error) return error;
    this.chrome();
    this.page.scenarioLoaded();
    return null;
  }

  /** A lesson picked by the reader: its story starts at the first beat. */
  loadPreset(name) {
    this.clock.setPlaying(false);
    if (!this.loadScenario(null, { presetName: name })) return;
    this.writeHash();
    this.story.apply(0, { play: false });
  }

  /** Back to the story: the lesson's own scenario again, at the current beat. */
  backToLesson() {
    const { state } = this;
    const lesson = state.lesson;
    if (!lesson) return;
    const step = Math.max(0, this.story.step);
    this.loadScenario(null, { presetName: lesson });
    this.story.apply(step);
  }

  /** Runs an edit of the scenario (it re-simulates); returns the problems, empty on success. */
  editScenario(mutate) {
    return this.afterEdit(() => this.state.edit(mutate));
  }

  afterEdit(change) {
    const problems = change();
    if (problems.length) return problems;
    this.chrome();
    this.writeHash();
    return problems;
  }

  removeFault(i) {
    this.afterEdit(() => this.state.removeFault(i));
    this.timeline.renderFaults();
  }

  /** Records a fault at the current time in every run (the fault menu). */
  injectFault(fault) {
    this.clock.setPlaying(false);
    const { recorded, problem } = this.state.injectFault(fault);
    if (problem) { toast(problem); return false; }
    this.chrome();
    this.log.dirty = true;
    this.view.invalidate();
    this.writeHash();
    this.syncDom();
    toast(`${describeFault(recorded, { withTime: false })} at ${clock(recorded.at, { millis: true })}`);
    return true;
  }

  setPolicy(p) {
    this.afterPolicies(() => this.state.setPolicy(p));
  }

  /** A pane's header was pressed: its variant becomes the one the panels follow. */
  setPrimary(run) {
    const v = run.variant;
    if (v.path) this.editScenario((s) => { setSetting(s, v.path, v.value); });
    else this.setPolicy(v.policy);
  }

  afterPolicies(change) {
    change();
    this.chrome();
    this.writeHash();
  }

  /**
   * Opens a scenario (a sweep trial): loads it, jumps to `t`, selects `agent`, and plays at
   * `speed`. Returns false if the engine refuses it (the previous scenario is kept).
   */
  openScenario(scenario, { t = 0, agent, speed, play = true } = {}) {
    this.clock.setPlaying(false);
    if (!this.loadScenario(scenario, { baseFaultCount: (scenario.faults ?? []).length })) return false;
    if (speed) this.clock.setSpeed(speed);
    this.clock.seek(clamp(Number(t) || 0, 0, this.state.duration));
    this.selectAgent(agent);
    if (play) this.whenIdle().then(() => this.clock.setPlaying(true));
    this.writeHash(true);
    return true;
  }

  // ------------------------------------------------------------ selection

  selectOnly(i) {
    this.state.selectOnly(i);
    this.selectionChanged();
  }

  /** Selects the agent called `name` alone, if the primary run has it. */
  selectAgent(name) {
    const i = name !== undefined ? this.state.primary.index.get(name) : undefined;
    if (i !== undefined) this.selectOnly(i);
  }

  clearSelection() {
    this.state.clearSelection();
    this.selectionChanged();
  }

  selectionChanged() {
    this.slowDirty = true;
    this.view.invalidate();
    this.timeouts.render();
    this.state.updateWatch();
    this.lanes.render();
    this.writeHash();
  }

  /** An agent clicked (on a canvas or in the list): select it and open its fault menu. */
  pick(i, additive, anchor) {
    if (additive) this.state.toggleSelect(i); else this.state.selectOnly(i);
    this.selectionChanged();
    if (this.state.selected.size) this.menu.openAgents([...this.state.selected], anchor);
    else this.menu.close();
  }

  pickMaster(anchor) {
    this.state.selectMaster();
    this.view.invalidate();
    this.menu.openMaster(anchor);
  }

  // ------------------------------------------------------------ the link

  /** The link that restores this run. */
  shareUrl() {
    const st = this.state.linkState(this.clock.speed);
    st.step = this.story.step >= 0 ? this.story.step + 1 : undefined;
    st.present = this.presenter.on;
    return location.href.split('#')[0] + buildHash(st);
  }

  /** Puts the link in the address bar (soon, or `now`) while the Lab is shown. */
  writeHash(now = false) {
    clearTimeout(this.hashTimer);
    const go = () => {
      if (!this.shown) return; // the Tuning tab writes its own (#sweep=…)
      const url = this.shareUrl();
      this.page.setHash(url.slice(url.indexOf('#')));
    };
    if (now) go(); else this.hashTimer = setTimeout(go, 250);
  }

  /** Restores a link (#preset=… or #scenario=…, &t, &speed, &policy, &compare, &vary, &agent, &step, &present). */
  openLink(hash, { firstVisit = false } = {}) {
    const { state } = this;
    const st = parseHash(hash);
    const errors = [...st.errors];
    let presetName = null;
    if (!st.scenario && st.preset !== undefined) {
      if (state.presetByName.has(st.preset)) presetName = st.preset;
      else errors.push(`there is no lesson called "${st.preset.slice(0, 80)}"`);
    }
    this.clock.setPlaying(false);
    if (st.speed) this.clock.setSpeed(st.speed);
    const opts = { policy: st.policy, compare: st.compare, vary: st.vary, lesson: st.lesson };
    // A scenario in the link is checked by loading it: one pass of the engine (a separate check
    // first cost a second one, ~250 ms of the main thread for 100,000 agents).
    let scenario = st.scenario ?? null;
    if (scenario) {
      const problems = this.tryLoadScenario(scenario, { ...opts, baseFaultCount: (scenario.faults ?? []).length });
      if (problems) {
        errors.push(`the scenario in the link is invalid:\n${problems}`);
        scenario = null;
      }
    }
    if (!scenario && !presetName) presetName = state.presetByName.has(FIRST_LESSON) ? FIRST_LESSON : state.presets[0]?.name;
    if (errors.length) showBanner(`This link could not be fully restored — ${errors.join('; ')}. ${scenario || st.preset === presetName ? '' : `Showing the “${presetName}” lesson instead.`}`);
    else hideBanner();
    const loaded = scenario ? true : this.loadScenario(null, { presetName, ...opts });
    if (!loaded) return;
    if (st.present) this.presenter.set(true);
    if (st.agent) this.selectAgent(st.agent);
    if (st.step !== undefined && this.story.count) {
      const k = clamp(st.step, 1, this.story.count) - 1;
      this.story.apply(k).then(() => { if (st.t !== undefined) this.clock.seekTo(st.t); });
    } else if (st.t !== undefined) {
      this.clock.seek(st.t); // a link opens paused at its time
    } else if (firstVisit && presetName === FIRST_LESSON) {
      this.story.apply(0, { play: true });
    }
    this.whenIdle().then(() => this.writeHash(true));
  }
}

