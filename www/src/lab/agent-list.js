// The Agents panel: the agents of the primary run as buttons with their master's view and their
// process state (data-master-view, data-agent-state: screen readers, keyboard users and tests
// read the cluster here), and the master's row. A small cluster has one row per agent; a big
// one (more than WINDOW_FROM agents) has rows only for the agents scrolled into view, between
// two spacers, so an edit or a jump restyles a few dozen rows instead of thousands (5,000 rows
// cost the page 100–300 ms of style, layout and visibility checks per change). Each row says
// its place (aria-posinset / aria-setsize). Updates only the rows whose values changed.
import { plural } from '../util.js';
import { h, $, clear } from '../dom.js';

/** Above this many agents only the rows in view exist. */
export const WINDOW_FROM = 300;
/** A row's height in px when windowed (lab.css: #agent-list.windowed li). */
const ROW_PX = 27;
/** Rows drawn beyond each edge of the view. */
const OVERSCAN = 8;

/**
 * The agent indices a windowed list shows: [first, end) around a view `height` px tall
 * scrolled to `scrollTop`, with OVERSCAN rows either side, clamped to `n`.
 */
export function windowOf(scrollTop, height, n) {
  const first = Math.max(0, Math.floor(scrollTop / ROW_PX) - OVERSCAN);
  const end = Math.min(n, Math.ceil((scrollTop + Math.max(height, ROW_PX)) / ROW_PX) + OVERSCAN);
  return [Math.min(first, end), end];
}

/** The Agents panel's list, rebuilt with the runs and updated row by row. */
export class AgentList {
  /**
   * @param state the LabState shown
   * @param pick (i, additive, button) — an agent's button was pressed
   */
  constructor(state, pick) {
    this.state = state;
    this.pick = pick;
    /** The rows on the page: { li, btn, nm, dot, st, i, v, s, sel } (i: the agent shown, -1 none). */
    this.rows = [];
    this.names = null;
    this.windowed = false;
    this.first = 0;
    this.end = 0;
    this.ul = $('#agent-list');
    // Sizes are read when they change (a scroll, a resize), never while drawing.
    this.scrollTop = 0;
    this.height = 240;
    this.ul.addEventListener('scroll', () => { this.scrollTop = this.ul.scrollTop; this._place(); }, { passive: true });
    new ResizeObserver((entries) => {
      const e = entries[entries.length - 1];
      this.height = e.contentRect.height || this.height;
      this._place();
    }).observe(this.ul);
  }

  /** The rows for the primary run's agents (after the runs were rebuilt); the same agents keep
   *  their rows (a 5,000-agent list is not rebuilt for an edit). */
  build() {
    const ul = this.ul;
    const run = this.state.primary;
    const names = this.names;
    if (names && names.length === run.names.length && names.every((n, i) => n === run.names[i])) return;
    this.names = run.names;
    clear(ul);
    const dl = $('#agent-names');
    clear(dl);
    if (run.n <= 2000) dl.append(...run.names.map((name) => h('option', { value: name })));
    this.windowed = run.n > WINDOW_FROM;
    ul.classList.toggle('windowed', this.windowed);
    this.rows = [];
    if (this.windowed) {
      this.top = h('li', { class: 'spacer', attrs: { 'aria-hidden': 'true' } });
      this.bottom = h('li', { class: 'spacer', attrs: { 'aria-hidden': 'true' } });
      ul.append(this.top, this.bottom);
      this.first = this.end = 0;
      this._place();
    } else {
      const frag = document.createDocumentFragment();
      for (let i = 0; i < run.n; i++) {
        const row = this._row();
        this._bind(row, i);
        frag.append(row.li);
      }
      ul.append(frag);
    }
    $('#agents-count').textContent = plural(run.n, 'agent');
  }

  get empty() { return !this.names; }

  /** A row element (its agent bound later). */
  _row() {
    const nm = h('span', { class: 'nm' });
    const dot = h('span', { class: 'badge' });
    const st = h('span', { class: 'badge' });
    const row = { li: null, nm, dot, st, i: -1, v: null, s: null, sel: null };
    const btn = h('button', {
      type: 'button', title: 'Select and open the fault menu',
      on: { click: (e) => { if (row.i >= 0) this.pick(row.i, e.shiftKey || e.ctrlKey || e.metaKey, e.currentTarget); } },
    }, nm, dot, st);
    row.li = h('li', {}, btn);
    this.rows.push(row);
    return row;
  }

  /** Shows agent i in a row (its values come with the next update). */
  _bind(row, i) {
    const name = this.names[i];
    row.i = i;
    row.v = row.s = row.sel = null;
    row.li.dataset.agent = name;
    row.li.dataset.index = String(i);
    row.li.setAttribute('aria-posinset', String(i + 1));
    row.li.setAttribute('aria-setsize', String(this.names.length));
    row.nm.textContent = name;
  }

  /** Windowed: the rows for the agents now in view, and the spacers around them. */
  _place() {
    if (!this.windowed || !this.names) return;
    const n = this.names.length;
    const [first, end] = windowOf(this.scrollTop, this.height, n);
    if (first === this.first && end === this.end && this.rows.length) return;
    this.first = first; this.end = end;
    while (this.rows.length < end - first) this.bottom.before(this._row().li);
    while (this.rows.length > end - first) this.rows.pop().li.remove();
    for (let k = 0; k < this.rows.length; k++) if (this.rows[k].i !== first + k) this._bind(this.rows[k], first + k);
    this.top.style.height = `${first * ROW_PX}px`;
    this.bottom.style.height = `${(n - end) * ROW_PX}px`;
    if (this.state.primary?.snap) this.update();
  }

  /** Brings the rows whose view, state or selection changed up to date, and the master's row. */
  update() {
    const { state } = this;
    const run = state.primary;
    const { views, states } = run.snap;
    const V = state.lib.MASTER_VIEWS, S = state.lib.AGENT_STATES;
    for (const row of this.rows) {
      const i = row.i;
      if (i < 0 || i >= views.length) continue;
      const v = V[views[i]] ?? 'unknown', s = S[states[i]] ?? 'down';
      const sel = state.selected.has(i);
      if (row.v === v && row.s === s && row.sel === sel) continue;
      if (row.v !== v) {
        row.li.dataset.masterView = v;
        row.dot.className = `badge v-${v}`; row.dot.textContent = v;
      }
      if (row.s !== s) {
        row.li.dataset.agentState = s;
        row.st.className = `badge s-${s}`; row.st.textContent = s;
      }
      if (row.sel !== sel) row.li.classList.toggle('selected', sel);
      row.v = v; row.s = s; row.sel = sel;
    }
    const ms = $('#master-state');
    const up = run.snap.masterUp;
    const text = up ? 'leading' : 'failing over';
    if (ms.textContent !== text) {
      ms.textContent = text;
      ms.className = `badge ${up ? 'k-good' : 'k-warn'}`;
    }
  }
}
