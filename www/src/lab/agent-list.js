// The Agents panel: every agent of the primary run as a button with its master's view and its
// process state (data-master-view, data-agent-state: screen readers, keyboard users and tests
// read the cluster here), and the master's row. Updates only the rows that changed. A cluster of
// more than LIST_MAX agents lists its first LIST_MAX (a list of 100,000 buttons costs minutes
// of layout and accessibility work in Chromium): the others are picked on the cluster grid.
import { plural } from '../util.js';
import { h, $, clear } from '../dom.js';

/** At most this many agents get a row. */
export const LIST_MAX = 2000;

/** The Agents panel's list, rebuilt with the runs and updated row by row. */
export class AgentList {
  /**
   * @param state the LabState shown
   * @param pick (i, additive, button) — an agent's button was pressed
   */
  constructor(state, pick) {
    this.state = state;
    this.pick = pick;
    this.items = [];
    this.prev = null;
  }

  /** One row per agent of the primary run (after the runs were rebuilt); the same agents keep
   *  their rows (a 5,000-agent list is not rebuilt for an edit). */
  build() {
    const ul = $('#agent-list');
    const run = this.state.primary;
    const names = this.names;
    if (names && names.length === run.names.length && names.every((n, i) => n === run.names[i])) return; // `prev` is what the rows show
    this.names = run.names;
    clear(ul);
    const dl = $('#agent-names');
    clear(dl);
    this.items = run.names.slice(0, LIST_MAX).map((name, i) => {
      const dot = h('span', { class: 'badge' });
      const st = h('span', { class: 'badge' });
      const btn = h('button', {
        type: 'button', title: 'Select and open the fault menu',
        on: { click: (e) => this.pick(i, e.shiftKey || e.ctrlKey || e.metaKey, e.currentTarget) },
      }, h('span', { class: 'nm', text: name }), dot, st);
      const li = h('li', { dataset: { agent: name, index: String(i) } }, btn);
      ul.append(li);
      if (run.n <= 2000) dl.append(h('option', { value: name }));
      return { li, dot, st };
    });
    if (run.n > LIST_MAX) ul.append(h('li', { class: 'muted more', text: `… and ${(run.n - LIST_MAX).toLocaleString('en-US')} more: pick them on the cluster` }));
    this.prev = null;
    $('#agents-count').textContent = plural(run.n, 'agent');
  }

  get empty() { return this.items.length === 0; }

  /** Brings the rows whose view, state or selection changed up to date, and the master's row. */
  update() {
    const { state } = this;
    const run = state.primary;
    const { views, states } = run.snap;
    const V = state.lib.MASTER_VIEWS, S = state.lib.AGENT_STATES;
    const prev = this.prev;
    const items = this.items;
    for (let i = 0; i < items.length; i++) {
      if (prev && prev.views[i] === views[i] && prev.states[i] === states[i] && prev.sel[i] === (state.selected.has(i) ? 1 : 0)) continue;
      const it = items[i];
      const v = V[views[i]] ?? 'unknown', s = S[states[i]] ?? 'down';
      it.li.dataset.masterView = v;
      it.li.dataset.agentState = s;
      it.dot.className = `badge v-${v}`; it.dot.textContent = v;
      it.st.className = `badge s-${s}`; it.st.textContent = s;
      it.li.classList.toggle('selected', state.selected.has(i));
    }
    const sel = new Uint8Array(items.length);
    for (const i of state.selected) if (i < sel.length) sel[i] = 1;
    this.prev = { views: views.slice(), states: states.slice(), sel };
    const ms = $('#master-state');
    const up = run.snap.masterUp;
    ms.textContent = up ? 'leading' : 'failing over';
    ms.className = `badge ${up ? 'k-good' : 'k-warn'}`;
  }
}
