// The Lab's cluster view: one pane per run (a canvas drawn by ClusterView, its tooltip and, when
// comparing, its variant and a summary of its verdicts), the messages in flight on each, the
// clock readout, the scrubber's position, and the progress of catching up and of judging.
// Clicks on a canvas become the calls given to the constructor; the view changes no state.
import { ClusterView } from './cluster.js';
import { Particles } from './particles.js';
import { POLICY_LABEL } from '../policies.js';
import { verdictWords } from './engine-facts.js';
import { clock } from '../util.js';
import { h, $, clear } from '../dom.js';

/** Above this many agents the readouts that change every frame while playing (the clock, the
 *  scrubber; in lab.js the agent list and the lanes) follow at 10 Hz: each change costs the page
 *  a layout, and the eye cannot read them faster. */
export const BIG_CLUSTER = 2000;

/** The cluster panes of the Lab (see the top of this file). */
export class LabView {
  /**
   * @param state the LabState shown
   * @param actions — { pick(i, additive, point), pickMaster(point), pickNothing(additive), setPrimary(run) }
   */
  constructor(state, actions) {
    this.state = state;
    this.actions = actions;
    /** { run, canvas, view, particles, summary, tip, el } per run, in the order of state.runs. */
    this.panes = [];
    this.hover = -1;
    /** Set when the canvases must be redrawn on the next frame. */
    this.dirty = true;
  }

  invalidate() { this.dirty = true; }

  /** Builds one pane per run (after the runs were rebuilt). */
  build() {
    const { state } = this;
    const host = $('#panes');
    clear(host);
    host.className = `panes n${state.runs.length}`;
    const many = state.runs.length > 1;
    this.panes = state.runs.map((run) => {
      const label = run.variant.path ? `${run.variant.label} · ${run.policy}` : run.policy;
      const canvas = h('canvas', { attrs: { role: 'img', 'aria-label': `Cluster under ${label}: the master in the centre and its agents` } });
      const pane = h('div', { class: 'pane' + (run === state.primary ? ' primary' : ''), dataset: { policy: run.policy, variant: run.variant.label } });
      if (run.variant.path) pane.dataset.value = String(run.variant.value ?? 'none');
      const summary = h('div', { class: 'summary', attrs: { 'aria-live': 'polite' } });
      if (many) {
        const sub = run.variant.path ? run.policy : (POLICY_LABEL[run.policy] ?? '').replace(run.policy, '').replace(/[()]/g, '').trim();
        pane.append(h('div', { class: 'pane-head' },
          h('button', { type: 'button', title: run.variant.path ? 'Make this the scenario\'s value (the inspector, log and chart follow it)' : 'Make this the policy shown in the inspector, log and chart', on: { click: () => this.actions.setPrimary(run) } },
            h('span', { class: 'lbl', text: run.variant.path ? run.variant.label : run.policy }), sub ? h('span', { class: 'sub', text: ` · ${sub}` }) : null)));
      }
      pane.append(canvas);
      if (many) pane.append(summary);
      const tip = h('div', { class: 'tooltip', hidden: true });
      pane.append(tip);
      host.append(pane);
      const view = new ClusterView(canvas, { compact: many });
      const particles = new Particles();
      particles.reset(run.n);
      const p = { run, canvas, view, particles, summary, tip, el: pane };
      this._wire(p);
      return p;
    });
  }

  _wire(p) {
    const { canvas, view } = p;
    const lib = this.state.lib;
    const pos = (e) => { const r = canvas.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; };
    const tipAt = (x, y, text) => {
      p.tip.textContent = text;
      p.tip.hidden = false;
      p.tip.style.top = `${y + canvas.offsetTop + 14}px`;
    };
    canvas.addEventListener('pointermove', (e) => {
      const [x, y] = pos(e);
      const i = view.hit(x, y);
      const hv = i >= 0 ? i : -1;
      if (hv !== this.hover) { this.hover = hv; this.dirty = true; }
      canvas.style.cursor = i === -1 ? 'default' : 'pointer';
      if (i >= 0) {
        const run = p.run;
        tipAt(x, y, `${run.names[i]} — master: ${lib.MASTER_VIEWS[run.snap.views[i]]}, process: ${lib.AGENT_STATES[run.snap.states[i]]}`);
        p.tip.style.left = `${Math.max(4, Math.min(x + 14, canvas.clientWidth - p.tip.offsetWidth - 4))}px`;
      } else if (i === -2) {
        tipAt(x, y, `master — ${p.run.snap.masterUp ? 'leading' : 'failing over'} (click for failover)`);
        p.tip.style.left = `${Math.max(4, x + 14)}px`;
      } else p.tip.hidden = true;
    });
    canvas.addEventListener('pointerleave', () => { this.hover = -1; p.tip.hidden = true; this.dirty = true; });
    canvas.addEventListener('click', (e) => {
      const [x, y] = pos(e);
      const i = view.hit(x, y);
      const point = { x: e.clientX, y: e.clientY };
      const additive = e.shiftKey || e.ctrlKey || e.metaKey;
      if (i === -2) this.actions.pickMaster(point);
      else if (i < 0) this.actions.pickNothing(additive);
      else this.actions.pick(i, additive, point);
    });
  }

  _pane(run) {
    for (const p of this.panes) if (p.run === run) return p;
    return null;
  }

  /** A message sent while the clock runs: it travels along its link. */
  addMessage(ev, run) {
    const p = this._pane(run);
    const i = run.index.get(ev.agent);
    if (!p || i === undefined) return;
    p.particles.add(i, ev, performance.now());
  }

  /** The run jumped in time: its messages in flight are gone. */
  resetMessages(run) {
    this._pane(run)?.particles.reset(run.n);
  }

  /** True while a message is on screen. */
  animating() {
    return this.panes.some((p) => p.particles.list.length > 0);
  }

  /** Draws every pane, the clock and the scrubber. */
  render(wall, playing) {
    const { state } = this;
    // With several big panes, one costly static redraw per frame: the others catch up next frame.
    const t0 = performance.now();
    let behind = false;
    for (const p of this.panes) {
      p.particles.tickRate(wall);
      p.view.draw(p.run, {
        selected: state.selected, hover: this.hover, particles: p.particles, wallNow: wall,
        masterSelected: state.masterSelected, deferStatic: performance.now() - t0 > 25,
      });
      behind ||= p.view.behind;
    }
    if (behind) this.dirty = true;
    if (playing && (state.primary?.n ?? 0) > BIG_CLUSTER && wall - (this.lastReadout ?? -1e9) < 100) return;
    this.lastReadout = wall;
    this.showTime();
    const scr = $('#scrubber');
    if (document.activeElement !== scr || playing) scr.value = String(Math.round((state.t / Math.max(1, state.duration)) * 1000));
    scr.setAttribute('aria-valuetext', `${clock(state.t)} of ${clock(state.duration)}`);
  }

  /** The clock readout (tests and screen readers read data-sim-time). */
  showTime() {
    const tEl = $('#sim-time');
    const label = clock(this.state.t);
    if (tEl.textContent !== label) tEl.textContent = label;
    tEl.dataset.simTime = String(this.state.t);
  }

  /** New colours: the cached hatch patterns are stale. */
  themeChanged() {
    for (const p of this.panes) p.view.hatch = null;
    this.dirty = true;
  }

  /** Catching up: a progress bar over the panes (the old runs stay on screen until it is done). */
  showBusy(busy) {
    const el = $('#busy');
    if (!busy) { el.hidden = true; delete el.dataset.busy; return; }
    el.hidden = false;
    el.dataset.busy = busy.kind;
    const pct = Math.round(busy.progress * 100);
    const bar = el.querySelector('.bar span') ?? (() => {
      el.replaceChildren(h('span', { class: 'msg' }), h('span', { class: 'bar', attrs: { role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100' } }, h('span')));
      return el.querySelector('.bar span');
    })();
    el.querySelector('.msg').textContent = `${busy.kind === 'seek' ? 'Going to' : 'Re-judging the run at'} ${clock(busy.target)}… ${pct}%`;
    bar.style.width = `${pct}%`;
    el.querySelector('.bar').setAttribute('aria-valuenow', String(pct));
  }

  /** How far the judge got with the runs (their verdicts, chart and lanes to the end). */
  showJudging() {
    const el = $('#judging');
    const runs = this.state.runs;
    const waiting = runs.filter((r) => !r.digest && !r.judgeError);
    if (!waiting.length) { el.hidden = true; el.dataset.judging = ''; return; }
    const pct = Math.round((waiting.reduce((a, r) => a + r.judging, 0) / waiting.length) * 100);
    el.hidden = false;
    el.dataset.judging = String(pct);
    el.textContent = `Judging ${waiting.length > 1 ? `${waiting.length} runs` : 'the run'} to the end… ${pct}%`;
  }

  /** Under each pane when comparing: its verdicts so far, the next one, and the tasks hit. */
  renderSummaries() {
    if (this.panes.length < 2) return;
    const t = this.state.t;
    const hide = document.body.classList.contains('hide-future');
    for (const p of this.panes) {
      const run = p.run;
      const sofar = run.verdicts;
      const d = run.digest;
      const key = `${sofar.length}|${run.stats.tasksLost}|${run.stats.tasksKilled}|${run.stats.tasksUnreachable}|${run.stats.executorsDied}|${!!d}|${Math.floor(t / 1000)}|${hide}`;
      if (p.summaryKey === key) continue;
      p.summaryKey = key;
      const lines = [];
      if (sofar.length === 0) lines.push(h('span', { class: 'v', text: 'No agent marked so far.' }));
      for (const v of sofar.slice(0, 2)) lines.push(h('span', { class: 'v', text: `✕ ${verdictWords(v)}` }));
      if (sofar.length > 2) lines.push(h('span', { class: 'v', text: `+${sofar.length - 2} more` }));
      const later = hide ? [] : (d?.verdicts ?? []).filter((v) => v.t > t);
      if (later.length) lines.push(h('span', { class: 'v future', text: `later: ${verdictWords(later[0])}${later.length > 1 ? ` (+${later.length - 1})` : ''}` }));
      else if (d && !hide && sofar.length === 0) lines.push(h('span', { class: 'v future', text: `none before the end (${clock(run.duration)})` }));
      else if (!d) lines.push(h('span', { class: 'v future', text: `judging… ${Math.round(run.judging * 100)}%` }));
      const s = run.stats;
      lines.push(h('span', { class: 'tasks', text: `tasks so far: ${s.tasksUnreachable} unreachable, ${s.tasksLost} lost, ${s.tasksKilled} killed; ${s.executorsDied} really dead` }));
      p.summary.replaceChildren(...lines);
      p.summary.dataset.verdicts = sofar.map((v) => `${v.agent}@${v.t}`).join(';');
    }
  }
}
