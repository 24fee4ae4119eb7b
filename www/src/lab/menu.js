// The fault menu for one or more agents, and the master's menu. Keyboard:
// arrows move, Enter/Space activate, Esc closes and returns focus. A chosen fault goes to the
// Lab through the inject call given to the constructor.
import { humanDuration } from '../util.js';
import { h, clear } from '../dom.js';
import { parseDuration, formatDuration } from '../duration.js';
import { toast } from '../notices.js';
import { agentEntry } from './state.js';

/** The fault menu (agents) and the master's menu, in the #menu element. */
export class Menu {
  /**
   * @param state the LabState (the agents, their states, the scenario)
   * @param el the #menu element
   * @param inject (fault) — records a fault at the current time
   */
  constructor(state, el, inject) {
    this.state = state;
    this.el = el;
    this.inject = inject;
    this.invoker = null;
    el.addEventListener('keydown', (e) => this._key(e));
    document.addEventListener('pointerdown', (e) => {
      if (!this.el.hidden && !this.el.contains(e.target) && !(e.target instanceof HTMLCanvasElement) && !e.target.closest?.('#agent-list, #master-btn')) this.close();
    }, true);
    window.addEventListener('resize', () => this.close());
  }

  close(restoreFocus = false) {
    if (this.el.hidden) return;
    this.el.hidden = true;
    if (restoreFocus && this.invoker && document.contains(this.invoker)) this.invoker.focus();
    this.invoker = null;
  }

  _place(anchor) {
    const el = this.el;
    el.hidden = false;
    let x, y;
    if (anchor instanceof Element) {
      const r = anchor.getBoundingClientRect();
      x = r.left; y = r.bottom + 4;
      this.invoker = anchor;
    } else {
      x = anchor.x + 8; y = anchor.y + 8;
      this.invoker = document.activeElement;
    }
    const w = el.offsetWidth, hgt = el.offsetHeight;
    x = Math.max(6, Math.min(x, window.innerWidth - w - 6));
    if (y + hgt > window.innerHeight - 6) y = Math.max(6, (anchor instanceof Element ? anchor.getBoundingClientRect().top - hgt - 4 : anchor.y - hgt - 8));
    el.style.left = `${x}px`;
    el.style.top = `${y}px`;
    const first = el.querySelector('[role="menuitem"]:not(:disabled)');
    first?.focus();
  }

  _items() { return [...this.el.querySelectorAll('[role="menuitem"]:not(:disabled), .inline input')]; }

  _key(e) {
    const items = this._items();
    const i = items.indexOf(document.activeElement);
    if (e.key === 'ArrowDown') { e.preventDefault(); items[(i + 1) % items.length]?.focus(); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); items[(i - 1 + items.length) % items.length]?.focus(); }
    else if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); this.close(true); }
    else if (e.key === 'Tab') {
      // keep focus inside the menu
      e.preventDefault();
      items[(i + (e.shiftKey ? -1 : 1) + items.length) % items.length]?.focus();
    }
  }

  _item(label, hint, fn, { disabled = false, id } = {}) {
    return h('button', {
      type: 'button', attrs: { role: 'menuitem', 'data-action': id }, disabled,
      on: { click: () => { this.close(true); fn(); } },
    }, h('span', { text: label }), hint ? h('span', { class: 'k', text: hint }) : null);
  }

  /** Menu for agents (indices into the primary run). */
  openAgents(indices, anchor) {
    const run = this.state.primary;
    const names = indices.map((i) => run.names[i]);
    const S = this.state.lib.AGENT_STATES;
    const states = indices.map((i) => S[run.snap.states[i]]);
    const links = indices.map((i) => run.snap.links[i]);
    const allDown = states.every((s) => s === 'down');
    const anyUp = states.some((s) => s !== 'down');
    const anyRecovering = states.some((s) => s === 'recovering');
    const anyCut = links.some((b) => b & 3);
    const fault = (kind, extra = {}) => () => this.inject({ kind, agents: names.slice(), ...extra });
    const el = this.el;
    clear(el);
    el.setAttribute('aria-label', `Faults for ${names.length === 1 ? names[0] : `${names.length} agents`}`);
    const title = names.length === 1 ? names[0] : `${names.length} agents`;
    el.append(h('div', { class: 'mh' }, h('span', { text: title }), h('span', { class: 'sub', text: names.length === 1 ? states[0] : 'shift/ctrl-click to change' })));
    el.append(h('div', { class: 'lbl', text: 'Process' }));
    el.append(this._item('Restart — recovers normally', '', fault('restart_agent'), { disabled: allDown, id: 'restart' }));
    // slow restart with N executors: recovery = executor_reregistration_timeout + N × recovery_per_executor
    const cfg = this._agentConfig(indices[0]);
    const nIn = h('input', { type: 'number', min: '1', max: '10000000', step: '1', value: String(this.lastN ?? 20000), attrs: { 'aria-label': 'Executors to recover' } });
    const est = h('span', { class: 'k' });
    const recoveryMs = () => cfg.exec + Math.max(0, Number(nIn.value) || 0) * cfg.per;
    const upd = () => { est.textContent = `≈ ${humanDuration(recoveryMs())}`; };
    nIn.addEventListener('input', upd); upd();
    const slow = this._item('Restart — slow recovery', '', () => {
      this.lastN = Math.max(1, Math.round(Number(nIn.value) || 1));
      this.inject({ kind: 'restart_agent', agents: names.slice(), recovery: formatDuration(recoveryMs()) });
    }, { disabled: allDown, id: 'restart-slow' });
    el.append(slow, h('div', { class: 'inline' }, h('span', { class: 'k', text: 'with' }), nIn, h('span', { class: 'k', text: 'executors' }), est));
    nIn.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); slow.click(); } });
    el.append(this._item('Restart — recovery hangs', 'MESOS-6286', fault('restart_agent', { recovery: 'hang' }), { disabled: allDown, id: 'restart-hang' }));
    el.append(this._item('Crash', '', fault('crash_agent'), { disabled: allDown, id: 'crash' }));
    el.append(this._item('Start', '', fault('start_agent'), { disabled: !allDown && !states.includes('down'), id: 'start' }));
    el.append(this._item('Finish recovery', '', fault('finish_recovery'), { disabled: !anyRecovering, id: 'finish-recovery' }));
    el.append(this._item('Shut down (unregister)', '', fault('shutdown_agent'), { disabled: !anyUp, id: 'shutdown' }));
    el.append(h('div', { class: 'sep' }), h('div', { class: 'lbl', text: 'Network' }));
    el.append(this._item('Partition — both ways', '', fault('partition', { direction: 'both' }), { id: 'partition' }));
    el.append(this._item('Partition — master → agent', 'one-way', fault('partition', { direction: 'master_to_agent' }), { id: 'partition-m2a' }));
    el.append(this._item('Partition — agent → master', 'one-way', fault('partition', { direction: 'agent_to_master' }), { id: 'partition-a2m' }));
    el.append(this._item('Heal', '', fault('heal'), { disabled: !anyCut, id: 'heal' }));
    el.append(this._item('Break socket', 'master sees exited()', fault('break_socket'), { id: 'break-socket' }));
    this._place(anchor);
  }

  _agentConfig(i) {
    // effective executor_reregistration_timeout and recovery_per_executor of agent i
    const s = this.state.scenario;
    const entry = agentEntry(s, i);
    const d = s.agent_defaults ?? {};
    const pick = (k, def) => parseDuration(entry?.[k] ?? d[k] ?? def);
    return { exec: pick('executor_reregistration_timeout', '2secs'), per: pick('recovery_per_executor', '10ms') };
  }

  openMaster(anchor) {
    const el = this.el;
    clear(el);
    el.setAttribute('aria-label', 'Master');
    const up = this.state.primary.snap.masterUp;
    el.append(h('div', { class: 'mh' }, h('span', { text: 'master' }), h('span', { class: 'sub', text: up ? 'leading' : 'failing over' })));
    const dIn = h('input', { type: 'text', value: this.lastDowntime ?? '10secs', attrs: { 'aria-label': 'Downtime (Mesos duration)' } });
    const go = this._item('Fail over master', '', () => {
      const v = dIn.value.trim();
      if (!Number.isFinite(parseDuration(v))) { toast(`"${v.slice(0, 40)}" is not a duration such as 10secs`); return; }
      this.lastDowntime = v;
      this.inject({ kind: 'fail_over_master', downtime: v });
    }, { disabled: !up, id: 'failover' });
    el.append(go, h('div', { class: 'inline' }, h('span', { class: 'k', text: 'downtime' }), dIn));
    dIn.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); go.click(); } });
    this._place(anchor);
  }
}
