// What a <liveness-lab> element shows in its shadow root: a title line, the cluster canvas (the
// page's ClusterView and Particles), the run's verdicts, a transport bar cut to the `controls`
// asked for, an error box, and the accessible agent list with the page's test hooks
// (data-agent, data-master-view, data-agent-state, data-sim-time). Buttons call the actions
// given to the constructor; the view changes no state itself.
import { ClusterView } from '../lab/cluster.js';
import { Particles } from '../lab/particles.js';
import { sliderFromSpeed, speedFromSlider } from '../lab/clock.js';
import { POLICIES, POLICY_LABEL } from '../policies.js';
import { verdictWords } from '../describe.js';
import { clock, speedLabel } from '../util.js';
import { h, clear } from '../dom.js';

/** The controls each `controls` value shows (the rest are hidden, so not focusable). */
const SHOWN = {
  none: new Set(),
  minimal: new Set(['play', 'scrubber']),
  full: new Set(['play', 'scrubber', 'restart', 'step', 'verdict', 'speed', 'policy', 'open']),
};

/**
 * A run's verdicts to its end, or null while they are being worked out: what the Lab's model
 * computed ahead (a Run's `future` lookahead, or the `digest` its judge returns).
 */
function wholeRunVerdicts(run) {
  const whole = run.digest ?? (run.future?.done ? run.future : null);
  return whole ? whole.verdicts : null;
}

/** One element's view (see the top of this file). */
export class EmbedView {
  /**
   * @param root the element's shadow root
   * @param actions — { togglePlay(), restart(), step(), nextVerdict(), seekFraction(f),
   *   setSpeed(x), setPolicy(p), labLink() → the full lab's address for this run }
   */
  constructor(root, actions) {
    this.actions = actions;
    this.run = null;
    this.dirty = true;
    this.status = h('p', { class: 'status', text: 'Loading the simulator…' });
    this.error = h('div', { class: 'error', attrs: { role: 'alert' }, hidden: true });
    this.title = h('span', { class: 'title' });
    this.chip = h('span', { class: 'chip' });
    this.policy = h('select', { attrs: { 'aria-label': 'Policy' }, on: { change: () => actions.setPolicy(this.policy.value) } },
      POLICIES.map((p) => h('option', { value: p, text: POLICY_LABEL[p] ?? p })));
    this.canvas = h('canvas', { attrs: { role: 'img' } });
    this.verdicts = h('ol', { class: 'verdicts', attrs: { 'aria-label': 'Verdicts of this run' } });
    const button = (text, label, act) => h('button', { type: 'button', text, title: label, attrs: { 'aria-label': label }, on: { click: act } });
    this.controls = {
      restart: button('↺', 'Restart from 00:00', () => actions.restart()),
      play: button('▶', 'Play', () => actions.togglePlay()),
      step: button('Step →', 'Step to the next event', () => actions.step()),
      verdict: button('Verdict »', 'Jump to the next verdict', () => actions.nextVerdict()),
      scrubber: h('input', { type: 'range', min: '0', max: '1000', step: '1', value: '0', attrs: { 'aria-label': 'Simulated time' },
        on: { input: () => actions.seekFraction(Number(this.controls.scrubber.value) / 1000) } }),
      speed: h('input', { type: 'range', min: '0', max: '1000', step: '1', attrs: { 'aria-label': 'Speed' },
        on: { input: () => actions.setSpeed(speedFromSlider(this.controls.speed.value)) } }),
      policy: this.policy,
      open: h('a', { class: 'open', text: 'Open in the lab ↗', target: '_blank', rel: 'noopener', title: 'This run in the full Liveness Lab (a new tab)' }),
    };
    // The link is made when it is about to be used, so it carries the time and policy of now.
    const labLink = () => { this.controls.open.href = actions.labLink(); };
    for (const ev of ['pointerenter', 'focus', 'click']) this.controls.open.addEventListener(ev, labLink);
    this.time = h('span', { class: 'time', dataset: { simTime: '0' }, text: '00:00' });
    this.end = h('span', { class: 'of', text: '/ 00:00' });
    this.speedOut = h('output', { class: 'speed-out' });
    const c = this.controls;
    this.agentList = h('ul', { class: 'agent-list' });
    this.agentsSummary = h('summary', { text: 'Agents' });
    this.agents = h('details', { class: 'agents' }, this.agentsSummary, this.agentList);
    this.body = h('div', { class: 'body', hidden: true },
      h('div', { class: 'head' }, this.title, this.chip, c.policy),
      h('div', { class: 'stage' }, this.canvas),
      this.verdicts,
      h('div', { class: 'transport', attrs: { role: 'group', 'aria-label': 'Time controls' } },
        c.restart, c.play, c.step, c.verdict, h('span', { class: 'clock' }, this.time, this.end),
        h('span', { class: 'speed' }, c.speed, this.speedOut), c.scrubber, c.open),
      this.agents);
    root.append(h('div', { class: 'll' }, this.status, this.error, this.body));
    this.resizer = new ResizeObserver(() => { this.dirty = true; });
    // A course page may hold many: one scrolled out of view draws nothing (its time still moves).
    this.onScreen = true;
    this.seen = new IntersectionObserver((entries) => {
      for (const e of entries) this.onScreen = e.isIntersecting;
      this.dirty = true;
    });
    this.reconnect();
  }

  /** Shows the problems instead of the lab (a readable box, never a blank one). */
  showError(lines) {
    const list = h('ul');
    for (const l of lines) list.append(h('li', { text: l }));
    this.error.replaceChildren(h('strong', { text: 'This lab cannot be shown:' }), list);
    this.error.hidden = false;
    this.status.hidden = true;
    this.body.hidden = true;
  }

  /** Shows the lab (after a load). */
  showLab() {
    this.error.hidden = true;
    this.status.hidden = true;
    this.body.hidden = false;
    this.dirty = true;
  }

  /** Shows the controls `mode` asks for (none, minimal, full). */
  setControls(mode) {
    for (const [name, el] of Object.entries(this.controls)) el.hidden = !SHOWN[mode].has(name);
    this.controls.speed.parentElement.hidden = !SHOWN[mode].has('speed');
    this.chip.hidden = SHOWN[mode].has('policy');
    // Without controls the list stays for screen readers (and the hooks) but takes no room.
    this.agents.classList.toggle('sr-only', mode === 'none');
    this.agents.open = mode === 'none' ? true : this.agents.open;
  }

  /** New runs (a load or another policy): a new canvas view and agent list for the primary run. */
  runsRebuilt(state) {
    const run = state.primary;
    this.run = run;
    this.cluster = new ClusterView(this.canvas);
    this.particles = new Particles();
    this.particles.reset(run.n);
    this.canvas.setAttribute('aria-label', `Cluster under ${run.policy}: the master in the centre and its ${run.n} agents`);
    const name = state.scenario.name || '(unnamed scenario)';
    this.title.textContent = name;
    this.title.title = name;
    this.chip.textContent = `policy: ${run.policy}`;
    this.policy.value = run.policy;
    this.end.textContent = `/ ${clock(state.duration)}`;
    clear(this.agentList);
    this.rows = run.names.map((n) => {
      const li = h('li', { dataset: { agent: n } });
      this.agentList.append(li);
      return li;
    });
    this.agentsSummary.textContent = `Agents (${run.n})`;
    this.snap = null;
    this.verdictKey = null;
    this.dirty = true;
    this.controls.open.href = this.actions.labLink(); // an <a> without href cannot take the focus
  }

  /** A message sent while the clock runs: it travels along its link. */
  addMessage(ev, run) {
    const i = run.index.get(ev.agent);
    if (run !== this.run || i === undefined) return;
    this.particles.add(i, ev, performance.now());
  }

  /** The run jumped in time: its messages in flight are gone. */
  resetMessages(run) {
    if (run === this.run) this.particles.reset(run.n);
    this.dirty = true;
  }

  /** The speed readout and slider. */
  showSpeed(x) {
    this.controls.speed.value = String(sliderFromSpeed(x));
    this.controls.speed.setAttribute('aria-valuetext', `${speedLabel(x)} (${x}×)`);
    this.speedOut.textContent = speedLabel(x);
  }

  /** One frame: the canvas when something moves, then the clock, the list and the verdicts. */
  render(state, wall, { moved, playing }) {
    const run = this.run;
    if (!run || this.body.hidden) return;
    this.particles.tickRate(wall);
    if (this.onScreen && (this.dirty || moved || this.particles.list.length || state.hasRecovering())) {
      this.cluster.draw(run, { selected: state.selected, hover: -1, particles: this.particles, wallNow: wall, masterSelected: false });
      this.dirty = false;
    }
    const label = clock(state.t);
    if (this.time.textContent !== label) this.time.textContent = label;
    this.time.dataset.simTime = String(state.t);
    const play = this.controls.play;
    if (play.textContent !== (playing ? '❚❚' : '▶')) {
      play.textContent = playing ? '❚❚' : '▶';
      play.setAttribute('aria-label', playing ? 'Pause' : 'Play');
    }
    const scr = this.controls.scrubber;
    if (scr.getRootNode().activeElement !== scr || playing) scr.value = String(Math.round((state.t / Math.max(1, state.duration)) * 1000));
    scr.setAttribute('aria-valuetext', `${clock(state.t)} of ${clock(state.duration)}`);
    if (run.snap !== this.snap) this.updateAgents(state);
    this.renderVerdicts(state);
  }

  /** The agent rows: the master's view and the process state of each (changed rows only). */
  updateAgents(state) {
    const { views, states } = this.run.snap;
    const V = state.lib.MASTER_VIEWS, S = state.lib.AGENT_STATES;
    for (let i = 0; i < this.rows.length; i++) {
      const li = this.rows[i];
      const v = V[views[i]] ?? 'unknown', s = S[states[i]] ?? 'down';
      if (li.dataset.masterView === v && li.dataset.agentState === s) continue;
      li.dataset.masterView = v;
      li.dataset.agentState = s;
      li.textContent = `${this.run.names[i]}: master sees ${v}, process ${s}`;
    }
    this.snap = this.run.snap;
  }

  /** The run's verdicts to its end, those already passed marked (data-verdicts for tests). */
  renderVerdicts(state) {
    const all = wholeRunVerdicts(this.run);
    const passed = all ? all.filter((v) => v.t <= state.t).length : 0;
    const key = `${all?.length}|${passed}`;
    if (key === this.verdictKey) return;
    this.verdictKey = key;
    const ol = this.verdicts;
    ol.dataset.verdicts = all ? all.map((v) => `${v.agent}@${v.t}`).join(';') : '';
    if (!all) { ol.replaceChildren(h('li', { class: 'none', text: 'Computing the verdicts of this run…' })); return; }
    if (!all.length) { ol.replaceChildren(h('li', { class: 'none', text: `No agent is marked unreachable or removed before ${clock(this.run.duration)}.` })); return; }
    const items = all.slice(0, 3).map((v, k) => h('li', { class: k < passed ? 'passed' : 'later', text: verdictWords(v) }));
    if (all.length > 3) items.push(h('li', { class: 'none', text: `+${all.length - 3} more` }));
    ol.replaceChildren(...items);
  }

  /** The element left the page. */
  disconnect() {
    this.resizer.disconnect();
    this.seen.disconnect();
  }

  /** The element is (back) on the page. */
  reconnect() {
    this.resizer.observe(this.canvas);
    this.seen.observe(this.canvas);
    this.dirty = true;
  }
}
