// The event log: a filtered view over the primary run's bounded event rings.
// Appends incrementally; click an entry to jump to its time and agent.
import { clock } from '../util.js';
import { h, clear } from '../dom.js';
import { describeEvent, eventBadge } from './engine-facts.js';

const MAX_ROWS = 300;
/** Rows of a rebuilt list (a new run, another filter): the newest ones; more come as the clock
 *  runs. 300 new rows at once cost a big page 100+ ms of layout in one frame. */
const FULL_ROWS = 100;
const MAX_BATCH = 40; // new rows per update while the clock runs
const FILTERS = [
  ['key', 'Key events (no messages)'],
  ['verdicts', 'Verdicts & timers'],
  ['all', 'Everything, with messages'],
  ['fault', 'Faults'],
  ['agent_state', 'Agent process states'],
  ['task_status', 'Task status updates'],
  ['executor_terminated', 'Executors that died'],
  ['ping_timeout', 'Ping timeouts'],
  ['registration', '(Re-)registrations'],
  ['message', 'Messages only'],
  ['dropped', 'Dropped messages'],
];
const VERDICTISH = new Set(['executor_terminated', 'agent_disconnected', 'unreachable_scheduled', 'unreachable_canceled', 'agent_marked_unreachable', 'agent_removed', 'ping_timeout', 'master_failover', 'master_recovered', 'master_aborted', 'fault']);

/** The Event log panel over the primary run. */
export class LogView {
  /**
   * @param state the LabState (the primary run's event rings)
   * @param els — { ul, kindSel, agentInput, countEl }
   * @param jump (t, agentName) — an entry was clicked
   */
  constructor(state, { ul, kindSel, agentInput, countEl }, jump) {
    this.state = state; this.ul = ul; this.kindSel = kindSel; this.agentInput = agentInput; this.countEl = countEl;
    this.jump = jump;
    for (const [v, label] of FILTERS) kindSel.append(h('option', { value: v, text: label }));
    kindSel.value = 'key';
    /** Whether the list follows the newest rows (the reader has not scrolled up). */
    this.stick = true;
    ul.addEventListener('scroll', () => { this.stick = ul.scrollHeight - ul.scrollTop - ul.clientHeight < 30; }, { passive: true });
    kindSel.addEventListener('change', () => this.reset());
    agentInput.addEventListener('input', () => this.reset());
    this.dirty = true;
    this.reset();
  }

  reset() { this.full = true; this.dirty = true; this.gapped = false; }

  /** After pausing: show everything recent again if rows were skipped while playing. */
  settle() { if (this.gapped) this.reset(); }

  _needsMessages() { const k = this.kindSel.value; return k === 'all' || k === 'message' || k === 'dropped'; }

  _match(ev, agentQ) {
    const k = this.kindSel.value;
    if (agentQ) {
      if (!ev.agent) return false;
      const exact = this.state.primary.index.has(agentQ);
      if (exact ? ev.agent !== agentQ : !ev.agent.toLowerCase().includes(agentQ.toLowerCase())) return false;
    }
    switch (k) {
      case 'key': return ev.event !== 'message';
      case 'verdicts': return VERDICTISH.has(ev.event);
      case 'all': return true;
      case 'registration': return ev.event === 'agent_registered' || ev.event === 'agent_reregistered';
      case 'dropped': return ev.event === 'message' && ev.dropped;
      default: return ev.event === k;
    }
  }

  _source(run) {
    const a = run.log.buf;
    if (!this._needsMessages()) return a;
    const b = run.msgs.buf;
    if (this.kindSel.value === 'message' || this.kindSel.value === 'dropped') return b;
    // merge by seq
    const out = [];
    let i = 0, j = 0;
    while (i < a.length || j < b.length) {
      if (j >= b.length || (i < a.length && a[i].seq < b[j].seq)) out.push(a[i++]); else out.push(b[j++]);
    }
    return out;
  }

  update() {
    const run = this.state.primary;
    if (!run) return;
    const gen = run.sim; // a rebuilt run has a new sim object
    if (gen !== this.gen) { this.gen = gen; this.full = true; }
    if (!this.dirty && !this.full && run.seq === this.lastRunSeq) return;
    this.lastRunSeq = run.seq;
    this.dirty = false;
    const agentQ = this.agentInput.value.trim();
    const ul = this.ul;
    const atBottom = !this.rowEls?.length || this.stick;
    const src = this._source(run);
    const add = [];
    if (this.full) {
      const rows = [];
      let more = 0;
      for (let i = src.length - 1; i >= 0; i--) {
        if (!this._match(src[i], agentQ)) continue;
        if (rows.length < FULL_ROWS) rows.push(src[i]); else more++;
      }
      rows.reverse();
      clear(ul);
      this.rowEls = [];
      this.full = false;
      const dropped = run.log.dropped + (this._needsMessages() ? run.msgs.dropped : 0);
      const notes = [];
      if (dropped > 0) notes.push(`${dropped.toLocaleString('en-US')} older events were dropped (the log keeps the most recent ones)`);
      if (more > 0) notes.push(`${more.toLocaleString('en-US')} earlier matching events not shown (filter to narrow)`);
      this.head = notes.length ? h('li', { class: 'dropped-marker', text: `… ${notes.join('; ')}` }) : null;
      if (this.head) ul.append(this.head);
      for (const ev of rows) add.push(this._row(ev));
    } else {
      const rows = [];
      let skipped = 0;
      for (let i = src.length - 1; i >= 0 && src[i].seq > this.lastSeq; i--) {
        if (!this._match(src[i], agentQ)) continue;
        if (rows.length < MAX_BATCH) rows.push(src[i]); else skipped++;
      }
      rows.reverse();
      if (skipped) {
        // too many to show while the clock runs: keep the newest; pausing rebuilds the full view
        add.push(h('li', { class: 'more', text: `… ${skipped.toLocaleString('en-US')} more events (pause, or filter, to see them all)` }));
        this.gapped = true;
      }
      for (const ev of rows) add.push(this._row(ev));
    }
    this.lastSeq = src.length ? src[src.length - 1].seq : -1;
    if (add.length) {
      const frag = document.createDocumentFragment();
      for (const el of add) { frag.append(el); this.rowEls.push(el); }
      ul.append(frag);
      // bound the DOM: drop the oldest rows
      const extra = this.rowEls.length - MAX_ROWS;
      if (extra > 0) {
        for (const el of this.rowEls.splice(0, extra)) el.remove();
        if (!this.head) { this.head = h('li', { class: 'dropped-marker', text: `… older rows scrolled out (the list shows the latest ${MAX_ROWS}; pause or filter to see others)` }); ul.prepend(this.head); }
      }
      // Scrolled in the next frame's own layout, not in a forced one now.
      if (atBottom) requestAnimationFrame(() => { ul.scrollTop = ul.scrollHeight; });
    }
    this.countEl.textContent = `${run.stats.events.toLocaleString('en-US')} events`;
  }

  _row(ev) {
    const [cls, label] = eventBadge(ev);
    const body = h('span', { class: 'body' },
      h('span', { class: `badge ${cls}`, text: label }),
      ev.agent ? h('span', { class: 'who', text: ev.agent }) : ' ',
      describeEvent(ev));
    const btn = h('button', {
      type: 'button', title: `Jump to ${clock(ev.t, { millis: true })}`,
      on: {
        click: () => this.jump(ev.t, ev.agent),
      },
    }, h('span', { class: 't', text: clock(ev.t, { millis: true }) }), body);
    return h('li', { dataset: { event: ev.event, t: String(ev.t) } }, btn);
  }
}
