// The inspector: what the master knows about the focused agent, its timers, its process and
// recovery, what is really alive beside it (its executors, the executor deadline), its link and
// its tasks — from the engine at the current time (inspect(), executorDeadlines(),
// executorsAlive()) and the judge's digest for the verdict to come.
import { clock, humanDuration } from '../util.js';
import { h } from '../dom.js';
import { causeText, taskStateClass, describeEvent } from './engine-facts.js';

/** The Inspector panel for the focused agent of the primary run. */
export class Inspector {
  /**
   * @param state the LabState (the primary run, the focus and the selection)
   * @param body the #inspector-body element
   * @param openMenu (indices, button) — the "Inject a fault…" button
   */
  constructor(state, body, openMenu) {
    this.state = state; this.body = body; this.openMenu = openMenu; this.key = '';
  }

  render() {
    const { state } = this;
    const run = state.primary;
    if (!run) return;
    const i = state.focus;
    if (i < 0 || i >= run.n) {
      const key = `none|${state.selected.size}`;
      if (key === this.key) return;
      this.key = key;
      this.body.replaceChildren(h('p', { class: 'empty', text: state.selected.size > 1 ? `${state.selected.size} agents selected.` : 'Select an agent (click it, or use the Agents list) to see what the master knows about it.' }));
      return;
    }
    let info;
    try { info = run.sim.inspect(i); } catch (e) { this.body.replaceChildren(h('p', { class: 'empty', text: `inspect failed: ${e.message ?? e}` })); return; }
    const hide = document.body.classList.contains('hide-future');
    const execDeadline = run.snap.execDeadlines[i];
    const alive = run.snap.alive[i];
    const key = `${JSON.stringify(info)}|${Math.floor(run.now / 1000)}|${!!run.digest}|${state.selected.size}|${execDeadline}|${alive}|${run.dead[i]}|${hide}`;
    if (key === this.key) return;
    this.key = key;
    const now = run.now;
    const N = run.params.maxPings;
    const rows = [];
    const row = (k, ...v) => rows.push(h('dt', { text: k }), h('dd', {}, ...v));
    row('master’s view', h('span', { class: `badge v-${info.masterView}`, text: info.masterView }));
    row('agent process', h('span', { class: `badge s-${info.agentState}`, text: info.agentState }));
    if (info.observer) {
      const o = info.observer;
      const pips = h('span', { class: 'pips', attrs: { 'aria-hidden': 'true' } });
      for (let k = 0; k < Math.min(N, 12); k++) pips.append(h('i', { class: k < o.consecutiveMisses ? 'on' : '' }));
      row('health check', pips, `${o.consecutiveMisses} of ${N} pings missed`);
      row('pinged', o.pinged ? 'yes — waiting for a pong' : 'no (last ping answered)');
      row('connected flag', o.connected ? 'true' : 'false — next ping says connected=false');
      if (o.waitingForPermit) row('removal', h('span', { class: 'badge k-bad', text: 'waiting for a rate-limit permit' }));
    } else {
      row('health check', h('span', { class: 'muted', text: 'no observer (not registered with this master)' }));
    }
    if (info.pingDeadline != null) row('agent’s ping timer', `${clock(info.pingDeadline, { millis: true })} (in ${humanDuration(Math.max(0, info.pingDeadline - now))})`);
    if (info.reregisterDeadline != null) {
      row('re-register by', h('span', { class: 'badge k-warn', text: clock(info.reregisterDeadline, { millis: true }) }), ` in ${humanDuration(Math.max(0, info.reregisterDeadline - now))}`);
    }
    const placed = run.placed[i];
    const dead = run.dead[i];
    if (placed) {
      const launched = info.tasks.some((t) => t.state !== null) || dead > 0;
      row('executors', launched
        ? h('span', { dataset: { alive: String(alive), dead: String(dead) } }, h('b', { text: `${alive} of ${placed} alive` }), dead ? h('span', { class: 'badge k-dead', text: `✝ ${dead} really dead` }) : null)
        : h('span', { class: 'muted', text: `${placed} not launched yet (the agent has not registered)` }));
    }
    if (execDeadline === execDeadline) { // not NaN
      row('executor deadline', h('span', { class: 'badge k-dead', dataset: { executorDeadline: String(execDeadline) }, text: clock(execDeadline, { millis: true }) }),
        ` in ${humanDuration(Math.max(0, execDeadline - now))} — waiting executors shut themselves down (recovery_timeout) unless the agent reconnects them first`);
    }
    if (info.recovery) {
      const r = info.recovery;
      if (r.endsMs == null) {
        row('recovery', `since ${clock(r.startedMs)} — hangs (until “Finish recovery”)`);
      } else {
        const frac = Math.max(0, Math.min(1, (now - r.startedMs) / Math.max(1, r.endsMs - r.startedMs)));
        const bar = h('div', { class: 'progress', attrs: { role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(Math.round(frac * 100)) } }, h('span'));
        bar.firstChild.style.width = `${(frac * 100).toFixed(1)}%`;
        row('recovery', h('span', { text: `${clock(r.startedMs)} → ${clock(r.endsMs)} (${humanDuration(r.endsMs - r.startedMs)})` }), bar);
      }
    }
    const l = info.link;
    if (l) {
      const parts = [];
      parts.push(l.masterToAgent ? 'master→agent up' : 'master→agent CUT');
      parts.push(l.agentToMaster ? 'agent→master up' : 'agent→master CUT');
      parts.push(l.linked ? 'socket open' : 'no socket');
      row('link', parts.join(' · '));
    }
    // verdicts: so far, and (from the digest) to come
    const past = run.verdicts.filter((v) => v.agent === info.name);
    const future = hide ? [] : (run.digest?.verdicts ?? []).filter((v) => v.agent === info.name && v.t > now);
    const vtext = (v) => `${v.event === 'agent_removed' ? 'removed' : 'marked unreachable'} at ${clock(v.t, { millis: true })} — ${v.message ?? v.reason ?? causeText(v.cause)}`;
    if (past.length) row('verdict', h('span', { dataset: { verdict: String(past.at(-1).t) }, text: vtext(past[past.length - 1]) }));
    if (hide) row('next verdict', h('span', { class: 'muted', text: 'hidden until you answer the question' }));
    else if (future.length) row('next verdict', h('span', { dataset: { nextVerdict: String(future[0].t) }, text: vtext(future[0]) }));
    else if (run.digest && !past.length) row('verdict', h('span', { class: 'muted', text: `not marked before the end (${clock(run.duration)}) under ${run.policy}` }));
    else if (!run.digest) row('next verdict', h('span', { class: 'muted', text: `judging the run… ${Math.round(run.judging * 100)}%` }));

    const kids = [
      h('div', { class: 'name', text: info.name }),
      h('div', { class: 'muted', text: `agent id ${info.agentId ?? '—'} · ${run.policy}` }),
      h('dl', {}, ...rows),
    ];
    if (info.tasks?.length) {
      const tb = h('tbody');
      const deaths = new Map(run.deaths.filter((e) => e.agent === info.name).map((e) => [e.executor, e]));
      for (const t of info.tasks.slice(0, 50)) {
        const died = deaths.get(t.task);
        const heard = t.state === null
          ? h('span', { class: 'muted', text: 'not launched' })
          : h('span', { class: `badge ${taskStateClass(t.state)}`, text: String(t.state).replace('TASK_', '') });
        const really = died
          ? h('span', { class: 'badge k-dead', title: describeEvent(died), text: `✝ dead ${clock(died.t)}` })
          : t.state === null ? h('span', { class: 'muted', text: '—' }) : h('span', { class: 'muted', text: 'alive' });
        tb.append(h('tr', { dataset: { task: t.task } }, h('td', { text: t.task }), h('td', { text: t.framework }), h('td', {}, heard), h('td', {}, really)));
      }
      kids.push(h('table', {}, h('thead', {}, h('tr', {}, h('th', { text: 'task' }), h('th', { text: 'framework' }), h('th', { text: 'framework heard' }), h('th', { text: 'really' }))), tb));
      if (info.tasks.length > 50) kids.push(h('div', { class: 'muted', text: `+${info.tasks.length - 50} more tasks` }));
    }
    const actions = h('div', { class: 'actions' },
      h('button', { class: 'btn', type: 'button', text: 'Inject a fault…', on: { click: (e) => this.openMenu(state.selected.size ? [...state.selected] : [i], e.currentTarget) } }));
    kids.push(actions);
    this.body.replaceChildren(...kids);
  }
}
