// The Lab tab: builds its parts — the model (state.js), the clock, the cluster view, the agent
// list, the timeline, the scenario bar, the lesson and story, the panels (inspector, log,
// chart, timeouts), the fault menu, the dialogs and the keys — and wires them: each part gets
// the few calls it needs. The reader's actions (load, edit, inject, select, policy, link) are
// methods here, and so is what to redraw after each.
import { LabState } from './state.js';
import { Clock } from './clock.js';
import { LabView } from './view.js';
import { AgentList } from './agent-list.js';
import { Timeline } from './timeline.js';
import { Controls } from './controls.js';
import { Story } from './story.js';
import { Dialogs } from './dialogs.js';
import { listenKeys } from './keys.js';
import { buildLegend, redrawLegend } from './legend.js';
import { readPalette } from '../palette.js';
import { Charts } from './chart.js';
import { LogView } from './logview.js';
import { Inspector } from './inspector.js';
import { TimeoutsPanel } from './timeouts-panel.js';
import { Menu } from './menu.js';
import { FIRST_LESSON } from './lessons.js';
import { parseHash, buildHash } from './urlstate.js';
import { describeFault } from '../describe.js';
import { clock, clamp } from '../util.js';
import { $ } from '../dom.js';
import { showBanner, hideBanner, toast } from '../notices.js';

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
    this.hashTimer = 0;
    const state = new LabState(lib, {
      onMessage: (ev, run) => this.view.addMessage(ev, run),
      onJump: (run) => this.view.resetMessages(run),
      onRunsRebuilt: () => this.runsRebuilt(),
      onFuture: () => { this.view.invalidate(); this.timeline.renderMarks(); },
    });
    this.state = state;
    this.clock = new Clock(state, {
      onTimeMoved: () => this.timeMoved(),
      onPause: () => { this.writeHash(); this.log.settle(); this.slowDirty = true; },
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
      setPolicy: (p) => this.setPolicy(p),
    });
    this.agents = new AgentList(state, (i, additive, button) => this.pick(i, additive, button));
    this.timeline = new Timeline(state, {
      jumpTo: (t) => this.clock.seekTo(t),
      showVerdict: (v) => this.clock.showVerdict(v),
      removeFault: (i) => this.removeFault(i),
    });
    this.controls = new Controls(state, {
      loadPreset: (name) => this.loadPreset(name),
      setPolicy: (p) => this.setPolicy(p),
      setCompare: (on) => this.afterPolicies(() => state.setCompare(on)),
      setComparePolicies: (list) => this.afterPolicies(() => state.setComparePolicies(list)),
    });
    this.story = new Story(state, this.clock, {
      loadPreset: (name) => this.loadScenario(null, { presetName: name }),
      chrome: () => this.chrome(),
      selectAgent: (name) => this.selectAgent(name),
      writeHash: () => this.writeHash(),
    });
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
    listenKeys(this.clock, this.menu, { shown: () => this.shown, openHelp: () => this.dialogs.openHelp() });
  }

  /** Opens the link's scenario (or the first lesson) and starts the clock. */
  start(hash, { firstVisit = false } = {}) {
    this.clock.start();
    this.openLink(hash, { firstVisit });
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
  }

  /** After a seek: redraw, refresh the log and the panels. */
  timeMoved() {
    this.view.invalidate();
    this.log.dirty = true;
    this.syncDom();
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
    this.story.render();
    this.timeline.renderFaults();
    this.timeline.renderMarks();
  }

  /** One animation frame: the canvases when something moves, the panels five times a second. */
  frame(wall, moved) {
    if (moved) this.view.invalidate();
    if (!this.shown) { this.lastSlow = 0; return false; }
    const animating = this.clock.playing || this.view.animating() || this.state.hasRecovering();
    if (this.view.dirty || animating) {
      this.view.render(wall, this.clock.playing);
      this.agents.update();
    }
    if (wall - this.lastSlow > 200 || this.slowDirty) { this.renderSlow(); this.lastSlow = wall; this.slowDirty = false; }
    this.view.dirty = false;
    return true;
  }

  renderSlow() {
    this.story.tick();
    this.inspector.render();
    this.log.update();
    this.charts.update(this.state.primary);
    this.view.renderSummaries();
    this.timeouts.renderDerived();
    this.story.renderVerdict();
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

  // ------------------------------------------------------------ scenario

  /**
   * Replaces the working scenario (a preset when `scenario` is null). Returns false, keeping the
   * old one, if the engine cannot simulate it.
   */
  loadScenario(scenario, { presetName = null, ...opts } = {}) {
    this.clock.halt();
    this.story.reset();
    const error = scenario ? this.state.load(scenario, { presetName, ...opts }) : this.state.loadPreset(presetName, opts);
    if (error) { showBanner(`That scenario cannot be simulated:\n${error}`); return false; }
    this.chrome();
    this.page.scenarioLoaded();
    return true;
  }

  /** A lesson picked by the reader. */
  loadPreset(name) {
    this.clock.setPlaying(false);
    this.loadScenario(null, { presetName: name });
    this.writeHash();
  }

  /** Runs an edit of the scenario (it re-simulates); returns the problems, empty on success. */
  editScenario(mutate) {
    return this.afterEdit(() => this.state.edit(mutate));
  }

  afterEdit(change) {
    const hadPreset = this.state.presetName;
    const problems = change();
    if (problems.length) return problems;
    if (hadPreset && !this.state.presetName) this.chrome();
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
    const hadPreset = this.state.presetName;
    const { recorded, problem } = this.state.injectFault(fault);
    if (problem) { toast(problem); return false; }
    if (hadPreset) this.chrome();
    this.timeline.renderFaults();
    this.timeline.renderMarks();
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
    if (play) this.clock.setPlaying(true);
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
    return location.href.split('#')[0] + buildHash(this.state.linkState(this.clock.speed));
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

  /** Restores a link (#preset=… or #scenario=…, &t, &speed, &policy, &compare, &agent). */
  openLink(hash, { firstVisit = false } = {}) {
    const { state } = this;
    const st = parseHash(hash);
    const errors = [...st.errors];
    let scenario = null, presetName = null;
    if (st.scenario) {
      const problems = state.validate(st.scenario);
      if (problems.length) errors.push(`the scenario in the link is invalid:\n${problems.join('\n')}`);
      else scenario = st.scenario;
    } else if (st.preset !== undefined) {
      if (state.presetByName.has(st.preset)) presetName = st.preset;
      else errors.push(`there is no lesson called "${st.preset.slice(0, 80)}"`);
    }
    if (!scenario && !presetName) presetName = state.presetByName.has(FIRST_LESSON) ? FIRST_LESSON : state.presets[0]?.name;
    if (errors.length) showBanner(`This link could not be fully restored — ${errors.join('; ')}. ${scenario || st.preset === presetName ? '' : `Showing the “${presetName}” lesson instead.`}`);
    else hideBanner();

    if (st.speed) this.clock.setSpeed(st.speed);
    const loaded = this.loadScenario(scenario, {
      presetName: scenario ? null : presetName, policy: st.policy, compare: st.compare,
      baseFaultCount: scenario ? (scenario.faults ?? []).length : undefined,
    });
    if (!loaded) return;
    if (st.agent) this.selectAgent(st.agent);
    if (st.t !== undefined) this.clock.seek(st.t);
    if (firstVisit && presetName === FIRST_LESSON) this.story.apply(0);
    this.writeHash(true);
  }
}
